/* scn_expect.c: the expectation checker: follows one run's trace records (each host's sockets
 * and states, segments, counts, deliveries, errors) and reports every expectation that failed,
 * expected beside actual. Called by tcpsim check, the front end and the tests. */
#include "scn.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_SOCKS 64      /* sockets followed per host; more at once are not tracked */
#define SUMMARY_MAX 480
#define DETAIL_MAX 1280
#define GOT_MAX 64          /* delivered bytes kept for the message */

struct sock_slot {
    bool used, state_known;
    int32_t sock;
    enum tcp_state state;
    uint64_t order;         /* creation order: the newest connection is the current one */
    bool tx_any;
    uint32_t snd_max;       /* highest relative sequence end sent, for retransmissions */
};

struct host_track {
    struct sock_slot slot[CHECK_SOCKS];
    uint64_t next_order;
    enum tcp_state state;   /* host_state(): current connection, else LISTEN, else CLOSED */
    sim_time since;
    uint32_t entered;       /* bit per state any socket entered */
    uint64_t delivered;
    bool content_fed;
};

struct run {
    const struct scn_expect *e;
    bool decided, failed;
    char summary[SUMMARY_MAX];
    char detail[DETAIL_MAX];
    size_t next;            /* segments matched so far */
    uint64_t count;
    uint64_t fed;           /* delivered bytes compared with the text */
    bool mismatch;
    uint64_t mismatch_at;
    uint8_t got[GOT_MAX];
    size_t ngot;
    bool seen;              /* ever / never / error / no error */
    sim_time seen_t;
    char seen_note[TRACE_NOTE_MAX + 8];
    unsigned nerrors;
};

struct scn_check {
    const struct scn *s;
    struct host_track host[SIM_HOSTS];
    struct run *runs;
    size_t nruns;
    size_t *at_order;       /* indices of STATE_AT runs by time */
    size_t nat, at_next;
    struct scn_failure *fail;
    size_t nfail;
    bool ended;
};

static int host_index(char h)
{
    return h == 'A' ? 0 : h == 'B' ? 1 : -1;
}

static char host_char(int h)
{
    return (char)('A' + h);
}

static int cmp_at(const void *a, const void *b, const struct run *runs)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    sim_time ti = runs[i].e->at, tj = runs[j].e->at;
    if (ti != tj)
        return ti < tj ? -1 : 1;
    return i < j ? -1 : i > j ? 1 : 0;
}

struct scn_check *scn_check_begin(const struct scn *s)
{
    struct scn_check *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->s = s;
    c->nruns = s->nexpects;
    c->runs = calloc(c->nruns ? c->nruns : 1, sizeof *c->runs);
    c->at_order = calloc(c->nruns ? c->nruns : 1, sizeof *c->at_order);
    c->fail = calloc(c->nruns ? c->nruns : 1, sizeof *c->fail);
    if (!c->runs || !c->at_order || !c->fail) {
        scn_check_destroy(c);
        return NULL;
    }
    for (size_t i = 0; i < c->nruns; i++) {
        c->runs[i].e = &s->expects[i];
        if (s->expects[i].kind == SCN_EXP_STATE_AT)
            c->at_order[c->nat++] = i;
    }
    /* insertion sort by (time, index): at most SCN_MAX_EXPECTS entries */
    for (size_t i = 1; i < c->nat; i++) {
        size_t v = c->at_order[i], j = i;
        while (j > 0 && cmp_at(&c->at_order[j - 1], &v, c->runs) > 0) {
            c->at_order[j] = c->at_order[j - 1];
            j--;
        }
        c->at_order[j] = v;
    }
    for (int h = 0; h < SIM_HOSTS; h++)
        c->host[h].state = TCP_CLOSED;
    return c;
}

void scn_check_destroy(struct scn_check *c)
{
    if (!c)
        return;
    free(c->runs);
    free(c->at_order);
    free(c->fail);
    free(c);
}

#if defined(__GNUC__) || defined(__clang__)
#define CHECK_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define CHECK_PRINTF(fmt, first)
#endif

/* Appends to a fixed buffer, truncating quietly. */
CHECK_PRINTF(3, 4) static void add(char *buf, size_t size, const char *fmt, ...)
{
    size_t n = strlen(buf);
    if (n + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, size - n, fmt, ap);
    va_end(ap);
}

/* Marks r failed with a one-line summary "file:line: source: what". */
CHECK_PRINTF(3, 4) static void fail(const struct scn_check *c, struct run *r, const char *fmt, ...)
{
    r->failed = true;
    r->decided = true;
    snprintf(r->summary, sizeof r->summary, "%s:%u: %s: ", c->s->name, r->e->line, r->e->source);
    size_t n = strlen(r->summary);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->summary + n, sizeof r->summary - n, fmt, ap);
    va_end(ap);
}

static void fmt_time(char *buf, size_t size, sim_time t)
{
    scn_format_time(buf, size, t);
}

/* Quotes bytes for a message: printable ASCII and UTF-8 as they are, others as \xNN. */
static void quote(char *out, size_t size, const uint8_t *s, size_t len)
{
    size_t o = 0;
    if (size < 8)
        return;
    out[o++] = '"';
    for (size_t i = 0; i < len && o + 8 < size; i++) {
        if (s[i] == '"' || s[i] == '\\') {
            out[o++] = '\\';
            out[o++] = (char)s[i];
        } else if (s[i] == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (s[i] >= 0x20 && s[i] != 0x7F) {
            out[o++] = (char)s[i];
        } else {
            o += (size_t)snprintf(out + o, size - o, "\\x%02X", s[i]);
        }
        if (i + 1 < len && o + 8 >= size) {
            memcpy(out + o, "...", 3);
            o += 3;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
}

/* ---- following the hosts' sockets ---- */

static struct sock_slot *slot_find(struct host_track *h, int32_t sock, bool create)
{
    struct sock_slot *free_slot = NULL;
    for (size_t i = 0; i < CHECK_SOCKS; i++) {
        struct sock_slot *s = &h->slot[i];
        if (s->used && s->sock == sock)
            return s;
        if (!s->used && !free_slot)
            free_slot = s;
    }
    if (!create || !free_slot)
        return NULL;
    memset(free_slot, 0, sizeof *free_slot);
    free_slot->used = true;
    free_slot->sock = sock;
    free_slot->order = h->next_order++;
    return free_slot;
}

static enum tcp_state host_state_now(const struct host_track *h)
{
    const struct sock_slot *best = NULL;
    bool listening = false;
    for (size_t i = 0; i < CHECK_SOCKS; i++) {
        const struct sock_slot *s = &h->slot[i];
        if (!s->used || !s->state_known)
            continue;
        if (s->state == TCP_LISTEN)
            listening = true;
        else if (s->state != TCP_CLOSED && (!best || s->order > best->order))
            best = s;
    }
    return best ? best->state : listening ? TCP_LISTEN : TCP_CLOSED;
}

static void host_refresh(struct host_track *h, sim_time t)
{
    enum tcp_state st = host_state_now(h);
    if (st != h->state) {
        h->state = st;
        h->since = t;
    }
}

/* ---- expectations decided at a point in time ---- */

static void eval_state(const struct scn_check *c, struct run *r, bool final)
{
    const struct scn_expect *e = r->e;
    const struct host_track *h = &c->host[e->host];
    char when[40], since[40];
    r->decided = true;
    if (h->state == e->state)
        return;
    fmt_time(since, sizeof since, h->since);
    if (final) {
        fail(c, r, "%c ended in %s (since %s)", host_char(e->host), trace_state_name(h->state),
             since);
        snprintf(r->detail, sizeof r->detail,
                 "    expected  %c %s at the end\n    actual    %c %s at the end (since %s)\n",
                 host_char(e->host), trace_state_name(e->state), host_char(e->host),
                 trace_state_name(h->state), since);
        return;
    }
    fmt_time(when, sizeof when, e->at);
    fail(c, r, "%c was %s (since %s)", host_char(e->host), trace_state_name(h->state), since);
    snprintf(r->detail, sizeof r->detail,
             "    expected  %c %s at %s\n    actual    %c %s at %s (since %s)\n",
             host_char(e->host), trace_state_name(e->state), when, host_char(e->host),
             trace_state_name(h->state), when, since);
}

static void eval_at_before(struct scn_check *c, sim_time t)
{
    while (c->at_next < c->nat) { /* bounded by the number of expectations */
        struct run *r = &c->runs[c->at_order[c->at_next]];
        if (r->e->at >= t)
            return;
        eval_state(c, r, false);
        c->at_next++;
    }
}

/* ---- segments ---- */

static bool flags_match(enum scn_flag_match m, uint8_t want, uint8_t got)
{
    switch (m) {
    case SCN_FLAGS_ANY: return true;
    case SCN_FLAGS_EXACT: return got == want;
    case SCN_FLAGS_HAS: return (got & want) == want;
    }
    return false;
}

static bool segline_match(const struct scn_segline *want, const struct scn_segline *got)
{
    if (want->dir != got->dir || want->flags != got->flags)
        return false;
    if (want->has_seq && (want->seq != got->seq || want->len != got->len))
        return false;
    if (want->has_ack && want->ack != got->ack)
        return false;
    if (want->has_win && want->win != got->win)
        return false;
    if (want->has_fate && want->fate != got->fate)
        return false;
    return true;
}

static void segments_mismatch(const struct scn_check *c, struct run *r,
                              const struct scn_segline *got, sim_time t)
{
    const struct scn_expect *e = r->e;
    const struct scn_segline *want = &e->segs[r->next];
    char w[160], g[160], tb[40];
    scn_format_segline(w, sizeof w, want, want);
    scn_format_segline(g, sizeof g, got, want);
    fmt_time(tb, sizeof tb, t);
    size_t col = 0;
    while (w[col] && w[col] == g[col])
        col++;
    fail(c, r, "segment %zu differs: expected '%s', got '%s' at %s", r->next + 1, w, g, tb);
    snprintf(r->detail, sizeof r->detail,
             "    segment %zu of %zu (line %u)\n    expected  %s\n    actual    %s   at %s\n"
             "              %*s^\n",
             r->next + 1, e->nsegs, want->line, w, g, tb, (int)col, "");
}

static void segments_missing(const struct scn_check *c, struct run *r)
{
    const struct scn_expect *e = r->e;
    const struct scn_segline *want = &e->segs[r->next];
    char w[160], from[40];
    scn_format_segline(w, sizeof w, want, want);
    fmt_time(from, sizeof from, e->at);
    fail(c, r, "segment %zu missing: expected '%s', the run sent only %zu from %s", r->next + 1,
         w, r->next, from);
    snprintf(r->detail, sizeof r->detail,
             "    segment %zu of %zu (line %u)\n    expected  %s\n    actual    (no more "
             "segments)\n",
             r->next + 1, e->nsegs, want->line, w);
}

/* ---- feeding records ---- */

static void on_tx(struct scn_check *c, const struct trace_rec *rec, int h)
{
    const struct trace_seg *ts = &rec->u.tx.seg;
    struct scn_segline got = {
        .dir = h, .flags = ts->flags, .has_seq = true, .seq = ts->rel_seq, .len = ts->len,
        .has_ack = true, .ack = ts->rel_ack, .has_win = true, .win = ts->wnd,
        .has_fate = true, .fate = rec->u.tx.fate,
    };
    uint32_t seqlen = (uint32_t)ts->len + ((ts->flags & SEG_SYN) ? 1u : 0u) +
                      ((ts->flags & SEG_FIN) ? 1u : 0u);
    bool retransmit = false;
    struct sock_slot *s = rec->sock >= 0 ? slot_find(&c->host[h], rec->sock, true) : NULL;
    if (s && seqlen) {
        uint32_t end = ts->rel_seq + seqlen;
        retransmit = s->tx_any && (int32_t)(ts->rel_seq - s->snd_max) < 0;
        if (!s->tx_any || (int32_t)(end - s->snd_max) > 0)
            s->snd_max = end;
        s->tx_any = true;
    }
    for (size_t i = 0; i < c->nruns; i++) {
        struct run *r = &c->runs[i];
        const struct scn_expect *e = r->e;
        if (r->decided)
            continue;
        if (e->kind == SCN_EXP_SEGMENTS && rec->t >= e->at) {
            if (!segline_match(&e->segs[r->next], &got)) {
                segments_mismatch(c, r, &got, rec->t);
            } else if (++r->next == e->nsegs) {
                r->decided = true;
            }
        } else if (e->kind == SCN_EXP_COUNT && (e->dir < 0 || e->dir == h) &&
                   flags_match(e->flag_match, e->flags, ts->flags)) {
            if (e->what == SCN_COUNT_TX ||
                (e->what == SCN_COUNT_DROPS && rec->u.tx.fate == FATE_DROPPED) ||
                (e->what == SCN_COUNT_RETRANSMITS && retransmit))
                r->count++;
        }
    }
}

static void on_rx(struct scn_check *c, const struct trace_rec *rec, int h)
{
    int dir = 1 - h; /* a segment reaching B travelled A>B */
    for (size_t i = 0; i < c->nruns; i++) {
        struct run *r = &c->runs[i];
        const struct scn_expect *e = r->e;
        if (e->kind == SCN_EXP_COUNT && e->what == SCN_COUNT_RX && (e->dir < 0 || e->dir == dir) &&
            flags_match(e->flag_match, e->flags, rec->u.rx.seg.flags))
            r->count++;
    }
}

static void on_state(struct scn_check *c, const struct trace_rec *rec, int h)
{
    struct host_track *ht = &c->host[h];
    enum tcp_state to = rec->u.state.to;
    if ((unsigned)to < TCP_STATE_COUNT)
        ht->entered |= 1u << to;
    struct sock_slot *s = slot_find(ht, rec->sock, to != TCP_CLOSED);
    if (s) {
        if (to == TCP_CLOSED) {
            s->used = false; /* the TCB is gone; its number may come back as a new one */
        } else {
            s->state = to;
            s->state_known = true;
        }
    }
    host_refresh(ht, rec->t);
    for (size_t i = 0; i < c->nruns; i++) {
        struct run *r = &c->runs[i];
        const struct scn_expect *e = r->e;
        if ((e->kind == SCN_EXP_EVER || e->kind == SCN_EXP_NEVER) && e->host == h &&
            e->state == to && !r->seen) {
            r->seen = true;
            r->seen_t = rec->t;
            snprintf(r->seen_note, sizeof r->seen_note, "%s", rec->note);
        }
    }
}

static bool contains_nocase(const char *hay, const char *needle, size_t nlen)
{
    size_t hl = strlen(hay);
    for (size_t i = 0; i + nlen <= hl; i++) {
        size_t k = 0;
        while (k < nlen) {
            char a = hay[i + k], b = needle[k];
            if (a >= 'A' && a <= 'Z')
                a = (char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (char)(b - 'A' + 'a');
            if (a != b)
                break;
            k++;
        }
        if (k == nlen)
            return true;
    }
    return false;
}

static void on_app(struct scn_check *c, const struct trace_rec *rec, int h)
{
    struct host_track *ht = &c->host[h];
    switch (rec->u.app.action) {
    case APP_DELIVER:
        ht->delivered += rec->u.app.bytes;
        return;
    case APP_CRASH:
        memset(ht->slot, 0, sizeof ht->slot); /* a crash forgets every socket at once */
        host_refresh(ht, rec->t);
        return;
    case APP_ERROR:
        break;
    case APP_LISTEN:
    case APP_CONNECT:
    case APP_SEND:
    case APP_SHUTDOWN:
    case APP_CLOSE:
    case APP_ABORT:
    case APP_REBOOT:
    case APP_EOF:
    case APP_ACCEPT:
    case APP_CONNECTED:
    case APP_CLOSED:
    case APP_VARIANT:
        return;
    }
    for (size_t i = 0; i < c->nruns; i++) {
        struct run *r = &c->runs[i];
        const struct scn_expect *e = r->e;
        if (e->kind != SCN_EXP_ERROR && e->kind != SCN_EXP_NO_ERROR)
            continue;
        if (e->host >= 0 && e->host != h)
            continue;
        r->nerrors++;
        bool match = e->kind == SCN_EXP_NO_ERROR || !e->text ||
                     contains_nocase(rec->note, e->text, e->text_len);
        if (match && !r->seen) {
            r->seen = true;
            r->seen_t = rec->t;
            snprintf(r->seen_note, sizeof r->seen_note, "%c: %s", host_char(h), rec->note);
        } else if (!r->seen && r->nerrors == 1) {
            r->seen_t = rec->t; /* the first other error, for the message */
            snprintf(r->seen_note, sizeof r->seen_note, "%c: %s", host_char(h), rec->note);
        }
    }
}

void scn_check_record(struct scn_check *c, const struct trace_rec *rec)
{
    if (c->ended)
        return;
    eval_at_before(c, rec->t);
    int h = host_index(rec->host);
    if (h < 0)
        return;
    switch (rec->ev) {
    case TR_TX:
        on_tx(c, rec, h);
        break;
    case TR_RX:
        on_rx(c, rec, h);
        break;
    case TR_STATE:
        on_state(c, rec, h);
        break;
    case TR_APP:
        on_app(c, rec, h);
        break;
    case TR_TIMER:
    case TR_CAPTION:
    case TR_LINK:
    case TR_PAUSE:
        break;
    }
}

static void sink_emit(void *ctx, const struct trace_rec *rec)
{
    scn_check_record(ctx, rec);
}

struct trace_sink scn_check_sink(struct scn_check *c)
{
    struct trace_sink sink = {sink_emit, c};
    return sink;
}

void scn_check_deliver(struct scn_check *c, char host, const uint8_t *data, size_t len)
{
    int h = host_index(host);
    if (h < 0 || c->ended)
        return;
    c->host[h].content_fed = true;
    for (size_t i = 0; i < c->nruns; i++) {
        struct run *r = &c->runs[i];
        const struct scn_expect *e = r->e;
        if (e->kind != SCN_EXP_DELIVERED || e->host != h || !e->text)
            continue;
        /* Once the text is known not to match and the message has its bytes, the rest only
         * counts: 1000 such lines over 16 MiB took 26 s byte by byte. */
        size_t k = 0;
        for (; k < len && !(r->mismatch && r->ngot == GOT_MAX); k++, r->fed++) {
            if (r->ngot < GOT_MAX)
                r->got[r->ngot++] = data[k];
            bool same = r->fed < e->text_len && (uint8_t)e->text[r->fed] == data[k];
            if (!same && !r->mismatch) {
                r->mismatch = true;
                r->mismatch_at = r->fed;
            }
        }
        r->fed += len - k;
    }
}

/* ---- the end of the run ---- */

static const char *cmp_name(enum scn_cmp cmp)
{
    switch (cmp) {
    case SCN_CMP_EQ: return "=";
    case SCN_CMP_NE: return "!=";
    case SCN_CMP_LT: return "<";
    case SCN_CMP_LE: return "<=";
    case SCN_CMP_GT: return ">";
    case SCN_CMP_GE: return ">=";
    }
    return "?";
}

static bool cmp_holds(enum scn_cmp cmp, uint64_t a, uint64_t b)
{
    switch (cmp) {
    case SCN_CMP_EQ: return a == b;
    case SCN_CMP_NE: return a != b;
    case SCN_CMP_LT: return a < b;
    case SCN_CMP_LE: return a <= b;
    case SCN_CMP_GT: return a > b;
    case SCN_CMP_GE: return a >= b;
    }
    return false;
}

static void states_entered(char *buf, size_t size, uint32_t mask)
{
    buf[0] = '\0';
    for (int s = 0; s < TCP_STATE_COUNT; s++)
        if (mask & (1u << s))
            add(buf, size, "%s%s", buf[0] ? " " : "", trace_state_name((enum tcp_state)s));
    if (!buf[0])
        snprintf(buf, size, "none");
}

static void end_delivered(const struct scn_check *c, struct run *r)
{
    const struct scn_expect *e = r->e;
    const struct host_track *h = &c->host[e->host];
    char want[200], got[200];
    if (e->text)
        quote(want, sizeof want, (const uint8_t *)e->text, e->text_len);
    else
        snprintf(want, sizeof want, "(any content)");
    if (h->delivered != e->n) {
        fail(c, r, "%c's application got %" PRIu64 " bytes, expected %" PRIu64,
             host_char(e->host), h->delivered, e->n);
        snprintf(r->detail, sizeof r->detail, "    expected  %" PRIu64 " bytes %s\n",
                 e->n, want);
        if (e->text && h->content_fed) {
            quote(got, sizeof got, r->got, r->ngot);
            add(r->detail, sizeof r->detail, "    actual    %" PRIu64 " bytes %s\n",
                h->delivered, got);
        } else {
            add(r->detail, sizeof r->detail, "    actual    %" PRIu64 " bytes\n", h->delivered);
        }
        return;
    }
    if (e->text && h->content_fed && r->mismatch) {
        quote(got, sizeof got, r->got, r->ngot);
        fail(c, r, "%c's application got different bytes from byte %" PRIu64,
             host_char(e->host), r->mismatch_at + 1);
        snprintf(r->detail, sizeof r->detail,
                 "    expected  %s\n    actual    %s\n    first difference at byte %" PRIu64 "\n",
                 want, got, r->mismatch_at + 1);
    }
}

static void end_run(struct scn_check *c, struct run *r)
{
    const struct scn_expect *e = r->e;
    char tb[40], buf[200];
    switch (e->kind) {
    case SCN_EXP_STATE_AT:
        eval_state(c, r, false);
        return;
    case SCN_EXP_FINAL:
        eval_state(c, r, true);
        return;
    case SCN_EXP_EVER:
        if (!r->seen) {
            states_entered(buf, sizeof buf, c->host[e->host].entered);
            fail(c, r, "%c never entered %s", host_char(e->host), trace_state_name(e->state));
            snprintf(r->detail, sizeof r->detail,
                     "    expected  %c enters %s\n    actual    %c entered only: %s\n",
                     host_char(e->host), trace_state_name(e->state), host_char(e->host), buf);
        }
        return;
    case SCN_EXP_NEVER:
        if (r->seen) {
            fmt_time(tb, sizeof tb, r->seen_t);
            fail(c, r, "%c entered %s at %s (%s)", host_char(e->host),
                 trace_state_name(e->state), tb, r->seen_note);
            snprintf(r->detail, sizeof r->detail,
                     "    expected  %c never enters %s\n    actual    %c entered %s at %s (%s)\n",
                     host_char(e->host), trace_state_name(e->state), host_char(e->host),
                     trace_state_name(e->state), tb, r->seen_note);
        }
        return;
    case SCN_EXP_SEGMENTS:
        if (!r->decided && r->next < e->nsegs)
            segments_missing(c, r);
        return;
    case SCN_EXP_COUNT:
        if (!cmp_holds(e->cmp, r->count, e->n)) {
            fail(c, r, "counted %" PRIu64, r->count);
            snprintf(r->detail, sizeof r->detail,
                     "    expected  %s %" PRIu64 "\n    actual    %" PRIu64 "\n",
                     cmp_name(e->cmp), e->n, r->count);
        }
        return;
    case SCN_EXP_DELIVERED:
        end_delivered(c, r);
        return;
    case SCN_EXP_ERROR:
        if (!r->seen) {
            if (e->text)
                quote(buf, sizeof buf, (const uint8_t *)e->text, e->text_len);
            fail(c, r, "%s", r->nerrors ? "no matching error" : "no error was reported");
            snprintf(r->detail, sizeof r->detail, "    expected  an error for %c%s%s\n",
                     host_char(e->host), e->text ? " containing " : "", e->text ? buf : "");
            if (r->nerrors) {
                fmt_time(tb, sizeof tb, r->seen_t);
                add(r->detail, sizeof r->detail, "    actual    %s at %s\n", r->seen_note, tb);
            } else {
                add(r->detail, sizeof r->detail, "    actual    no error\n");
            }
        }
        return;
    case SCN_EXP_NO_ERROR:
        if (r->seen) {
            fmt_time(tb, sizeof tb, r->seen_t);
            fail(c, r, "error %s at %s", r->seen_note, tb);
            snprintf(r->detail, sizeof r->detail,
                     "    expected  no error\n    actual    %s at %s\n", r->seen_note, tb);
        }
        return;
    }
}

size_t scn_check_end(struct scn_check *c)
{
    if (c->ended)
        return c->nfail;
    c->ended = true;
    while (c->at_next < c->nat) /* every remaining expect at, in time order */
        eval_state(c, &c->runs[c->at_order[c->at_next++]], false);
    for (size_t i = 0; i < c->nruns; i++) {
        struct run *r = &c->runs[i];
        if (r->e->kind != SCN_EXP_STATE_AT && !r->failed)
            end_run(c, r);
        if (r->failed) {
            struct scn_failure *f = &c->fail[c->nfail++];
            f->line = r->e->line;
            f->summary = r->summary;
            f->detail = r->detail;
        }
    }
    return c->nfail;
}

size_t scn_check_expect_count(const struct scn_check *c)
{
    return c->nruns;
}

size_t scn_check_failure_count(const struct scn_check *c)
{
    return c->nfail;
}

const struct scn_failure *scn_check_failure(const struct scn_check *c, size_t i)
{
    return i < c->nfail ? &c->fail[i] : NULL;
}
