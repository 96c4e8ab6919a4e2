/* lcmp.h: segments at host A's interface, read from a real-kernel capture (.expected) or from a
 * tcpsim JSONL trace, and their comparison. Used by linux_compare.c and test_lcmp.c. */
#ifndef TCPSIM_LCMP_H
#define TCPSIM_LCMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One segment as host A's interface saw it (tests/linux/README.md "File formats"). */
struct lseg {
    int64_t t;          /* ns since the first segment */
    char dir;           /* 'A' = A>B, 'B' = B>A */
    char flags[8];      /* tcpdump letters in the order F S R P U E W, then '.' for ACK */
    uint32_t seq, len;  /* seq relative to the sender's ISN (raw if it never sent a SYN) */
    bool has_ack;
    uint32_t ack;       /* relative to the receiver's ISN (raw if it never sent a SYN) */
    uint32_t win;
    uint32_t mss;       /* MSS option, 0 = none */
    bool dropped;       /* the link dropped it (a B>A one is timed when it left B) */
    int line;           /* line in the source text, from 1 */
};

struct lseg_list {
    struct lseg *v;
    size_t n, cap;
};

void lseg_list_free(struct lseg_list *l);

/* The .expected format. false with a message on a malformed line (and *out left empty). */
bool lcmp_parse_expected(const char *text, struct lseg_list *out, char *err, size_t errlen);
/* A `tcpsim run --format jsonl` trace, seen from A: A's tx records at their send time, B's
 * segments when A receives them, B's dropped ones at their send time (the capture's
 * convention). Relative numbers are computed from the raw ones and each side's first SYN. */
bool lcmp_parse_trace(const char *jsonl, struct lseg_list *out, char *err, size_t errlen);

/* Tolerances (README "What the comparison checks"). */
#define LCMP_TIME_FLOOR_NS INT64_C(5000000) /* 5 ms: the default floor of the time check */
#define LCMP_TIME_PERCENT 10                /* of the capture's gap */
#define LCMP_WIN_SLACK 1460u                /* one MSS */

/* What was found for one position of the two lists. */
struct lcmp_row {
    const struct lseg *exp, *sim; /* NULL where one list is shorter */
    bool fields_ok;               /* direction, flags, seq, len, ack, MSS, drop mark */
    bool win_ok, win_exact;
    bool time_ok;
    int64_t dev_abs;              /* sim time - capture time */
    int64_t dev_step;             /* the same for the gap from the previous segment */
    int64_t tol;
    /* A retransmission: same direction, flags, seq and length as an earlier segment. */
    bool retrans;
    size_t orig, prev;            /* indices of the first and the latest earlier copy */
    int64_t gap_orig_exp, gap_orig_sim, gap_prev_exp, gap_prev_sim;
    bool retrans_ok;
};

struct lcmp_report {
    struct lcmp_row *rows;
    size_t nrows;
    size_t mismatches;            /* rows with any check failed */
    int64_t max_dev_abs;          /* largest |sim - capture| time */
    int max_tol_permille;         /* largest share of its tolerance a row's time used (the
                                   * smaller of the absolute and the step deviation), per mille */
    int max_retrans_permille;     /* largest retransmission gap error, per mille */
};

/* Compares the two lists; time_floor is the least time tolerance (LCMP_TIME_FLOOR_NS unless a
 * capture needs more). Returns false only when out of memory. */
bool lcmp_compare(const struct lseg_list *exp, const struct lseg_list *sim, int64_t time_floor,
                  struct lcmp_report *rep);
void lcmp_report_free(struct lcmp_report *rep);
/* The side-by-side table (every row; failed checks marked). */
void lcmp_print_table(FILE *f, const struct lcmp_report *rep);
/* One segment in the .expected notation, without the time. */
void lcmp_format(const struct lseg *s, char *buf, size_t size);

#endif
