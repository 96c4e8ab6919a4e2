/* scn.h: scenario files (scenarios/README.md): parsing them into a struct scn, --set overrides,
 * building a struct sim from one, and checking its expectations over the trace. Called by the CLI
 * (run, check, sweep, render), the front end and the tests. Never prints, exits or aborts. */
#ifndef TCPSIM_SCN_H
#define TCPSIM_SCN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "link.h"
#include "profile.h"
#include "sim.h"
#include "simtime.h"
#include "trace.h"

/* Limits on what one scenario may hold; exceeding any is a parse error with its own message. */
#define SCN_MAX_FILE_BYTES (1u << 20)      /* 1 MiB */
#define SCN_MAX_LINE_BYTES 4096u           /* per line, without the line end */
#define SCN_MAX_WORDS 128u                 /* words and strings on one line */
#define SCN_MAX_ACTIONS 10000u             /* at lines (scheduled actions) */
#define SCN_MAX_TRIGGERS 1000u             /* when lines */
#define SCN_MAX_EXPECTS 1000u              /* expect statements */
#define SCN_MAX_SEGLINES 10000u            /* lines inside all expect segments blocks together */
#define SCN_MAX_SETTINGS 1000u             /* set lines, host options and --set overrides */
#define SCN_MAX_TEXT_BYTES (TRACE_TEXT_MAX - 1) /* one caption, title or sent string */
#define SCN_MAX_DESCRIPTION_BYTES 8192u    /* all description lines of one language */
#define SCN_MAX_SEND_BYTES (64u << 20)     /* one "send N" */

/* A parse error: where and what. text is the whole message as the CLI prints it:
 * "file:line:col: error: message near 'token'" (col counts UTF-8 characters from 1). */
struct scn_error {
    uint32_t line, col;
    char message[256];
    char near[96];        /* the offending text, escaped; "" at the end of a line or file */
    char text[640];
};

/* A change to some fields of a link direction; mask bits say which fields of v apply. */
enum {
    SCN_LP_DELAY = 1u << 0,
    SCN_LP_JITTER = 1u << 1,   /* jitter_kind and jitter */
    SCN_LP_LOSS = 1u << 2,
    SCN_LP_BURST = 1u << 3,    /* ge_burst */
    SCN_LP_DUP = 1u << 4,
    SCN_LP_CORRUPT = 1u << 5,
    SCN_LP_REORDER = 1u << 6,  /* reorder and reorder_delay */
    SCN_LP_RATE = 1u << 7,
    SCN_LP_QUEUE = 1u << 8,
    SCN_LP_MTU = 1u << 9,
    SCN_LP_DOWN = 1u << 10,
};

struct scn_link_patch {
    uint32_t mask;
    struct link_params v;
};

/* Applies the fields of patch named by its mask to p. */
void scn_link_patch_apply(struct link_params *p, const struct scn_link_patch *patch);

/* A profile number for one host or both, in file order; --set overrides come last. */
struct scn_setting {
    int host;                  /* -1 = both hosts, 0 = A, 1 = B */
    char key[32];              /* the profile key ("window" is stored as "rcv_wnd") */
    int64_t value;             /* nanoseconds for times, 0/1 for booleans; profile_set accepts it */
    uint32_t line;             /* 0 for a --set override */
};

struct scn_host {
    uint32_t line;             /* of its host line, 0 if none */
    bool has_addr;             /* otherwise sim_config_defaults' address */
    uint32_t addr;
    bool has_isn;              /* otherwise sim_config_defaults' ISN policy */
    enum isn_policy isn_policy;
    uint32_t isn_fixed;
    struct lesson_variants variants; /* added to the defaults' */
    bool has_profile;
    enum profile_id profile;
    bool has_autoread;         /* schedules ACT_AUTOREAD at time 0 before every other action */
    bool autoread;
};

struct scn_action {
    sim_time at;
    uint32_t line;
    struct sim_action act;     /* strings and payloads point into the scn */
    struct scn_link_patch patch; /* ACT_LINK: applied to the direction's params at that time */
    struct lesson_variants variant; /* ACT_VARIANT: the one variant named (true); act.flag says
                                     * on or off; scn_build turns it into the host's whole set */
};

struct scn_trigger {
    uint32_t line;
    struct sim_trigger trig;
};

struct scn_fault {
    uint32_t line;
    int dir;
    struct fault f;
};

enum scn_expect_kind {
    SCN_EXP_STATE_AT,   /* expect at T HOST STATE */
    SCN_EXP_FINAL,      /* expect final HOST STATE */
    SCN_EXP_EVER,       /* expect ever HOST STATE */
    SCN_EXP_NEVER,      /* expect never HOST STATE */
    SCN_EXP_SEGMENTS,   /* expect segments [from T] ... end */
    SCN_EXP_COUNT,      /* expect count WHAT [DIR] [FLAGS] OP N */
    SCN_EXP_DELIVERED,  /* expect delivered HOST "text" | N bytes */
    SCN_EXP_ERROR,      /* expect error HOST ["text"] */
    SCN_EXP_NO_ERROR,   /* expect no error [HOST] */
};

/* How a flags filter matches a segment's flags. */
enum scn_flag_match { SCN_FLAGS_ANY, SCN_FLAGS_EXACT, SCN_FLAGS_HAS };

enum scn_count_what { SCN_COUNT_TX, SCN_COUNT_RX, SCN_COUNT_RETRANSMITS, SCN_COUNT_DROPS };
enum scn_cmp { SCN_CMP_EQ, SCN_CMP_NE, SCN_CMP_LT, SCN_CMP_LE, SCN_CMP_GT, SCN_CMP_GE };

/* One line of an expect segments block: DIR FLAGS [START:END(LEN)] [ack N] [win N] [FATE]. */
struct scn_segline {
    uint32_t line;
    int dir;
    uint8_t flags;
    bool has_seq;
    uint32_t seq;              /* relative; END = seq + len */
    uint16_t len;
    bool has_ack;
    uint32_t ack;
    bool has_win;
    uint16_t win;
    bool has_fate;
    enum seg_fate fate;
};

struct scn_expect {
    enum scn_expect_kind kind;
    uint32_t line;
    const char *source;        /* the statement as written, comment and spacing trimmed */
    int host;                  /* -1 = any host (no error, count) */
    enum tcp_state state;
    sim_time at;               /* STATE_AT; SEGMENTS: the from time */
    const struct scn_segline *segs; /* SEGMENTS */
    size_t nsegs;
    enum scn_count_what what;  /* COUNT */
    int dir;                   /* COUNT: -1 = both directions */
    enum scn_flag_match flag_match;
    uint8_t flags;
    enum scn_cmp cmp;
    uint64_t n;                /* COUNT: the number; DELIVERED: the byte count */
    const char *text;          /* DELIVERED content or ERROR substring; NULL if none */
    size_t text_len;
};

struct scn_text {
    const char *en, *ko;       /* NULL when absent */
};

/* A parsed scenario. Read-only for callers; every pointer is owned by it. */
struct scn {
    const char *name;          /* the file name used in messages */
    struct scn_text title, description;
    bool has_seed;
    uint64_t seed;
    struct sim_limits limits;  /* bounds lowered by limit lines; 0 = the simulator's own */
    bool has_profile;
    enum profile_id profile;
    struct scn_host host[SIM_HOSTS];
    struct scn_link_patch link[SIM_HOSTS]; /* initial link parameters over the defaults */
    struct scn_setting *settings;
    size_t nsettings;
    struct scn_action *actions; /* in time order (the parser requires nondecreasing times) */
    size_t nactions;
    struct scn_trigger *triggers;
    size_t ntriggers;
    struct scn_fault *faults;
    size_t nfaults;
    struct scn_expect *expects;
    size_t nexpects;
    struct scn_mem *mem;       /* owns every string, payload and segment line */
};

/* Parsing. On failure they return false, fill *err and leave *out NULL. name is used in
 * messages. A scenario must contain at least one at line. */
bool scn_parse_string(const char *name, const char *text, size_t len, struct scn **out,
                      struct scn_error *err);
bool scn_parse_file(const char *path, struct scn **out, struct scn_error *err);
void scn_free(struct scn *s); /* NULL is a no-op */

/* Applies one command-line override "KEY=VALUE" (values as in the file; errors name the file
 * "--set" and count columns in the argument). Keys: seed, profile, any profile key or window /
 * mss (both hosts), A.OPTION / B.OPTION (any host option), A>B.PARAM / B>A.PARAM / link.PARAM
 * (initial link parameters), limit.events / limit.time / limit.segments / limit.bytes. Later overrides win over earlier ones and over the file. A failed
 * override leaves the scenario as it was. */
bool scn_set(struct scn *s, const char *key_equals_value, struct scn_error *err);

/* The simulation configuration the scenario describes (defaults, profile, settings, links). */
bool scn_config(const struct scn *s, struct sim_config *cfg, struct scn_error *err);
/* Creates the simulation and schedules every action, trigger and fault. NULL on failure with
 * *err filled (an invalid profile value or memory). */
struct sim *scn_build(const struct scn *s, const struct trace_sink *sink, struct scn_error *err);

/* The checker: feed it every trace record of one run, in order, then end it. */
struct scn_failure {
    uint32_t line;             /* of the expectation */
    const char *summary;       /* one line: "file:line: expected ..., got ..." */
    const char *detail;        /* lines of expected and actual side by side, each ending in \n */
};

struct scn_check;

struct scn_check *scn_check_begin(const struct scn *s); /* NULL when memory runs out */
void scn_check_record(struct scn_check *c, const struct trace_rec *rec);
/* A trace sink that feeds c (for sim_create, or to call from a sink of one's own). */
struct trace_sink scn_check_sink(struct scn_check *c);
/* Bytes handed to a host's application, in order, for expect delivered "text" (optional: without
 * it the content is not compared, only the byte count from the trace's deliver records). */
void scn_check_deliver(struct scn_check *c, char host, const uint8_t *data, size_t len);
/* Evaluates what remains and returns the number of failed expectations. */
size_t scn_check_end(struct scn_check *c);
size_t scn_check_expect_count(const struct scn_check *c);
size_t scn_check_failure_count(const struct scn_check *c);
const struct scn_failure *scn_check_failure(const struct scn_check *c, size_t i);
void scn_check_destroy(struct scn_check *c); /* NULL is a no-op */

/* Formats a segment as an expect segments line ("A>B S. 0:0(0) ack 1"), showing ack, win and
 * fate as shape asks (NULL: ack when ACK is set, no win, no fate). Returns the length written. */
size_t scn_format_segline(char *buf, size_t size, const struct scn_segline *seg,
                          const struct scn_segline *shape);
/* Reads a time written as in scenario files ("250ms", "1.5s"); false if it is not one. */
bool scn_parse_time(const char *text, sim_time *out);
/* A time in the scenario syntax, exact and as short as possible: "25ms", "1.5s", "0s". */
size_t scn_format_time(char *buf, size_t size, sim_time t);
/* tcpdump's flag letters in its order: "S.", "FP.", "R"; "none" when no flag is set. */
size_t scn_format_flags(char *buf, size_t size, uint8_t flags);

#endif
