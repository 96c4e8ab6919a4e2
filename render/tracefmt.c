/* tracefmt.c: the text and JSONL renderings of trace records (design.md "JSONL trace records").
 * Called by the CLI's run/check/sweep and by tests; the golden traces are written with it. */
#include "tracefmt.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* An append-only buffer that counts what it would have written, like snprintf. */
struct out {
    char *buf;
    size_t size, len;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

static size_t finish(struct out *o)
{
    if (o->size)
        o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
    return o->len;
}

size_t tracefmt_time(sim_time t, char *buf, size_t size)
{
    const char *sign = t < 0 ? "-" : "";
    uint64_t a = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    int n = snprintf(buf, size, "%s%" PRIu64 ".%06" PRIu64, sign, a / 1000000000u, a / 1000u % 1000000u);
    return n < 0 ? 0 : (size_t)n;
}

/* ---- text ---------------------------------------------------------------------------------- */

static void text_seg(struct out *o, const struct trace_seg *s)
{
    char flags[48];
    seg_flags_str(s->flags, flags, sizeof flags);
    put(o, "%-11s seq=%" PRIu32 " ack=%" PRIu32 " len=%u win=%u", flags, s->rel_seq, s->rel_ack,
        (unsigned)s->len, (unsigned)s->wnd);
    if (s->mss)
        put(o, " mss=%u", (unsigned)s->mss);
    /* A SYN carries its sender's ISN: show it absolute, so a student sees that it is random. */
    if (s->flags & SEG_SYN)
        put(o, " isn=%" PRIu32, s->seq);
}

size_t tracefmt_text(const struct trace_rec *r, char *buf, size_t size)
{
    struct out o = { buf, size, 0 };
    char t[40];
    tracefmt_time(r->t, t, sizeof t);
    put(&o, "%11s %c ", t, r->host ? r->host : '-');
    switch (r->ev) {
    case TR_TX:
        put(&o, "tx #%" PRIu64 " %c>%c ", r->u.tx.id, r->host, r->u.tx.to);
        text_seg(&o, &r->u.tx.seg);
        put(&o, " -> %s", trace_fate_name(r->u.tx.fate));
        break;
    case TR_RX:
        put(&o, "rx #%" PRIu64 " %c>%c ", r->u.rx.id, r->host == 'A' ? 'B' : 'A', r->host);
        text_seg(&o, &r->u.rx.seg);
        if (r->u.rx.discarded)
            put(&o, " discarded");
        break;
    case TR_STATE:
        put(&o, "state %s -> %s", trace_state_name(r->u.state.from), trace_state_name(r->u.state.to));
        break;
    case TR_TIMER:
        put(&o, "timer %s %s", trace_timer_name(r->u.timer.timer), trace_timer_action_name(r->u.timer.action));
        if (r->u.timer.action == TIMER_SET) {
            tracefmt_time(r->u.timer.deadline, t, sizeof t);
            put(&o, " until %s", t);
        }
        break;
    case TR_APP:
        put(&o, "app %s", trace_app_name(r->u.app.action));
        if (r->u.app.bytes)
            put(&o, " %" PRIu64 " bytes", r->u.app.bytes);
        break;
    case TR_CAPTION:
        put(&o, "caption \"%s\"", r->u.caption.text);
        if (r->u.caption.text_ko[0])
            put(&o, " / \"%s\"", r->u.caption.text_ko);
        break;
    case TR_LINK:
        put(&o, "link %s", r->u.link.dir);
        break;
    case TR_PAUSE:
        put(&o, "pause");
        break;
    }
    if (r->note[0])
        put(&o, " (%s)", r->note);
    if (r->nonstandard)
        put(&o, " [non-standard]");
    return finish(&o);
}

/* ---- JSONL --------------------------------------------------------------------------------- */

static void json_str(struct out *o, const char *s)
{
    put(o, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': put(o, "\\\""); break;
        case '\\': put(o, "\\\\"); break;
        case '\n': put(o, "\\n"); break;
        case '\r': put(o, "\\r"); break;
        case '\t': put(o, "\\t"); break;
        default:
            if (*p < 0x20)
                put(o, "\\u%04x", (unsigned)*p);
            else
                put(o, "%c", *p);
        }
    }
    put(o, "\"");
}

static void json_flags(struct out *o, uint8_t flags)
{
    put(o, "[");
    bool first = true;
    for (int bit = 7; bit >= 0; bit--) {
        uint8_t f = (uint8_t)(1u << bit);
        if (flags & f) {
            put(o, "%s\"%s\"", first ? "" : ",", seg_flag_name(f));
            first = false;
        }
    }
    put(o, "]");
}

static void json_seg(struct out *o, const struct trace_seg *s)
{
    put(o, ",\"flags\":");
    json_flags(o, s->flags);
    put(o, ",\"seq\":%" PRIu32 ",\"ack\":%" PRIu32 ",\"rel_seq\":%" PRIu32 ",\"rel_ack\":%" PRIu32
           ",\"len\":%u,\"wnd\":%u,\"mss\":%u",
        s->seq, s->ack, s->rel_seq, s->rel_ack, (unsigned)s->len, (unsigned)s->wnd, (unsigned)s->mss);
}

static void json_host(struct out *o, char host)
{
    put(o, ",\"host\":\"%c\"", host ? host : '-');
}

size_t tracefmt_jsonl(const struct trace_rec *r, char *buf, size_t size)
{
    struct out o = { buf, size, 0 };
    put(&o, "{\"t_ns\":%" PRId64 ",\"ev\":\"%s\"", r->t, trace_ev_name(r->ev));
    switch (r->ev) {
    case TR_TX:
        put(&o, ",\"id\":%" PRIu64 ",\"from\":\"%c\",\"to\":\"%c\"", r->u.tx.id, r->host, r->u.tx.to);
        json_seg(&o, &r->u.tx.seg);
        put(&o, ",\"fate\":\"%s\"", trace_fate_name(r->u.tx.fate));
        break;
    case TR_RX:
        put(&o, ",\"id\":%" PRIu64, r->u.rx.id);
        json_host(&o, r->host);
        json_seg(&o, &r->u.rx.seg);
        put(&o, ",\"discarded\":%s", r->u.rx.discarded ? "true" : "false");
        break;
    case TR_STATE:
        json_host(&o, r->host);
        put(&o, ",\"from\":\"%s\",\"to\":\"%s\",\"cause\":", trace_state_name(r->u.state.from),
            trace_state_name(r->u.state.to));
        json_str(&o, r->note);
        break;
    case TR_TIMER:
        json_host(&o, r->host);
        put(&o, ",\"timer\":\"%s\",\"action\":\"%s\",\"deadline_ns\":%" PRId64, trace_timer_name(r->u.timer.timer),
            trace_timer_action_name(r->u.timer.action), r->u.timer.deadline);
        break;
    case TR_APP:
        json_host(&o, r->host);
        put(&o, ",\"action\":\"%s\",\"bytes\":%" PRIu64, trace_app_name(r->u.app.action), r->u.app.bytes);
        break;
    case TR_CAPTION:
        put(&o, ",\"text\":");
        json_str(&o, r->u.caption.text);
        put(&o, ",\"text_ko\":");
        json_str(&o, r->u.caption.text_ko);
        break;
    case TR_LINK:
        put(&o, ",\"dir\":\"%s\"", r->u.link.dir);
        break;
    case TR_PAUSE:
        break;
    }
    put(&o, ",\"sock\":%" PRId32 ",\"nonstandard\":%s,\"note\":", r->sock, r->nonstandard ? "true" : "false");
    json_str(&o, r->note);
    put(&o, "}");
    return finish(&o);
}

void tracefmt_emit(void *ctx, const struct trace_rec *r)
{
    struct tracefmt_sink *s = ctx;
    size_t (*fmt)(const struct trace_rec *, char *, size_t) =
        s->kind == TRACEFMT_JSONL ? tracefmt_jsonl : tracefmt_text;
    char line[2048];
    size_t n = fmt(r, line, sizeof line);
    char *big = n < sizeof line ? NULL : malloc(n + 1);
    if (big)
        fmt(r, big, n + 1);
    fputs(big ? big : line, s->out);
    fputc('\n', s->out);
    free(big);
}
