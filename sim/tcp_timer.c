/* tcp_timer.c: a TCB's timers as deadlines with their trace records, what each does when it
 * fires (RFC 9293 §3.10.8), and the RTO of RFC 6298. Called by host.c and the tcp_*.c files. */
#include "tcp.h"

#include <stdio.h>

static void timer_record(struct tcb *t, enum tcp_timer which, enum timer_action a,
                         sim_time deadline, struct host_io *io)
{
    struct trace_rec r;
    tcp_rec_init(&r, t, TR_TIMER, io);
    r.u.timer.timer = which;
    r.u.timer.action = a;
    r.u.timer.deadline = deadline;
    trace_emit(io->trace, &r);
}

/* Linux's timer wheel (kernel/time/timer.c): 64 buckets a level; level n holds timeouts from
 * 63 x 8^(n-1) ticks on, with a granularity of 8^n ticks, and rounds every expiry up to its
 * granularity so that a timer never fires early: expiry = ((now_tick + ticks) / gran + 1) x gran.
 * The tick count is the jiffies of the timeout, rounded up (usecs_to_jiffies). */
#define WHEEL_LEVEL_BITS 6
#define WHEEL_CLK_SHIFT 3
#define WHEEL_DEPTH 9 /* HZ > 100 */

sim_time tcp_wheel_deadline(sim_time now, sim_time timeout, sim_time tick)
{
    int64_t j = now / tick;
    int64_t n = (timeout + tick - 1) / tick;
    int lvl = 0;
    /* LVL_START(lvl + 1) = 63 << (lvl * 3): the first timeout of the next level */
    while (lvl + 1 < WHEEL_DEPTH &&
           n >= (((INT64_C(1) << WHEEL_LEVEL_BITS) - 1) << (lvl * WHEEL_CLK_SHIFT)))
        lvl++;
    int shift = lvl * WHEEL_CLK_SHIFT;
    int64_t bucket = ((j + n + (INT64_C(1) << shift)) >> shift) << shift;
    return bucket * tick;
}

void tcp_timer_set(struct tcb *t, enum tcp_timer which, sim_time deadline, struct host_io *io)
{
    sim_time tick = t->cfg->profile.timer_tick;
    if (tick > 0 && deadline != SIM_NEVER && deadline >= io->now)
        deadline = tcp_wheel_deadline(io->now, deadline - io->now, tick);
    if (t->deadline[which] == deadline)
        return;
    t->deadline[which] = deadline;
    timer_record(t, which, TIMER_SET, deadline, io);
}

void tcp_timer_cancel(struct tcb *t, enum tcp_timer which, struct host_io *io)
{
    if (t->deadline[which] == SIM_NEVER)
        return;
    sim_time old = t->deadline[which];
    t->deadline[which] = SIM_NEVER;
    timer_record(t, which, TIMER_CANCEL, old, io);
}

void tcp_timer_cancel_all(struct tcb *t, struct host_io *io)
{
    for (int i = 0; i < TCP_TIMER_COUNT; i++)
        tcp_timer_cancel(t, (enum tcp_timer)i, io);
}

sim_time tcp_next_deadline(const struct tcb *t)
{
    sim_time best = SIM_NEVER;
    for (int i = 0; i < TCP_TIMER_COUNT; i++)
        if (t->deadline[i] < best)
            best = t->deadline[i];
    return best;
}

static sim_time clamp_rto(const struct tcb *t, sim_time rto)
{
    const struct tcp_profile *p = &t->cfg->profile;
    if (rto < p->rto_min)
        rto = p->rto_min;
    if (rto > p->rto_max)
        rto = p->rto_max;
    return rto;
}

void tcp_rtt_sample(struct tcb *t, sim_time r)
{
    if (!t->have_rtt) {
        /* §2.2: "SRTT <- R, RTTVAR <- R/2" */
        t->srtt = r;
        t->rttvar = r / 2;
        t->have_rtt = true;
    } else {
        /* §2.3: "RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|, SRTT <- (1 - alpha) *
         * SRTT + alpha * R'" with alpha = 1/8, beta = 1/4 */
        sim_time delta = t->srtt > r ? t->srtt - r : r - t->srtt;
        t->rttvar = (3 * t->rttvar + delta) / 4;
        t->srtt = (7 * t->srtt + r) / 8;
    }
    /* "RTO <- SRTT + max (G, K*RTTVAR)", K = 4, then §2.4 minimum and §2.5 maximum. linux
     * (rto_srtt_plus_min): the minimum bounds the variance term, not the sum. */
    sim_time var = 4 * t->rttvar;
    if (var < TCP_CLOCK_G)
        var = TCP_CLOCK_G;
    if (t->cfg->profile.rto_srtt_plus_min && var < t->cfg->profile.rto_min)
        var = t->cfg->profile.rto_min;
    t->rto = clamp_rto(t, t->srtt + var);
}

void tcp_rto_arm(struct tcb *t, bool restart, struct host_io *io)
{
    if (t->snd_una == t->snd_nxt) {
        /* §5.2: "When all outstanding data has been acknowledged, turn off the retransmission
         * timer." */
        tcp_timer_cancel(t, TIMER_RTO, io);
        tcp_timer_cancel(t, TIMER_USER_TIMEOUT, io);
        return;
    }
    /* §5.1: start it if it is not running; §5.3: restart it when an ACK acknowledges new data */
    if (restart || t->deadline[TIMER_RTO] == SIM_NEVER)
        tcp_timer_set(t, TIMER_RTO, io->now + t->rto, io);
    sim_time ut = t->cfg->profile.user_timeout;
    if (ut > 0 && (restart || t->deadline[TIMER_USER_TIMEOUT] == SIM_NEVER))
        tcp_timer_set(t, TIMER_USER_TIMEOUT, io->now + ut, io);
}

void tcp_enter_time_wait(struct tcb *t, const char *cause, struct host_io *io)
{
    tcp_set_state(t, TCP_TIME_WAIT, cause, io);
    if (t->ack_owed)
        tcp_send_ack(t, io); /* the ACK of the peer's FIN leaves before anything else */
    /* "start the time-wait timer, turn off the other timers" */
    tcp_timer_cancel(t, TIMER_RTO, io);
    tcp_timer_cancel(t, TIMER_DELACK, io);
    tcp_timer_cancel(t, TIMER_FIN_WAIT_2, io);
    tcp_timer_cancel(t, TIMER_USER_TIMEOUT, io);
    if (t->cfg->variants.time_wait_zero) {
        /* Lesson variant: no TIME_WAIT at all; the 4-tuple is free at once. */
        t->mark = true;
        tcp_terminate(t, "TIME_WAIT of 0 s (lesson variant)", NULL,
                      "TIME_WAIT skipped (lesson variant)", io);
        t->mark = false;
        return;
    }
    tcp_timer_set(t, TIMER_TIME_WAIT, io->now + t->cfg->profile.time_wait, io);
}

/* What the segment at SND.UNA is, for the retry limit and the give-up message. */
static void front_limit(const struct tcb *t, uint32_t *limit, const char **what)
{
    const struct tcp_profile *p = &t->cfg->profile;
    if (t->snd_una == t->iss) {
        bool syn_only = t->state == TCP_SYN_SENT;
        *limit = syn_only ? p->syn_retries : p->synack_retries;
        *what = syn_only ? "SYN not answered" : "SYN+ACK not answered";
    } else if (t->fin_sent && t->snd_una == t->fin_seq) {
        *limit = p->data_retries;
        *what = "FIN not acknowledged";
    } else {
        *limit = p->data_retries;
        *what = "data not acknowledged";
    }
}

/* RFC 6298 §5.5 back-off, capped by §2.5. */
static void back_off(struct tcb *t)
{
    sim_time max = t->cfg->profile.rto_max;
    t->rto = t->rto > max / 2 ? max : t->rto * 2;
}

/* The RTO timer doubles as the persist timer: with data waiting, nothing in flight and a zero
 * send window, a probe of one new byte goes out (RFC 9293 §3.8.6.1), backing off like an RTO.
 * A probe is not counted against the retry limit while the peer keeps answering it. */
static void persist_probe(struct tcb *t, struct host_io *io)
{
    if (!tcp_send_probe(t, io))
        return;
    back_off(t);
    tcp_timer_set(t, TIMER_RTO, io->now + t->rto, io);
}

/* RFC 6298 §5.4-5.6 and RFC 9293 §3.8.3 (R2): retransmit the earliest unacknowledged segment,
 * back off, restart; or give up when the profile's retry limit is used up. */
static void rto_expired(struct tcb *t, struct host_io *io)
{
    if (t->snd_una == t->snd_nxt) {
        persist_probe(t, io);
        return;
    }
    uint32_t limit;
    const char *what;
    front_limit(t, &limit, &what);
    if (t->retries >= limit) {
        char msg[TRACE_NOTE_MAX];
        snprintf(msg, sizeof msg, "connection timed out: %s after %u retransmission%s", what,
                 t->retries, t->retries == 1 ? "" : "s");
        tcp_terminate(t, "RTO: retries exhausted", msg, NULL, io);
        return;
    }
    t->retries++;
    t->rtt_timing = false; /* Karn: a retransmitted segment gives no RTT sample */
    if (t->snd_una == t->iss)
        t->syn_timed_out = true;
    t->recover = t->snd_nxt;
    tcp_retransmit_front(t, io);
    /* §5.5: "The host MUST set RTO <- RTO * 2 ("back off the timer")" */
    back_off(t);
    tcp_timer_set(t, TIMER_RTO, io->now + t->rto, io);
}

static void fire(struct tcb *t, enum tcp_timer which, struct host_io *io)
{
    switch (which) {
    case TIMER_RTO:
        rto_expired(t, io);
        break;
    case TIMER_TIME_WAIT:
        /* "If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED
         * state, and return." */
        tcp_terminate(t, "TIME_WAIT timer", NULL, "TIME_WAIT over", io);
        break;
    case TIMER_DELACK:
        if (t->ack_owed)
            tcp_send_ack(t, io);
        break;
    case TIMER_FIN_WAIT_2:
        /* linux tcp_fin_timeout: an orphaned FIN_WAIT_2 is dropped silently */
        tcp_terminate(t, "FIN_WAIT_2 timer", NULL, "FIN_WAIT_2 timeout", io);
        break;
    case TIMER_USER_TIMEOUT:
        /* "If a user timeout expires ... flush all queues, signal the user 'error: connection
         * aborted due to user timeout' ... delete the TCB, enter the CLOSED state" */
        tcp_terminate(t, "USER_TIMEOUT timer", "connection aborted due to user timeout", NULL,
                      io);
        break;
    }
}

bool tcp_timer_fire_one(struct tcb *t, struct host_io *io)
{
    int which = -1;
    for (int i = 0; i < TCP_TIMER_COUNT; i++)
        if (t->deadline[i] <= io->now && (which < 0 || t->deadline[i] < t->deadline[which]))
            which = i;
    if (which < 0 || t->gone)
        return false;
    sim_time d = t->deadline[which];
    t->deadline[which] = SIM_NEVER;
    timer_record(t, (enum tcp_timer)which, TIMER_FIRE, d, io);
    fire(t, (enum tcp_timer)which, io);
    if (!t->gone)
        tcp_output(t, io);
    return true;
}
