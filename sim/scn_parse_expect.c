/* scn_parse_expect.c: expectation statements (expect at / final / ever / never / count /
 * delivered / error / no error) and the lines of an expect segments ... end block.
 * Called by scn_parse_stmt.c and, inside a block, by scn_parse.c. */
#include "scn_int.h"

#include <stdlib.h>
#include <string.h>

/* The statement as written, from its first word to its last (no comment). */
static const char *source_text(struct scn_parser *p)
{
    const struct scn_line *ln = p->ln;
    const struct scn_tok *first = &ln->tok[0], *last = &ln->tok[ln->ntok - 1];
    size_t len = (size_t)(last->raw + last->raw_len - first->raw);
    char *s = scn_mem_strndup(p->s->mem, first->raw, len);
    if (!s)
        scn_p_fail(p, first, "out of memory");
    return s;
}

static bool read_cmp(struct scn_parser *p, enum scn_cmp *out)
{
    static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">="};
    static const enum scn_cmp cmps[] = {SCN_CMP_EQ, SCN_CMP_NE, SCN_CMP_LT,
                                        SCN_CMP_LE, SCN_CMP_GT, SCN_CMP_GE};
    const struct scn_tok *t = scn_p_word(p, "comparison (= != < <= > >=) and a number");
    if (!t)
        return false;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (scn_p_is(t, ops[i])) {
            *out = cmps[i];
            return true;
        }
    }
    return scn_p_fail(p, t, "expected a comparison (= != < <= > >=) separated by spaces");
}

/* expect count WHAT [DIR] [FLAGS] OP N */
static bool count_expect(struct scn_parser *p, struct scn_expect *e)
{
    static const char *const whats[] = {"tx", "rx", "retransmits", "drops"};
    static const enum scn_count_what kinds[] = {SCN_COUNT_TX, SCN_COUNT_RX,
                                                SCN_COUNT_RETRANSMITS, SCN_COUNT_DROPS};
    const struct scn_tok *w = scn_p_word(p, "what to count (tx, rx, retransmits, drops)");
    if (!w)
        return false;
    size_t i = 0;
    while (i < 4 && !scn_p_is(w, whats[i]))
        i++;
    if (i == 4)
        return scn_p_fail(p, w, "unknown count (counts are tx, rx, retransmits, drops)");
    e->what = kinds[i];
    e->dir = -1;
    e->flag_match = SCN_FLAGS_ANY;
    const struct scn_tok *t = scn_p_peek(p);
    if (scn_p_is(t, "A>B") || scn_p_is(t, "B>A")) {
        scn_p_next(p);
        e->dir = t->str[0] == 'A' ? 0 : 1;
        t = scn_p_peek(p);
    }
    if (t && t->kind == SCN_TOK_WORD && !strchr("=!<>", t->str[0]) &&
        !scn_p_read_flagspec(p, true, &e->flag_match, &e->flags))
        return false;
    if (!read_cmp(p, &e->cmp))
        return false;
    const struct scn_tok *nt = scn_p_word(p, "number");
    struct scn_msg m;
    if (!nt)
        return false;
    if (!scn_read_u64(nt->str, &e->n, &m))
        return scn_p_fail(p, nt, "%s", m.text);
    return scn_p_end(p);
}

/* expect delivered HOST "text" | SIZE [bytes] */
static bool delivered_expect(struct scn_parser *p, struct scn_expect *e)
{
    struct scn_msg m;
    if (!scn_p_read_host(p, &e->host))
        return false;
    const struct scn_tok *t = scn_p_next(p);
    if (!t)
        return scn_p_fail_eol(p, "missing what was delivered (a quoted string or a size)");
    if (t->kind == SCN_TOK_STRING) {
        e->text = scn_p_text(p, t);
        e->text_len = t->len;
        e->n = t->len;
        if (!e->text)
            return false;
    } else {
        if (!scn_read_size(t->str, &e->n, &m))
            return scn_p_fail(p, t, "%s", m.text);
        if (scn_p_is(scn_p_peek(p), "bytes"))
            scn_p_next(p);
    }
    return scn_p_end(p);
}

bool scn_stmt_expect(struct scn_parser *p)
{
    static const char *const kinds[] = {"at", "final", "ever", "never", "segments",
                                        "count", "delivered", "error", "no"};
    const struct scn_tok *k = scn_p_word(p, "what to expect (at, final, ever, never, segments, "
                                            "count, delivered, error, no error)");
    if (!k)
        return false;
    size_t idx = 0;
    while (idx < sizeof kinds / sizeof kinds[0] && !scn_p_is(k, kinds[idx]))
        idx++;
    if (idx == sizeof kinds / sizeof kinds[0]) {
        const char *hint = scn_suggest(k->str, kinds, sizeof kinds / sizeof kinds[0]);
        if (hint)
            return scn_p_fail(p, k, "unknown expectation '%.32s' (did you mean '%s'?)", k->str,
                              hint);
        return scn_p_fail(p, k,
                          "unknown expectation '%.32s' (expect at, final, ever, never, segments, "
                          "count, delivered, error or no error)",
                          k->str);
    }
    struct scn_expect e = {.host = -1, .dir = -1};
    switch (idx) {
    case 0:
    case 1:
    case 2:
    case 3: {
        static const enum scn_expect_kind state_kinds[] = {SCN_EXP_STATE_AT, SCN_EXP_FINAL,
                                                           SCN_EXP_EVER, SCN_EXP_NEVER};
        e.kind = state_kinds[idx];
        if (idx == 0 && !scn_p_read_time(p, "time", &e.at))
            return false;
        if (!scn_p_read_host(p, &e.host))
            return false;
        if (scn_p_is(scn_p_peek(p), "state")) /* "B state ESTABLISHED" reads well too */
            scn_p_next(p);
        if (!scn_p_read_state(p, &e.state) || !scn_p_end(p))
            return false;
        break;
    }
    case 4:
        e.kind = SCN_EXP_SEGMENTS;
        if (scn_p_peek(p)) {
            const struct scn_tok *f = scn_p_next(p);
            if (!scn_p_is(f, "from"))
                return scn_p_fail(p, f, "expected 'from TIME' or nothing after 'expect segments'");
            if (!scn_p_read_time(p, "time", &e.at))
                return false;
        }
        if (!scn_p_end(p))
            return false;
        break;
    case 5:
        e.kind = SCN_EXP_COUNT;
        if (!count_expect(p, &e))
            return false;
        break;
    case 6:
        e.kind = SCN_EXP_DELIVERED;
        if (!delivered_expect(p, &e))
            return false;
        break;
    case 7:
        e.kind = SCN_EXP_ERROR;
        if (!scn_p_read_host(p, &e.host))
            return false;
        if (scn_p_peek(p)) {
            const struct scn_tok *t = scn_p_string(p, "error text");
            if (!t)
                return false;
            e.text = scn_p_text(p, t);
            e.text_len = t->len;
            if (!e.text)
                return false;
        }
        if (!scn_p_end(p))
            return false;
        break;
    default: {
        e.kind = SCN_EXP_NO_ERROR;
        const struct scn_tok *t = scn_p_word(p, "'error' after 'no'");
        if (!t)
            return false;
        if (!scn_p_is(t, "error"))
            return scn_p_fail(p, t, "expected 'error' (expect no error [HOST])");
        if (scn_p_peek(p) && !scn_p_read_host(p, &e.host))
            return false;
        if (!scn_p_end(p))
            return false;
        break;
    }
    }
    e.source = source_text(p);
    if (!e.source)
        return false;
    struct scn_expect *slot = scn_p_new_expect(p);
    if (!slot)
        return false;
    e.line = slot->line;
    *slot = e;
    if (e.kind == SCN_EXP_SEGMENTS) {
        p->in_block = true;
        p->block_expect = p->s->nexpects - 1;
        p->nseg = 0;
    }
    return true;
}

/* START:END(LEN) with END - START == LEN (mod 2^32) */
static bool read_seqspec(struct scn_parser *p, const struct scn_tok *t, struct scn_segline *sl)
{
    uint64_t v[3] = {0, 0, 0};
    const char *s = t->str;
    static const char seps[3] = {':', '(', ')'};
    for (int i = 0; i < 3; i++) {
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            v[i] = v[i] * 10 + (uint64_t)(*s - '0');
            if (v[i] > UINT32_MAX)
                return scn_p_fail(p, t, "sequence number above 4294967295");
            s++;
            digits++;
        }
        if (digits == 0 || *s != seps[i])
            return scn_p_fail(p, t, "expected START:END(LEN) such as 1:6(5)");
        s++;
    }
    if (*s)
        return scn_p_fail(p, t, "expected START:END(LEN) such as 1:6(5)");
    if (v[2] > 65535)
        return scn_p_fail(p, t, "segment length above 65535");
    if ((uint32_t)(v[1] - v[0]) != v[2])
        return scn_p_fail(p, t, "END minus START is not LEN in START:END(LEN)");
    sl->has_seq = true;
    sl->seq = (uint32_t)v[0];
    sl->len = (uint16_t)v[2];
    return true;
}

static bool is_command(const char *w)
{
    static const char *const cmds[] = {"title", "description", "seed", "profile", "set", "link",
                                       "host", "at", "when", "fault", "expect"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(w, cmds[i]) == 0)
            return true;
    return false;
}

static bool end_block(struct scn_parser *p, const struct scn_tok *end)
{
    if (!scn_p_end(p))
        return false;
    if (p->nseg == 0)
        return scn_p_fail(p, end, "empty expect segments block");
    struct scn_segline *segs = scn_mem_alloc(p->s->mem, p->nseg * sizeof *segs);
    if (!segs)
        return scn_p_fail(p, end, "out of memory");
    memcpy(segs, p->segbuf, p->nseg * sizeof *segs);
    struct scn_expect *e = &p->s->expects[p->block_expect];
    e->segs = segs;
    e->nsegs = p->nseg;
    p->in_block = false;
    return true;
}

bool scn_stmt_segline(struct scn_parser *p)
{
    struct scn_msg m;
    const struct scn_tok *first = scn_p_peek(p);
    if (scn_p_is(first, "end")) {
        scn_p_next(p);
        return end_block(p, first);
    }
    if (first->kind == SCN_TOK_WORD && is_command(first->str))
        return scn_p_fail(p, first, "'%s' inside an expect segments block (missing 'end' for "
                                    "the block at line %u?)",
                          first->str, p->s->expects[p->block_expect].line);
    struct scn_segline sl = {.line = p->ln->lineno};
    if (!scn_p_read_dir(p, &sl.dir))
        return false;
    const struct scn_tok *ft = scn_p_word(p, "flags (such as S. or SYN+ACK)");
    if (!ft)
        return false;
    if (!scn_read_flags(ft->str, &sl.flags, &m))
        return scn_p_fail(p, ft, "%s", m.text);
    const struct scn_tok *t = scn_p_peek(p);
    if (t && t->kind == SCN_TOK_WORD && t->str[0] >= '0' && t->str[0] <= '9') {
        scn_p_next(p);
        if (!read_seqspec(p, t, &sl))
            return false;
    }
    unsigned seen = 0;
    while ((t = scn_p_next(p)) != NULL) { /* bounded by the line's words */
        uint64_t v;
        enum seg_fate fate;
        if (t->kind != SCN_TOK_WORD)
            return scn_p_fail(p, t, "unexpected string in a segment line");
        if (scn_p_is(t, "ack") || scn_p_is(t, "win")) {
            unsigned bit = t->str[0] == 'a' ? 1u : 2u;
            if (seen & bit)
                return scn_p_fail(p, t, "duplicate '%s'", t->str);
            seen |= bit;
            if (bit == 1 && !(sl.flags & SEG_ACK))
                return scn_p_fail(p, t, "ack given but the flags have no ACK ('.')");
            if (!scn_p_read_uint(p, t->str, 0, bit == 1 ? UINT32_MAX : 65535, &v))
                return false;
            if (bit == 1) {
                sl.has_ack = true;
                sl.ack = (uint32_t)v;
            } else {
                sl.has_win = true;
                sl.win = (uint16_t)v;
            }
        } else if (scn_read_fate(t->str, &fate, &m)) {
            if (seen & 4u)
                return scn_p_fail(p, t, "duplicate fate");
            seen |= 4u;
            sl.has_fate = true;
            sl.fate = fate;
        } else {
            return scn_p_fail(p, t,
                              "unexpected word in a segment line (DIR FLAGS START:END(LEN) "
                              "[ack N] [win N] [fate])");
        }
    }
    if (p->total_seglines == SCN_MAX_SEGLINES)
        return scn_p_fail(p, first, "too many segment lines (at most %u)", SCN_MAX_SEGLINES);
    if (p->nseg == p->capseg) {
        size_t ncap = p->capseg ? p->capseg * 2 : 16;
        struct scn_segline *nb = realloc(p->segbuf, ncap * sizeof *nb);
        if (!nb)
            return scn_p_fail(p, first, "out of memory");
        p->segbuf = nb;
        p->capseg = ncap;
    }
    p->segbuf[p->nseg++] = sl;
    p->total_seglines++;
    return true;
}
