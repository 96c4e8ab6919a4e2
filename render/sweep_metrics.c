/* sweep_metrics.c: what one sweep run is measured by, read from its trace records only: the
 * handshake and total times, retransmissions, segments, delivered bytes and the outcome.
 * Called by sweep.c's trace sink and by the tests. */
#include "sweep.h"

#include <inttypes.h>
#include <string.h>

static int host_index(char h)
{
    return h == 'A' ? 0 : h == 'B' ? 1 : -1;
}

void sweep_metrics_init(struct sweep_metrics *m)
{
    memset(m, 0, sizeof *m);
    m->conn_sock = -1;
}

/* The socket's slot, created when asked and there is room (a free slot, else one of a closed
 * socket); NULL otherwise. */
static struct sweep_sock *slot(struct sweep_metrics *m, int h, int32_t sock, bool create)
{
    if (h < 0 || sock < 0)
        return NULL;
    struct sweep_sock *free_slot = NULL, *closed_slot = NULL;
    for (size_t i = 0; i < SWEEP_SOCKS; i++) {
        struct sweep_sock *s = &m->sock[h][i];
        if (s->used && s->sock == sock)
            return s;
        if (!s->used && !free_slot)
            free_slot = s;
        if (s->used && s->state == TCP_CLOSED && !closed_slot)
            closed_slot = s;
    }
    if (!free_slot)
        free_slot = closed_slot;
    if (!create || !free_slot)
        return NULL;
    *free_slot = (struct sweep_sock){.used = true, .sock = sock, .state = TCP_CLOSED};
    return free_slot;
}

static void on_tx(struct sweep_metrics *m, const struct trace_rec *rec, int h)
{
    const struct trace_seg *ts = &rec->u.tx.seg;
    m->segments++;
    uint32_t seqlen = (uint32_t)ts->len + ((ts->flags & SEG_SYN) ? 1u : 0u) +
                      ((ts->flags & SEG_FIN) ? 1u : 0u);
    struct sweep_sock *s = seqlen ? slot(m, h, rec->sock, true) : NULL;
    if (!s)
        return;
    /* a retransmission carries sequence space that starts below the highest end sent so far */
    uint32_t end = ts->rel_seq + seqlen;
    if (s->tx_any && (int32_t)(ts->rel_seq - s->snd_max) < 0)
        m->retransmits++;
    if (!s->tx_any || (int32_t)(end - s->snd_max) > 0)
        s->snd_max = end;
    s->tx_any = true;
}

static void on_state(struct sweep_metrics *m, const struct trace_rec *rec, int h)
{
    enum tcp_state from = rec->u.state.from, to = rec->u.state.to;
    struct sweep_sock *s = slot(m, h, rec->sock, true);
    if (s) {
        s->state = to;
        if (to == TCP_CLOSED) /* the socket number may come back as a new connection */
            s->tx_any = false;
    }
    if (m->connected && !m->established && to == TCP_ESTABLISHED && rec->host == m->conn_host &&
        rec->sock == m->conn_sock) {
        m->established = true;
        m->established_t = rec->t;
    }
    if (!(from == TCP_TIME_WAIT && to == TCP_CLOSED))
        m->last_t = rec->t;
}

static void on_app(struct sweep_metrics *m, const struct trace_rec *rec, int h)
{
    switch (rec->u.app.action) {
    case APP_CONNECT:
        if (!m->connected) {
            m->connected = true;
            m->conn_host = rec->host;
            m->conn_sock = rec->sock;
            m->connect_t = rec->t;
        }
        break;
    case APP_SEND:
        if (h >= 0)
            m->sent[h] += rec->u.app.bytes;
        break;
    case APP_DELIVER:
        if (h >= 0)
            m->delivered[h] += rec->u.app.bytes;
        break;
    case APP_ERROR:
        if (!m->error) {
            m->error = true;
            m->error_host = rec->host;
            memcpy(m->error_note, rec->note, sizeof m->error_note);
            m->error_note[sizeof m->error_note - 1] = '\0';
        }
        break;
    case APP_CLOSED: /* comes with a state record; after TIME_WAIT it marks only the expiry */
        return;
    case APP_LISTEN:
    case APP_SHUTDOWN:
    case APP_CLOSE:
    case APP_ABORT:
    case APP_CRASH:
    case APP_REBOOT:
    case APP_EOF:
    case APP_ACCEPT:
    case APP_CONNECTED:
    case APP_VARIANT:
        break;
    }
    m->last_t = rec->t;
}

void sweep_metrics_record(struct sweep_metrics *m, const struct trace_rec *rec)
{
    int h = host_index(rec->host);
    switch (rec->ev) {
    case TR_TX:
        on_tx(m, rec, h);
        m->last_t = rec->t;
        break;
    case TR_RX:
        m->last_t = rec->t;
        break;
    case TR_STATE:
        on_state(m, rec, h);
        break;
    case TR_APP:
        on_app(m, rec, h);
        break;
    case TR_TIMER:
    case TR_CAPTION:
    case TR_LINK:
    case TR_PAUSE:
        break;
    }
}

static const char *limit_name(enum sim_stop why)
{
    switch (why) {
    case SIM_RUNNING: return "still running";
    case SIM_DONE: return "";
    case SIM_LIMIT_EVENTS: return "max_events";
    case SIM_LIMIT_TIME: return "max_time";
    case SIM_LIMIT_SEGMENTS: return "max_segments";
    case SIM_LIMIT_BYTES: return "max_bytes";
    case SIM_NO_MEMORY: return "out of memory";
    }
    return "?";
}

/* The first socket still open at the end (neither CLOSED, TIME_WAIT nor a listener), or NULL. */
static const struct sweep_sock *open_sock(const struct sweep_metrics *m, int *host)
{
    for (int h = 0; h < SIM_HOSTS; h++)
        for (size_t i = 0; i < SWEEP_SOCKS; i++) {
            const struct sweep_sock *s = &m->sock[h][i];
            if (s->used && s->state != TCP_CLOSED && s->state != TCP_TIME_WAIT &&
                s->state != TCP_LISTEN) {
                *host = h;
                return s;
            }
        }
    return NULL;
}

void sweep_metrics_finish(const struct sweep_metrics *m, enum sim_stop why,
                          struct sweep_result *out)
{
    out->handshake = m->established ? m->established_t - m->connect_t : -1;
    out->total = m->last_t;
    out->retransmits = m->retransmits;
    out->segments = m->segments;
    out->delivered = m->delivered[0] + m->delivered[1];
    out->outcome = SWEEP_FAILED;
    int h = 0;
    const struct sweep_sock *s;
    if (why != SIM_DONE) {
        out->outcome = SWEEP_LIMIT;
        snprintf(out->why, sizeof out->why, "%s", limit_name(why));
    } else if (m->error) {
        snprintf(out->why, sizeof out->why, "%c: %s", m->error_host ? m->error_host : '-',
                 m->error_note);
    } else if (!m->connected) {
        snprintf(out->why, sizeof out->why, "no connect");
    } else if (!m->established) {
        snprintf(out->why, sizeof out->why, "not established");
    } else if (m->delivered[1] != m->sent[0]) {
        snprintf(out->why, sizeof out->why, "B got %" PRIu64 " of %" PRIu64 " bytes",
                 m->delivered[1], m->sent[0]);
    } else if (m->delivered[0] != m->sent[1]) {
        snprintf(out->why, sizeof out->why, "A got %" PRIu64 " of %" PRIu64 " bytes",
                 m->delivered[0], m->sent[1]);
    } else if ((s = open_sock(m, &h)) != NULL) {
        snprintf(out->why, sizeof out->why, "not closed: %c in %s", (char)('A' + h),
                 trace_state_name(s->state));
    } else {
        out->outcome = SWEEP_COMPLETED;
        out->why[0] = '\0';
    }
}
