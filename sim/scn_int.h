/* scn_int.h: what the scenario parser's files share: the arena, the tokenizer's line of words,
 * the value readers and the parser context. Private to sim/scn_*.c; nothing else includes it. */
#ifndef TCPSIM_SCN_INT_H
#define TCPSIM_SCN_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scn.h"

#if defined(__GNUC__) || defined(__clang__)
#define SCN_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define SCN_PRINTF(fmt, first)
#endif

/* ---- scn_mem.c: an arena owning every string and array a struct scn points to ---- */
struct scn_mem *scn_mem_create(void);
void scn_mem_destroy(struct scn_mem *m);
void *scn_mem_alloc(struct scn_mem *m, size_t size); /* zeroed; NULL when memory runs out */
char *scn_mem_strndup(struct scn_mem *m, const char *s, size_t len);

/* ---- scn_lex.c: one line split into words and quoted strings ---- */
enum scn_tok_kind { SCN_TOK_WORD, SCN_TOK_STRING };

struct scn_tok {
    enum scn_tok_kind kind;
    const char *raw;       /* as written (quotes included), not NUL-terminated */
    size_t raw_len;
    uint32_t col;          /* 1-based, in UTF-8 characters */
    const char *str;       /* the word, or the string's decoded bytes; NUL-terminated */
    size_t len;
};

struct scn_line {
    uint32_t lineno;
    const char *text;      /* the line without its line end */
    size_t len;
    uint32_t end_col;      /* column just past the last character */
    struct scn_tok tok[SCN_MAX_WORDS];
    size_t ntok;
    size_t used;           /* bytes of buf in use */
    char buf[SCN_MAX_LINE_BYTES + SCN_MAX_WORDS + 16];
};

/* Where errors go: the file name and the error to fill. */
struct scn_diag {
    const char *file;
    struct scn_error *err;
};

/* Fills diag->err and returns false. near may be NULL (nothing to quote). */
SCN_PRINTF(6, 7)
bool scn_fail(const struct scn_diag *d, uint32_t line, uint32_t col, const char *near,
              size_t near_len, const char *fmt, ...);
SCN_PRINTF(6, 0)
bool scn_vfail(const struct scn_diag *d, uint32_t line, uint32_t col, const char *near,
               size_t near_len, const char *fmt, va_list ap);

/* Number of UTF-8 characters in the first n bytes of s (s valid UTF-8). */
uint32_t scn_utf8_chars(const char *s, size_t n);

/* Splits one line (already checked by scn_lex_check) into ln; col0 is added to every column
 * (0 for a file, the key's width for a --set value). */
bool scn_lex_line(const struct scn_diag *d, struct scn_line *ln, uint32_t lineno, const char *text,
                  size_t len, uint32_t col0);
/* Rejects NUL bytes, invalid UTF-8 and control characters other than tab. */
bool scn_lex_check(const struct scn_diag *d, uint32_t lineno, const char *text, size_t len,
                   uint32_t col0);

/* ---- scn_value.c: readers of one word; on failure they write a message into msg ---- */
struct scn_msg {
    char text[200];
};

bool scn_read_u64(const char *w, uint64_t *out, struct scn_msg *m);
bool scn_read_uint(const char *w, uint64_t lo, uint64_t hi, const char *what, uint64_t *out,
                   struct scn_msg *m);
bool scn_read_time(const char *w, sim_time *out, struct scn_msg *m);
bool scn_read_percent(const char *w, struct ratio *out, struct scn_msg *m);
bool scn_read_size(const char *w, uint64_t *out, struct scn_msg *m);
bool scn_read_rate(const char *w, uint64_t *out, struct scn_msg *m);
bool scn_read_burst(const char *w, struct ratio *out, struct scn_msg *m);
bool scn_read_bool(const char *w, bool *out, struct scn_msg *m);
bool scn_read_host(const char *w, int *out, struct scn_msg *m);
bool scn_read_dir(const char *w, int *out, struct scn_msg *m);
bool scn_read_addr(const char *w, uint32_t *out, struct scn_msg *m);
bool scn_read_flags(const char *w, uint8_t *out, struct scn_msg *m);
bool scn_read_state(const char *w, enum tcp_state *out, struct scn_msg *m);
bool scn_read_fate(const char *w, enum seg_fate *out, struct scn_msg *m);
/* The candidate within edit distance 2 of w (case-insensitive), or NULL. */
const char *scn_suggest(const char *w, const char *const *cands, size_t n);

/* ---- scn_parse.c and friends: the parser context ---- */
enum { SCN_NLINK_FIELDS = 11 };

struct scn_parser {
    struct scn *s;
    struct scn_diag diag;
    struct scn_line *ln;
    size_t ti;                 /* next token of ln */
    bool override;             /* --set: a later value replaces an earlier one */
    uint32_t title_line[2], seed_line, profile_line;
    uint32_t limit_line[4];    /* events, time, segments, bytes */
    size_t desc_len[2];
    uint32_t link_field_line[SIM_HOSTS][SCN_NLINK_FIELDS];
    sim_time last_at;
    uint32_t last_at_line;
    size_t faults_per_dir[SIM_HOSTS];
    bool in_block;             /* inside expect segments ... end */
    size_t block_expect;       /* its index in s->expects */
    struct scn_segline *segbuf;
    size_t nseg, capseg, total_seglines;
    size_t cap_actions, cap_triggers, cap_faults, cap_expects, cap_settings;
};

/* Token cursor helpers (scn_parse.c). */
const struct scn_tok *scn_p_peek(const struct scn_parser *p);
const struct scn_tok *scn_p_next(struct scn_parser *p);
bool scn_p_is(const struct scn_tok *t, const char *word);
SCN_PRINTF(3, 4) bool scn_p_fail(struct scn_parser *p, const struct scn_tok *t, const char *fmt, ...);
SCN_PRINTF(2, 3) bool scn_p_fail_eol(struct scn_parser *p, const char *fmt, ...);
/* The next token as a word; fails "missing WHAT" at the end of the line or when it is a string. */
const struct scn_tok *scn_p_word(struct scn_parser *p, const char *what);
const struct scn_tok *scn_p_string(struct scn_parser *p, const char *what);
bool scn_p_end(struct scn_parser *p);  /* fails when words remain */
/* The next word read as a time, number, host, direction, state or flags; failing at it. */
bool scn_p_read_time(struct scn_parser *p, const char *what, sim_time *out);
bool scn_p_read_uint(struct scn_parser *p, const char *what, uint64_t lo, uint64_t hi,
                     uint64_t *out);
bool scn_p_read_host(struct scn_parser *p, int *out);
bool scn_p_read_dir(struct scn_parser *p, int *out);
bool scn_p_read_state(struct scn_parser *p, enum tcp_state *out);
bool scn_p_read_flagspec(struct scn_parser *p, bool allow_any, enum scn_flag_match *match,
                         uint8_t *flags);
const char *scn_p_text(struct scn_parser *p, const struct scn_tok *t); /* arena copy of str */

/* Vectors of the scn (they grow up to their SCN_MAX_* limit, failing with a message). */
struct scn_action *scn_p_new_action(struct scn_parser *p);
struct scn_trigger *scn_p_new_trigger(struct scn_parser *p);
struct scn_fault *scn_p_new_fault(struct scn_parser *p);
struct scn_expect *scn_p_new_expect(struct scn_parser *p);
struct scn_setting *scn_p_new_setting(struct scn_parser *p);

/* Link parameters "delay 10ms loss 5% ..." until the end of the line (scn_parse_link.c), into
 * *patch for a timed change, or (patch NULL) into the scenario's initial links. */
bool scn_p_link_params(struct scn_parser *p, int dir_or_both, struct scn_link_patch *patch);

/* Statements (scn_parse_stmt.c, scn_parse_act.c, scn_parse_expect.c). */
bool scn_stmt(struct scn_parser *p);
bool scn_stmt_at(struct scn_parser *p);
bool scn_stmt_when(struct scn_parser *p);
bool scn_stmt_fault(struct scn_parser *p);
bool scn_stmt_expect(struct scn_parser *p);
bool scn_stmt_segline(struct scn_parser *p); /* a line inside expect segments, or end */
/* host A OPTIONS / set KEY VALUE: one profile key's value (kind from profile_key_kind). */
bool scn_p_setting(struct scn_parser *p, int host, const struct scn_tok *key);
bool scn_p_is_setting_key(const char *key);
/* A variant's name ("two-way-handshake", "isn-zero", "time-wait-zero") sets its field in *v and
 * returns its bit (1, 2, 4); an unknown name fails at t with the list of names and returns 0. */
unsigned scn_p_variant(struct scn_parser *p, const struct scn_tok *t, struct lesson_variants *v);

#endif
