/* tcp_harness.c: the packetdrill-like single-host harness and the two-host wire used by the TCP
 * tests (see tcp_harness.h). Called only by tests/tcp/test_*.c. */
#include "tcp_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared: trace records ---- */

static void rec_push(struct h_records *r, const struct trace_rec *rec)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct trace_rec *nr = realloc(r->r, cap * sizeof *nr);
        if (!nr) {
            fprintf(stderr, "harness: out of memory\n");
            abort();
        }
        r->r = nr;
        r->cap = cap;
    }
    r->r[r->n++] = *rec;
}

static void rec_emit(void *ctx, const struct trace_rec *rec)
{
    rec_push(ctx, rec);
}

size_t rec_count_app(const struct h_records *r, char host, enum app_action a)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->r[i].ev == TR_APP && r->r[i].host == host && r->r[i].u.app.action == a)
            n++;
    return n;
}

const char *rec_last_app_note(const struct h_records *r, char host, enum app_action a)
{
    for (size_t i = r->n; i-- > 0;)
        if (r->r[i].ev == TR_APP && r->r[i].host == host && r->r[i].u.app.action == a)
            return r->r[i].note;
    return NULL;
}

bool rec_has_state(const struct h_records *r, char host, enum tcp_state from, enum tcp_state to)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->r[i].ev == TR_STATE && r->r[i].host == host && r->r[i].u.state.from == from &&
            r->r[i].u.state.to == to)
            return true;
    return false;
}

size_t rec_count_timer(const struct h_records *r, char host, enum tcp_timer tm,
                       enum timer_action a)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->r[i].ev == TR_TIMER && r->r[i].host == host && r->r[i].u.timer.timer == tm &&
            r->r[i].u.timer.action == a)
            n++;
    return n;
}

sim_time rec_last_timer(const struct h_records *r, char host, enum tcp_timer tm,
                        enum timer_action a)
{
    for (size_t i = r->n; i-- > 0;)
        if (r->r[i].ev == TR_TIMER && r->r[i].host == host && r->r[i].u.timer.timer == tm &&
            r->r[i].u.timer.action == a)
            return r->r[i].u.timer.deadline;
    return SIM_NEVER;
}

const struct trace_rec *rec_last_state(const struct h_records *r, char host)
{
    for (size_t i = r->n; i-- > 0;)
        if (r->r[i].ev == TR_STATE && r->r[i].host == host)
            return &r->r[i];
    return NULL;
}

bool rec_all_nonstandard_marked(const struct h_records *r, const char *note_part)
{
    size_t seen = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!strstr(r->r[i].note, note_part))
            continue;
        seen++;
        if (!r->r[i].nonstandard)
            return false;
    }
    return seen > 0;
}

static void data_append(uint8_t **buf, size_t *n, const uint8_t *d, size_t len)
{
    if (!*buf) {
        *buf = malloc(H_DATA_MAX);
        if (!*buf)
            abort();
    }
    if (*n + len > H_DATA_MAX) {
        fprintf(stderr, "harness: more than %u delivered bytes\n", H_DATA_MAX);
        abort();
    }
    memcpy(*buf + *n, d, len);
    *n += len;
}

int h_parse_flags(const char *s)
{
    int f = 0;
    for (; *s; s++) {
        switch (*s) {
        case 'S': f |= SEG_SYN; break;
        case 'F': f |= SEG_FIN; break;
        case 'R': f |= SEG_RST; break;
        case 'P': f |= SEG_PSH; break;
        case '.': f |= SEG_ACK; break;
        case '-': break;
        default: return -1;
        }
    }
    return f;
}

static void flags_pd(uint8_t f, char *buf)
{
    size_t n = 0;
    if (f & SEG_SYN)
        buf[n++] = 'S';
    if (f & SEG_FIN)
        buf[n++] = 'F';
    if (f & SEG_RST)
        buf[n++] = 'R';
    if (f & SEG_PSH)
        buf[n++] = 'P';
    if (f & SEG_ACK)
        buf[n++] = '.';
    if (n == 0)
        buf[n++] = '-';
    buf[n] = '\0';
}

/* ---- one host ---- */

static void h_output(void *ctx, char host, const struct segment *seg, uint32_t rel_seq,
                     uint32_t rel_ack, int32_t sock)
{
    struct harness *h = ctx;
    (void)host;
    if (seg->flags & SEG_SYN) {
        h->iss_seen = true;
        h->iss = seg->seq;
    }
    if (h->nout >= H_MAX_OUT) {
        fprintf(stderr, "harness: too many outputs\n");
        abort();
    }
    struct h_out *o = &h->out[h->nout++];
    o->t = h->now;
    o->flags = seg->flags;
    o->seq = seg->seq;
    o->ack = seg->ack;
    o->rseq = h->iss_seen ? seg->seq - h->iss : seg->seq;
    o->rack = seg->ack - H_PEER_ISN;
    o->len = seg->len;
    o->wnd = seg->wnd;
    o->mss = seg->mss;
    o->sock = sock;
    o->host_rel_seq = rel_seq;
    o->host_rel_ack = rel_ack;
    o->checksum_ok = seg_checksum_ok(seg) && seg->flipped_bit == -1;
    o->nonstandard = h->io.nonstandard;
}

static void h_deliver(void *ctx, char host, int32_t sock, const uint8_t *d, size_t len)
{
    struct harness *h = ctx;
    (void)host;
    (void)sock;
    data_append(&h->data, &h->ndata, d, len);
}

void h_init(struct harness *h, enum profile_id prof)
{
    memset(h, 0, sizeof *h);
    h->cfg.name = 'B';
    h->cfg.addr = H_IUT_ADDR;
    h->cfg.isn_policy = ISN_FIXED;
    h->cfg.isn_fixed = H_IUT_ISS;
    profile_defaults(&h->cfg.profile, prof);
    h->cfg.profile.timer_tick = 0; /* exact timers: the cases check nominal times (see h_init) */
    h->in_mss = 1460;
    rng_seed(&h->rng, 1);
}

struct host *h_host(struct harness *h)
{
    if (!h->host) {
        h->host = host_create(&h->cfg);
        if (!h->host)
            abort();
    }
    return h->host;
}

void h_finish(struct harness *h)
{
    host_destroy(h->host);
    free(h->rec.r);
    free(h->data);
    memset(h, 0, sizeof *h);
}

bool h_set(struct harness *h, const char *key, int64_t value)
{
    if (h->host) {
        fprintf(stderr, "harness: h_set(%s) after the host was made has no effect\n", key);
        return false;
    }
    return profile_set(&h->cfg.profile, key, value);
}

/* The io is filled before each call into the host. */
static struct host_io *h_io(struct harness *h)
{
    h->io.now = h->now;
    h->io.rng = &h->rng;
    h->io.output = h_output;
    h->io.output_ctx = h;
    h->io.deliver = h_deliver;
    h->io.deliver_ctx = h;
    return &h->io;
}

/* The sink is a plain value on the caller's stack, valid for the one call. */
static void h_call_prepare(struct harness *h, struct trace_sink *sink)
{
    sink->emit = rec_emit;
    sink->ctx = &h->rec;
    h_io(h)->trace = sink;
}

void h_at(struct harness *h, sim_time t)
{
    struct host *host = h_host(h);
    struct trace_sink sink;
    for (int guard = 0; guard < 1000000; guard++) {
        sim_time d = host_next_deadline(host);
        if (d == SIM_NEVER || d > t)
            break;
        if (d > h->now)
            h->now = d;
        h_call_prepare(h, &sink);
        host_on_timer(host, &h->io);
    }
    if (t > h->now)
        h->now = t;
}

void h_after(struct harness *h, sim_time dt)
{
    h_at(h, h->now + dt);
}

int h_listen(struct harness *h)
{
    struct trace_sink sink;
    struct host *host = h_host(h);
    h_call_prepare(h, &sink);
    return host_listen(host, H_IUT_PORT, &h->io);
}

int h_connect(struct harness *h)
{
    struct trace_sink sink;
    struct host *host = h_host(h);
    h_call_prepare(h, &sink);
    return host_connect(host, H_IUT_PORT, H_PEER_ADDR, H_PEER_PORT, &h->io);
}

int h_send(struct harness *h, size_t len)
{
    struct trace_sink sink;
    struct host *host = h_host(h);
    h_call_prepare(h, &sink);
    return host_send(host, -1, NULL, len, &h->io);
}

int h_shutdown(struct harness *h)
{
    struct trace_sink sink;
    struct host *host = h_host(h);
    h_call_prepare(h, &sink);
    return host_shutdown(host, -1, &h->io);
}

int h_close(struct harness *h)
{
    struct trace_sink sink;
    struct host *host = h_host(h);
    h_call_prepare(h, &sink);
    return host_close(host, -1, &h->io);
}

int h_abort(struct harness *h)
{
    struct trace_sink sink;
    struct host *host = h_host(h);
    h_call_prepare(h, &sink);
    return host_abort(host, -1, &h->io);
}

int h_call(struct harness *h, enum app_action a, int sock)
{
    struct trace_sink sink;
    struct host *host = h_host(h);
    h_call_prepare(h, &sink);
    if (a == APP_SEND)
        return host_send(host, sock, NULL, 10, &h->io);
    if (a == APP_SHUTDOWN)
        return host_shutdown(host, sock, &h->io);
    if (a == APP_CLOSE)
        return host_close(host, sock, &h->io);
    if (a == APP_ABORT)
        return host_abort(host, sock, &h->io);
    fprintf(stderr, "harness: h_call with an action that is not a user call\n");
    abort();
}

void h_crash(struct harness *h)
{
    struct trace_sink sink;
    struct host *host = h_host(h);
    h_call_prepare(h, &sink);
    host_crash(host, &h->io);
}

static void h_inject(struct harness *h, const char *flags, uint32_t rseq, uint32_t rend,
                     uint32_t rack, uint16_t wnd, bool corrupt)
{
    int f = h_parse_flags(flags);
    if (f < 0) {
        fprintf(stderr, "harness: bad flags '%s'\n", flags);
        abort();
    }
    uint8_t payload[SEG_MAX_PAYLOAD];
    uint32_t len = rend - rseq;
    if (len > SEG_MAX_PAYLOAD)
        abort();
    for (uint32_t i = 0; i < len; i++)
        payload[i] = (uint8_t)('A' + (rseq + i) % 26);
    struct segment s;
    memset(&s, 0, sizeof s);
    s.src_addr = H_PEER_ADDR;
    s.dst_addr = H_IUT_ADDR;
    s.src_port = H_PEER_PORT;
    s.dst_port = H_IUT_PORT;
    s.seq = H_PEER_ISN + rseq;
    s.ack = (f & SEG_ACK) ? (h->iss_seen ? h->iss + rack : rack) : 0;
    s.flags = (uint8_t)f;
    s.wnd = wnd;
    s.mss = (f & SEG_SYN) ? h->in_mss : 0;
    s.len = (uint16_t)len;
    s.data = len ? payload : NULL;
    s.flipped_bit = -1;
    seg_set_checksum(&s);
    if (corrupt)
        s.flipped_bit = 100; /* a bit in the header's window field */
    struct trace_sink sink;
    struct host *host = h_host(h);
    h_call_prepare(h, &sink);
    host_input(host, &s, 0, &h->io);
}

void h_in(struct harness *h, const char *flags, uint32_t rseq, uint32_t rend, uint32_t rack,
          uint16_t wnd)
{
    h_inject(h, flags, rseq, rend, rack, wnd, false);
}

void h_in_corrupt(struct harness *h, const char *flags, uint32_t rseq, uint32_t rend,
                  uint32_t rack, uint16_t wnd)
{
    h_inject(h, flags, rseq, rend, rack, wnd, true);
}

static void print_out(const char *prefix, const struct h_out *o)
{
    char f[8];
    flags_pd(o->flags, f);
    fprintf(stderr, "%s t=%.3f %s %u:%u(%u) ack %u win %u\n", prefix, (double)o->t / 1e9, f,
            o->rseq, o->rseq + o->len, o->len, o->rack, o->wnd);
}

bool h_expect(struct harness *h, const char *flags, uint32_t rseq, uint32_t rend, uint32_t rack)
{
    int f = h_parse_flags(flags);
    if (h->cursor >= h->nout) {
        fprintf(stderr, "  expected > %s %u:%u ack %u, got nothing\n", flags, rseq, rend, rack);
        return false;
    }
    const struct h_out *o = &h->out[h->cursor++];
    bool ok = o->flags == f && o->rseq == rseq && o->rseq + o->len == rend && o->checksum_ok &&
              (!(o->flags & SEG_ACK) || o->rack == rack);
    if (!ok) {
        fprintf(stderr, "  expected > %s %u:%u(%u) ack %u\n", flags, rseq, rend, rend - rseq, rack);
        print_out("  got     >", o);
    }
    return ok;
}

bool h_expect_none(struct harness *h)
{
    if (h->cursor >= h->nout)
        return true;
    print_out("  expected nothing, got >", &h->out[h->cursor]);
    return false;
}

const struct h_out *h_peek(const struct harness *h)
{
    return h->cursor < h->nout ? &h->out[h->cursor] : NULL;
}

size_t h_pending(const struct harness *h)
{
    return h->nout - h->cursor;
}

enum tcp_state h_state(const struct harness *h)
{
    return h->host ? host_state(h->host) : TCP_CLOSED;
}

size_t h_socks(const struct harness *h)
{
    return h->host ? host_sock_count(h->host) : 0;
}

bool h_view(const struct harness *h, int index_from_newest, struct tcb_view *v)
{
    size_t n = h_socks(h);
    if (index_from_newest < 0 || (size_t)index_from_newest >= n)
        return false;
    return host_sock_view(h->host, n - 1 - (size_t)index_from_newest, v);
}

/* ---- two hosts on a wire ---- */

static int w_index(char host)
{
    return host == 'A' ? 0 : 1;
}

static void w_output(void *ctx, char host, const struct segment *seg, uint32_t rel_seq,
                     uint32_t rel_ack, int32_t sock)
{
    struct wire *w = ctx;
    int from = w_index(host);
    (void)sock;
    if (!seg_checksum_ok(seg)) {
        fprintf(stderr, "wire: host %c sent a segment with a bad checksum\n", host);
        abort();
    }
    w->sent[from]++;
    sim_time extra = 0;
    if (w->automatic && w->filter && !w->filter(w->filter_ctx, from, seg, w->sent[from], &extra))
        return;
    if (w->nq >= W_MAX_Q) {
        fprintf(stderr, "wire: queue full\n");
        abort();
    }
    struct w_pkt *p = &w->q[w->nq++];
    if (!seg_copy(&p->seg, seg))
        abort();
    p->from = from;
    p->sent = w->now;
    p->arrive = w->automatic ? w->now + w->delay + extra : SIM_NEVER;
    p->rel_seq = rel_seq;
    p->rel_ack = rel_ack;
    p->nonstandard = w->io[from].nonstandard;
}

static void w_deliver_a(void *ctx, char host, int32_t sock, const uint8_t *d, size_t len)
{
    struct wire *w = ctx;
    (void)sock;
    int i = w_index(host);
    data_append(&w->data[i], &w->ndata[i], d, len);
}

void w_init(struct wire *w, enum profile_id prof, uint32_t iss_a, uint32_t iss_b)
{
    memset(w, 0, sizeof *w);
    for (int i = 0; i < 2; i++) {
        struct host_config *c = &w->cfg[i];
        c->name = i == 0 ? 'A' : 'B';
        c->addr = i == 0 ? H_PEER_ADDR : H_IUT_ADDR;
        c->isn_policy = ISN_FIXED;
        c->isn_fixed = i == 0 ? iss_a : iss_b;
        profile_defaults(&c->profile, prof);
        c->profile.timer_tick = 0; /* exact timers, as h_init */
        rng_seed(&w->rng[i], (uint64_t)i + 7);
    }
    w->delay = sim_ms(10);
}

bool w_set(struct wire *w, int i, const char *key, int64_t value)
{
    if (w->host[i]) {
        fprintf(stderr, "wire: w_set(%s) after the host was made has no effect\n", key);
        return false;
    }
    return profile_set(&w->cfg[i].profile, key, value);
}

struct host *w_host(struct wire *w, int i)
{
    if (!w->host[i]) {
        w->host[i] = host_create(&w->cfg[i]);
        if (!w->host[i])
            abort();
    }
    return w->host[i];
}

void w_finish(struct wire *w)
{
    for (int i = 0; i < 2; i++) {
        host_destroy(w->host[i]);
        free(w->data[i]);
    }
    for (size_t k = 0; k < w->nq; k++)
        seg_finish(&w->q[k].seg);
    free(w->rec.r);
    memset(w, 0, sizeof *w);
}

static struct host_io *w_io(struct wire *w, int i, struct trace_sink *sink)
{
    sink->emit = rec_emit;
    sink->ctx = &w->rec;
    struct host_io *io = &w->io[i];
    io->now = w->now;
    io->rng = &w->rng[i];
    io->output = w_output;
    io->output_ctx = w;
    io->trace = sink;
    io->deliver = w_deliver_a;
    io->deliver_ctx = w;
    return io;
}

int w_listen(struct wire *w, int i)
{
    struct trace_sink sink;
    struct host *h = w_host(w, i);
    return host_listen(h, i == 0 ? H_PEER_PORT : H_IUT_PORT, w_io(w, i, &sink));
}

int w_connect(struct wire *w, int i)
{
    struct trace_sink sink;
    struct host *h = w_host(w, i);
    if (i == 0)
        return host_connect(h, H_PEER_PORT, H_IUT_ADDR, H_IUT_PORT, w_io(w, i, &sink));
    return host_connect(h, H_IUT_PORT, H_PEER_ADDR, H_PEER_PORT, w_io(w, i, &sink));
}

int w_send(struct wire *w, int i, const uint8_t *data, size_t len)
{
    struct trace_sink sink;
    struct host *h = w_host(w, i);
    return host_send(h, -1, data, len, w_io(w, i, &sink));
}

int w_shutdown(struct wire *w, int i)
{
    struct trace_sink sink;
    struct host *h = w_host(w, i);
    return host_shutdown(h, -1, w_io(w, i, &sink));
}

int w_close(struct wire *w, int i)
{
    struct trace_sink sink;
    struct host *h = w_host(w, i);
    return host_close(h, -1, w_io(w, i, &sink));
}

int w_abort(struct wire *w, int i)
{
    struct trace_sink sink;
    struct host *h = w_host(w, i);
    return host_abort(h, -1, w_io(w, i, &sink));
}

void w_crash(struct wire *w, int i)
{
    struct trace_sink sink;
    struct host *h = w_host(w, i);
    host_crash(h, w_io(w, i, &sink));
}

static long w_find(const struct wire *w, int from, size_t k)
{
    size_t seen = 0;
    for (size_t j = 0; j < w->nq; j++) {
        if (w->q[j].from != from)
            continue;
        if (seen++ == k)
            return (long)j;
    }
    return -1;
}

size_t w_waiting(const struct wire *w, int from)
{
    size_t n = 0;
    for (size_t j = 0; j < w->nq; j++)
        n += w->q[j].from == from;
    return n;
}

const struct segment *w_peek(const struct wire *w, int from, size_t k)
{
    long j = w_find(w, from, k);
    return j < 0 ? NULL : &w->q[j].seg;
}

bool w_check(const struct wire *w, int from, size_t k, const char *flags, uint32_t seq,
             uint32_t ack, uint16_t len)
{
    const struct segment *s = w_peek(w, from, k);
    int f = h_parse_flags(flags);
    if (!s) {
        fprintf(stderr, "  expected %c> %s seq %u ack %u len %u: nothing waiting\n",
                from ? 'B' : 'A', flags, seq, ack, len);
        return false;
    }
    bool ok = s->flags == f && s->seq == seq && s->len == len && (!(f & SEG_ACK) || s->ack == ack);
    if (!ok) {
        char got[8];
        flags_pd(s->flags, got);
        fprintf(stderr, "  expected %c> %s seq %u ack %u len %u, got %s seq %u ack %u len %u\n",
                from ? 'B' : 'A', flags, seq, ack, len, got, s->seq, s->ack, s->len);
    }
    return ok;
}

static void w_remove(struct wire *w, size_t j, struct w_pkt *out)
{
    *out = w->q[j];
    memmove(&w->q[j], &w->q[j + 1], (w->nq - j - 1) * sizeof w->q[0]);
    w->nq--;
}

static void w_arrive(struct wire *w, struct w_pkt *p)
{
    int to = 1 - p->from;
    struct trace_sink sink;
    struct host *h = w_host(w, to);
    host_input(h, &p->seg, ++w->next_id, w_io(w, to, &sink));
    seg_finish(&p->seg);
}

void w_deliver(struct wire *w, int from, size_t k)
{
    long j = w_find(w, from, k);
    if (j < 0) {
        fprintf(stderr, "wire: nothing to deliver from %c (#%zu)\n", from ? 'B' : 'A', k);
        abort();
    }
    struct w_pkt p;
    w_remove(w, (size_t)j, &p);
    w_arrive(w, &p);
}

void w_inject(struct wire *w, int from, const char *flags, uint32_t seq, uint32_t ack,
              uint16_t len)
{
    int f = h_parse_flags(flags);
    if (f < 0 || w->nq >= W_MAX_Q)
        abort();
    struct w_pkt *p = &w->q[w->nq++];
    memset(p, 0, sizeof *p);
    struct segment *s = &p->seg;
    s->src_addr = from == 0 ? H_PEER_ADDR : H_IUT_ADDR;
    s->dst_addr = from == 0 ? H_IUT_ADDR : H_PEER_ADDR;
    s->src_port = from == 0 ? H_PEER_PORT : H_IUT_PORT;
    s->dst_port = from == 0 ? H_IUT_PORT : H_PEER_PORT;
    s->seq = seq;
    s->ack = ack;
    s->flags = (uint8_t)f;
    s->wnd = 65535;
    s->mss = (f & SEG_SYN) ? 1460 : 0;
    s->len = len;
    if (len) {
        s->data = calloc(len, 1);
        if (!s->data)
            abort();
    }
    s->flipped_bit = -1;
    seg_set_checksum(s);
    p->from = from;
    p->sent = w->now;
    p->arrive = w->automatic ? w->now + w->delay : SIM_NEVER;
}

void w_drop(struct wire *w, int from, size_t k)
{
    long j = w_find(w, from, k);
    if (j < 0)
        abort();
    struct w_pkt p;
    w_remove(w, (size_t)j, &p);
    seg_finish(&p.seg);
}

void w_run_until(struct wire *w, sim_time t)
{
    for (long guard = 0; guard < 10000000; guard++) {
        sim_time best = SIM_NEVER;
        int kind = -1; /* 0/1: timers of host i; 2: an arrival */
        size_t arr = 0;
        for (int i = 0; i < 2; i++) {
            sim_time d = w->host[i] ? host_next_deadline(w->host[i]) : SIM_NEVER;
            if (d < best) {
                best = d;
                kind = i;
            }
        }
        for (size_t j = 0; j < w->nq; j++) {
            if (w->q[j].arrive < best) {
                best = w->q[j].arrive;
                kind = 2;
                arr = j;
            }
        }
        if (kind < 0 || best > t)
            break;
        if (best > w->now)
            w->now = best;
        if (kind == 2) {
            struct w_pkt p;
            w_remove(w, arr, &p);
            w_arrive(w, &p);
        } else {
            struct trace_sink sink;
            host_on_timer(w->host[kind], w_io(w, kind, &sink));
        }
    }
    if (t > w->now)
        w->now = t;
}

enum tcp_state w_state(const struct wire *w, int i)
{
    return w->host[i] ? host_state(w->host[i]) : TCP_CLOSED;
}
