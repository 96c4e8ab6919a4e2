/* tcp_input.c: SEGMENT ARRIVES (RFC 9293 §3.10.7 with RFC 5961) step by step and state by state,
 * with each profile's choice where stacks diverge. Called by host.c for the TCB a segment hit. */
#include "tcp.h"

#include <stdio.h>

/* The arriving segment as processing trims it (payload, SYN and FIN outside the window). */
struct rx {
    uint32_t seq, ack, wnd;
    uint8_t flags;
    uint16_t mss;
    const uint8_t *data;
    uint32_t len; /* payload bytes */
};

static uint32_t rx_seqlen(const struct rx *s)
{
    return s->len + ((s->flags & SEG_SYN) ? 1u : 0u) + ((s->flags & SEG_FIN) ? 1u : 0u);
}

static bool has(const struct rx *s, uint8_t bit)
{
    return (s->flags & bit) != 0;
}

static bool fin_acked(const struct tcb *t)
{
    return t->fin_sent && seq_gt(t->snd_una, t->fin_seq);
}

/* The segment's FIN will be processed now (it follows in-order text). */
static bool fin_in_order(const struct tcb *t, const struct rx *s)
{
    return has(s, SEG_FIN) && s->seq == t->rcv_nxt;
}

/* A passive SYN_RECEIVED that is reset or sees a new SYN goes back to LISTEN: the listener
 * never stopped listening, so this child simply disappears (the user is not told). */
static void return_to_listen(struct tcb *t, const char *cause, struct host_io *io)
{
    tcp_timer_cancel_all(t, io);
    tcp_set_state(t, TCP_LISTEN, cause, io);
    t->gone = true;
}

/* Both ways into ESTABLISHED end here: the application hears of it, RFC 6298 §5.7 applies, and
 * a CLOSE queued in SYN_RECEIVED now takes effect. */
static void establish(struct tcb *t, const char *cause, struct host_io *io)
{
    tcp_set_state(t, TCP_ESTABLISHED, cause, io);
    tcp_trace_app(t, t->passive ? APP_ACCEPT : APP_CONNECTED, 0, NULL, io);
    if (t->syn_timed_out && !t->have_rtt && t->rto < TCP_RTO_AFTER_SYN_LOSS) {
        /* §5.7: "the RTO MUST be re-initialized to 3 seconds when data transmission begins" */
        t->rto = TCP_RTO_AFTER_SYN_LOSS > t->cfg->profile.rto_max ? t->cfg->profile.rto_max
                                                                  : TCP_RTO_AFTER_SYN_LOSS;
    }
    t->quickacks_left = t->cfg->profile.quickack_segments;
    if (t->close_after_estab) {
        t->close_after_estab = false;
        t->fin_queued = true;
        tcp_set_state(t, TCP_FIN_WAIT_1, t->closed_by_user ? "close (queued in SYN_RECEIVED)"
                                                           : "shutdown (queued in SYN_RECEIVED)",
                      io);
    }
}

static void update_window(struct tcb *t, const struct rx *s)
{
    t->snd_wnd = s->wnd;
    t->snd_wl1 = s->seq;
    t->snd_wl2 = s->ack;
    if (s->wnd > t->max_snd_wnd)
        t->max_snd_wnd = s->wnd;
}

/* Text and FIN that arrive before ESTABLISHED (on a SYN) wait in the receive queue. */
static void queue_syn_payload(struct tcb *t, const struct rx *s)
{
    uint32_t first = s->seq + 1;
    tcp_reasm_store(t, first, s->data, s->len);
    if (has(s, SEG_FIN)) {
        t->rq.fin = true;
        t->rq.fin_seq = first + s->len;
    }
}

void tcp_passive_open(struct tcb *t, const struct segment *syn, uint32_t iss, struct host_io *io)
{
    /* LISTEN, third: "Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ, and any other control
     * or text should be queued for processing later. ISS should be selected and a SYN segment
     * sent of the form: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. SND.NXT is set to ISS+1 and
     * SND.UNA to ISS. The connection state should be changed to SYN-RECEIVED." */
    t->passive = true;
    t->irs = syn->seq;
    t->irs_known = true;
    t->rcv_nxt = syn->seq + 1;
    t->iss = iss;
    t->recover = iss; /* no RTO has fired: no ACK is "partial" */
    t->snd_una = iss;
    t->snd_nxt = iss + 1;
    t->sbuf_seq = iss + 1;
    t->peer_mss = syn->mss ? syn->mss : TCP_DEFAULT_MSS;
    struct rx s = {syn->seq, syn->ack, syn->wnd, syn->flags, syn->mss, syn->data, syn->len};
    update_window(t, &s);
    queue_syn_payload(t, &s);
    t->mark = t->cfg->variants.isn_zero;
    tcp_set_state(t, TCP_SYN_RECEIVED, t->mark ? "rx SYN (ISN 0: lesson variant)" : "rx SYN",
                  io);
    tcp_send_syn(t, io);
    t->mark = false;
    t->rtt_timing = true;
    t->rtt_seq = iss;
    t->rtt_start = io->now;
    tcp_rto_arm(t, false, io);
    if (t->cfg->variants.two_way_handshake) {
        /* Lesson variant: trust the SYN at once, as a two-way handshake would; an old duplicate
         * SYN now makes a connection the peer never asked for. */
        t->mark = true;
        establish(t, "SYN+ACK sent (two-way handshake: lesson variant)", io);
        t->mark = false;
    }
}

void tcp_time_wait_reopen(struct tcb *t, struct host_io *io)
{
    tcp_terminate(t, "rx SYN: new incarnation", NULL, "TIME_WAIT ended by a new SYN", io);
}

/* §3.10.7.2 LISTEN STATE. */
static enum tcp_verdict listen_input(struct tcb *t, const struct segment *seg, struct host_io *io)
{
    /* first: "An incoming RST segment could not be valid ... An incoming RST should be
     * ignored." */
    if (seg->flags & SEG_RST)
        return TCP_VERDICT_DONE;
    /* second: "Any acknowledgment is bad if it arrives on a connection still in the LISTEN
     * state. An acceptable reset segment should be formed for any arriving ACK-bearing
     * segment: <SEQ=SEG.ACK><CTL=RST>". Divergence 3: a SYN+ACK gets this RST in both
     * profiles (Linux does so; FreeBSD would drop it silently). */
    if (seg->flags & SEG_ACK) {
        tcp_reply_closed(t->cfg->name, t->sock, seg, io);
        return TCP_VERDICT_DONE;
    }
    /* third: "If the SYN bit is set ..." - the host makes a child TCB (tcp_passive_open) so
     * that this listener keeps listening. */
    if (seg->flags & SEG_SYN)
        return TCP_VERDICT_SPAWN;
    /* fourth: "Any other control or text-bearing segment (not containing SYN) must have an ACK
     * and thus would be discarded by the ACK processing" */
    return TCP_VERDICT_DONE;
}

/* §3.10.7.3 SYN-SENT STATE. */
static void syn_sent_input(struct tcb *t, struct rx *s, struct host_io *io);
/* §3.10.7.4 the other states. */
static enum tcp_verdict sync_input(struct tcb *t, struct rx *s, struct host_io *io);
/* Steps seven and eight (text, FIN). */
static void text_and_fin(struct tcb *t, struct rx *s, struct host_io *io);

enum tcp_verdict tcp_input(struct tcb *t, const struct segment *seg, struct host_io *io)
{
    struct rx s = {seg->seq, seg->ack, seg->wnd, seg->flags, seg->mss, seg->data, seg->len};
    enum tcp_verdict v = TCP_VERDICT_DONE;
    switch (t->state) {
    case TCP_CLOSED:
        /* "An incoming segment not containing a RST causes a RST to be sent in response" */
        tcp_reply_closed(t->cfg->name, t->sock, seg, io);
        break;
    case TCP_LISTEN:
        v = listen_input(t, seg, io);
        break;
    case TCP_SYN_SENT:
        syn_sent_input(t, &s, io);
        break;
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        /* "Otherwise, first check sequence number ..." */
        v = sync_input(t, &s, io);
        break;
    }
    if (!t->gone && v == TCP_VERDICT_DONE)
        tcp_output(t, io);
    return v;
}

static void syn_sent_input(struct tcb *t, struct rx *s, struct host_io *io)
{
    /* first: "If the ACK bit is set: If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset
     * (unless the RST bit is set, if so drop the segment and return) <SEQ=SEG.ACK><CTL=RST>" */
    if (has(s, SEG_ACK) && (seq_leq(s->ack, t->iss) || seq_gt(s->ack, t->snd_nxt))) {
        if (!has(s, SEG_RST))
            tcp_send_rst(t, s->ack, false, io);
        return;
    }
    /* second: "If the RST bit is set: If the ACK was acceptable, then signal to the user
     * 'error: connection reset', drop the segment, enter CLOSED state, delete TCB, and return.
     * Otherwise (no ACK), drop the segment and return." The ACK test alone decides (RCV.NXT is
     * not known yet, reference 1d note); the user sees it as a refused connection. */
    if (has(s, SEG_RST)) {
        if (has(s, SEG_ACK))
            tcp_terminate(t, "rx RST", "connection refused", NULL, io);
        return;
    }
    /* fourth: "If the SYN bit is on ..." */
    if (!has(s, SEG_SYN))
        return; /* fifth: "If neither of the SYN or RST bits is set, then drop the segment" */
    /* "RCV.NXT is set to SEG.SEQ+1, IRS is set to SEG.SEQ. SND.UNA should be advanced to equal
     * SEG.ACK (if there is an ACK), and any segments on the retransmission queue that are
     * thereby acknowledged should be removed." */
    t->irs = s->seq;
    t->irs_known = true;
    t->rcv_nxt = s->seq + 1;
    t->peer_mss = s->mss ? s->mss : TCP_DEFAULT_MSS;
    if (has(s, SEG_ACK)) {
        if (t->rtt_timing && seq_gt(s->ack, t->rtt_seq)) {
            tcp_rtt_sample(t, io->now - t->rtt_start);
            t->rtt_timing = false;
        }
        t->snd_una = s->ack;
        t->retries = 0;
        tcp_rto_arm(t, true, io);
    }
    update_window(t, s);
    if (seq_gt(t->snd_una, t->iss)) {
        /* "If SND.UNA > ISS (our SYN has been ACKed), change the connection state to
         * ESTABLISHED, form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it ...
         * If there are other controls or text in the segment, then continue processing at the
         * sixth step" */
        establish(t, "rx SYN+ACK", io);
        tcp_send_ack(t, io);
        s->seq += 1;
        s->flags &= (uint8_t)~SEG_SYN;
        text_and_fin(t, s, io);
        return;
    }
    /* "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT>
     * <CTL=SYN,ACK> and send it. Set the variables: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ,
     * SND.WL2 <- SEG.ACK. If there are other controls or text in the segment, queue them for
     * processing after the ESTABLISHED state has been reached" (simultaneous open, MUST-10) */
    tcp_set_state(t, TCP_SYN_RECEIVED, "rx SYN (simultaneous open)", io);
    t->rtt_timing = false; /* the SYN,ACK repeats our SYN's sequence number: Karn */
    tcp_send_syn(t, io);
    queue_syn_payload(t, s);
}

/* Table 6: is any part of the segment inside the receive window? */
static bool acceptable(const struct tcb *t, const struct rx *s, uint32_t wnd)
{
    uint32_t len = rx_seqlen(s);
    uint32_t off = s->seq - t->rcv_nxt;
    if (len == 0)
        return wnd == 0 ? s->seq == t->rcv_nxt : !seq_lt(s->seq, t->rcv_nxt) && off < wnd;
    if (wnd == 0)
        return false;
    uint32_t last_off = s->seq + len - 1 - t->rcv_nxt;
    bool first_in = !seq_lt(s->seq, t->rcv_nxt) && off < wnd;
    bool last_in = !seq_lt(s->seq + len - 1, t->rcv_nxt) && last_off < wnd;
    return first_in || last_in;
}

/* "trimming off any portions that lie outside the window (including SYN and FIN), and only
 * processing further if the segment then begins at RCV.NXT" - the front here; segments that
 * begin beyond RCV.NXT are kept for reassembly. Returns true if an old front was cut off. */
static bool trim(const struct tcb *t, struct rx *s, uint32_t wnd)
{
    bool old = seq_lt(s->seq, t->rcv_nxt);
    if (old) {
        uint32_t cut = t->rcv_nxt - s->seq;
        if (has(s, SEG_SYN)) {
            s->flags &= (uint8_t)~SEG_SYN;
            s->seq++;
            cut--;
        }
        uint32_t d = cut < s->len ? cut : s->len;
        if (d > 0)
            s->data += d;
        s->len -= d;
        s->seq += d;
    }
    /* The right edge: bytes at or beyond RCV.NXT + RCV.WND, and a FIN after them, go. */
    uint32_t room = wnd - (s->seq - t->rcv_nxt);
    if (s->len > room) {
        s->len = room;
        s->flags &= (uint8_t)~SEG_FIN;
    }
    if (has(s, SEG_FIN) && s->len == room)
        s->flags &= (uint8_t)~SEG_FIN;
    return old;
}

/* Our FIN is acknowledged in FIN-WAIT-1. linux: an orphan (closed, not just shut down) may
 * stay in FIN-WAIT-2 only tcp_fin_timeout. */
static void enter_fin_wait_2(struct tcb *t, struct host_io *io)
{
    tcp_set_state(t, TCP_FIN_WAIT_2, "rx ACK of FIN", io);
    sim_time tmo = t->cfg->profile.fin_wait_2_timeout;
    if (t->closed_by_user && tmo > 0)
        tcp_timer_set(t, TIMER_FIN_WAIT_2, io->now + tmo, io);
}

/* "SND.UNA < SEG.ACK =< SND.NXT", measured as distances ahead of SND.UNA: comparing each side
 * with seq_lt/seq_leq alone accepts an ACK exactly 2^31 away, where both tests hold at once. */
static bool acks_new_data(const struct tcb *t, uint32_t ack)
{
    uint32_t ahead = ack - t->snd_una;
    return ahead != 0 && ahead <= t->snd_nxt - t->snd_una;
}

/* An ACK below SND.UNA (a duplicate) rather than beyond SND.NXT; half the space away is beyond. */
static bool acks_old_data(const struct tcb *t, uint32_t ack)
{
    return t->snd_una - ack - 1 < 0x7fffffffu;
}

/* Step five for the states past SYN_RECEIVED: returns false when the segment is dropped. */
static bool ack_established(struct tcb *t, const struct rx *s, struct host_io *io)
{
    /* "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the
     * segment, and return." */
    if (s->ack != t->snd_una && !acks_new_data(t, s->ack) && !acks_old_data(t, s->ack)) {
        tcp_send_ack(t, io);
        return false;
    }
    /* RFC 5961 §5.2: "the ACK value is acceptable only if it is in the range of ((SND.UNA -
     * MAX.SND.WND) =< SEG.ACK =< SND.NXT)"; otherwise send an ACK and drop. */
    if (t->cfg->profile.challenge_ack && seq_lt(s->ack, t->snd_una - t->max_snd_wnd)) {
        tcp_send_ack(t, io);
        return false;
    }
    /* "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK. Any segments on the
     * retransmission queue that are thereby entirely acknowledged are removed." */
    if (acks_new_data(t, s->ack)) {
        if (t->rtt_timing && seq_gt(s->ack, t->rtt_seq)) {
            tcp_rtt_sample(t, io->now - t->rtt_start);
            t->rtt_timing = false;
        }
        tcp_sbuf_acked(t, s->ack);
        t->snd_una = s->ack;
        t->retries = 0;
        /* A partial acknowledgment after a timeout: the next segment was most likely lost too
         * and goes again now instead of after another (backed-off) RTO. */
        if (seq_lt(t->snd_una, t->recover) && t->snd_una != t->snd_nxt) {
            t->rtt_timing = false;
            tcp_retransmit_front(t, io);
        }
        tcp_rto_arm(t, true, io);
    } else if (t->snd_wnd == 0 && s->ack == t->snd_una && t->snd_una != t->snd_nxt) {
        /* The peer answers our zero-window probe: it is alive, so the probe's retries do not
         * count (RFC 9293 §3.8.6.1 MUST-26). */
        t->retries = 0;
    }
    /* "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated. If (SND.WL1 <
     * SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)), set SND.WND <- SEG.WND, set
     * SND.WL1 <- SEG.SEQ, and set SND.WL2 <- SEG.ACK." */
    if (seq_leq(t->snd_una, s->ack) &&
        (seq_lt(t->snd_wl1, s->seq) || (t->snd_wl1 == s->seq && seq_leq(t->snd_wl2, s->ack))))
        update_window(t, s);
    return true;
}

/* RFC 9293 Appendix A.2: strict Table 6 validation blocks ACK processing in simultaneous close:
 * the peer's FIN again, now acknowledging ours, ends exactly at RCV.NXT and is unacceptable, so
 * CLOSING would never see the ACK it waits for. Such a segment (it ends exactly at RCV.NXT and
 * has the ACK bit) is trimmed to an empty segment at RCV.NXT instead, its ACK is processed and
 * it is acknowledged as a duplicate (both profiles; Linux's tcp_sequence accepts it too).
 * Divergence 6 is the TIME_WAIT case: a retransmitted FIN must be acknowledged and "restart the
 * 2 MSL timeout" although it lies before the window. Returns false if the rule does not apply. */
static bool trim_old_segment(struct tcb *t, struct rx *s, struct host_io *io)
{
    uint32_t len = rx_seqlen(s);
    if (len == 0 || !has(s, SEG_ACK) || has(s, SEG_RST) || s->seq + len != t->rcv_nxt)
        return false;
    if (t->state == TCP_TIME_WAIT && has(s, SEG_FIN))
        tcp_timer_set(t, TIMER_TIME_WAIT, io->now + t->cfg->profile.time_wait, io);
    s->seq = t->rcv_nxt;
    s->data = NULL;
    s->len = 0;
    s->flags &= (uint8_t)~(SEG_SYN | SEG_FIN);
    t->ack_owed = true;
    t->ack_now = true;
    return true;
}

/* Divergence 11 (both profiles): an unacceptable segment that is a bare ACK (no text, SYN, FIN
 * or RST) lying beyond the window is dropped without the reply "<SEQ=SND.NXT><ACK=RCV.NXT>
 * <CTL=ACK>" that RFC 9293 says "should be sent". Such an ACK carries SEG.SEQ = the peer's
 * SND.NXT past a FIN or probe byte we could not take; we answered that segment already, and
 * the peer's retransmission timer covers a lost answer. Answering the bare ACK too lets two
 * hosts whose FINs (or probes) both lie beyond each other's shut windows answer each other's
 * answers for ever, an ACK war that duplication turns into a storm (simtest seed 805114).
 * Linux breaks the same loop by sending bare ACKs at the peer's window edge
 * (tcp_acceptable_seq) and rate-limiting out-of-window dupACKs (tcp_invalid_ratelimit). An old
 * bare ACK (SEG.SEQ < RCV.NXT, e.g. a keep-alive) is still answered. */
static bool bare_ack_beyond_window(const struct tcb *t, const struct rx *s)
{
    return s->len == 0 && (s->flags & (SEG_SYN | SEG_FIN | SEG_RST | SEG_ACK)) == SEG_ACK &&
           !seq_lt(s->seq, t->rcv_nxt);
}

static enum tcp_verdict sync_input(struct tcb *t, struct rx *s, struct host_io *io)
{
    const struct tcp_profile *p = &t->cfg->profile;

    /* Divergence 5: a SYN in TIME_WAIT. linux (time_wait_reopen, tcp_timewait_state_process):
     * a SYN without ACK whose SEG.SEQ is beyond RCV.NXT starts a new incarnation; the host
     * does it if a listener wants it. rfc9293: the SYN goes on to step one/four and draws the
     * RFC 5961 challenge ACK. */
    if (t->state == TCP_TIME_WAIT && p->time_wait_reopen && has(s, SEG_SYN) &&
        !has(s, SEG_ACK) && !has(s, SEG_RST) && seq_gt(s->seq, t->rcv_nxt))
        return TCP_VERDICT_REOPEN;

    /* Divergence 4: the peer's SYN again in a passive SYN_RECEIVED (our SYN+ACK was lost).
     * linux (synack_on_dup_syn, tcp_check_req): resend the SYN+ACK and restart its timer with
     * the current (backed-off) timeout; a resent SYN+ACK gives no RTT sample (Karn). rfc9293:
     * the SYN fails the step-one window test and is answered by <SEQ=SND.NXT><ACK=RCV.NXT>
     * <CTL=ACK>. */
    if (t->state == TCP_SYN_RECEIVED && t->passive && p->synack_on_dup_syn &&
        (s->flags & (SEG_SYN | SEG_ACK | SEG_RST | SEG_FIN)) == SEG_SYN && s->seq == t->irs) {
        tcp_retransmit_front(t, io);
        t->rtt_timing = false;
        t->syn_timed_out = true;
        tcp_timer_set(t, TIMER_RTO, io->now + t->rto, io);
        return TCP_VERDICT_DONE;
    }

    /* Divergence 7 (both profiles): in simultaneous open the peer's SYN,ACK repeats its SYN at
     * SEG.SEQ = IRS = RCV.NXT-1 and fails Table 6 literally. Trim the old SYN off ("including
     * SYN and FIN") so that its ACK is processed and we reach ESTABLISHED (RFC 9293 A.2), with
     * no extra ACK (Figure 7 shows none; Linux would add one). */
    if (t->state == TCP_SYN_RECEIVED && has(s, SEG_SYN) && has(s, SEG_ACK) && s->seq == t->irs) {
        s->flags &= (uint8_t)~SEG_SYN;
        s->seq++;
    }

    /* first: check sequence number (Table 6). */
    uint32_t wnd = tcp_rcv_wnd(t);
    if (!acceptable(t, s, wnd)) {
        if (wnd == 0 && s->seq == t->rcv_nxt && has(s, SEG_ACK) && !has(s, SEG_SYN) &&
            !has(s, SEG_RST)) {
            /* Divergence 9, a bare FIN at RCV.NXT with a zero window: linux
             * (fin_in_zero_window, tcp_sequence) takes it as it is. Otherwise RFC 9293: "If
             * the RCV.WND is zero, no segments will be acceptable, but special allowance
             * should be made to accept valid ACKs": the ACK is processed, text and FIN are
             * not, and our ACK tells the peer the window is still shut. */
            bool take_fin = s->len == 0 && has(s, SEG_FIN) && p->fin_in_zero_window;
            if (!take_fin) {
                s->len = 0;
                s->flags &= (uint8_t)~SEG_FIN;
                t->ack_owed = true;
                t->ack_now = true;
            }
        } else {
            /* "If a segment's contents straddle ... If an incoming segment is not acceptable,
             * an acknowledgment should be sent in reply (unless the RST bit is set, if so drop
             * the segment and return): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" */
            if (has(s, SEG_RST))
                return TCP_VERDICT_DONE;
            if (!trim_old_segment(t, s, io)) {
                if (!bare_ack_beyond_window(t, s))
                    tcp_send_ack(t, io);
                return TCP_VERDICT_DONE;
            }
        }
    } else if (trim(t, s, wnd)) {
        t->ack_owed = true; /* part of it was a duplicate: tell the peer at once */
        t->ack_now = true;
    }

    /* second: check the RST bit (RFC 5961 §3.2 as printed in RFC 9293). */
    if (has(s, SEG_RST)) {
        if (t->state == TCP_TIME_WAIT && p->rfc1337)
            return TCP_VERDICT_DONE; /* RFC 1337 F1: "ignore RST segments in TIME-WAIT" */
        if (p->challenge_ack && s->seq != t->rcv_nxt) {
            /* "If the RST bit is set and the sequence number does not exactly match the next
             * expected sequence value, yet is within the current receive window, TCP MUST
             * send an acknowledgment (challenge ACK)" */
            tcp_send_ack(t, io);
            return TCP_VERDICT_DONE;
        }
        switch (t->state) {
        case TCP_SYN_RECEIVED:
            /* "passive OPEN ... return this connection to LISTEN"; active: "connection refused" */
            if (t->passive)
                return_to_listen(t, "rx RST", io);
            else
                tcp_terminate(t, "rx RST", "connection refused", NULL, io);
            break;
        case TCP_ESTABLISHED:
        case TCP_FIN_WAIT_1:
        case TCP_FIN_WAIT_2:
        case TCP_CLOSE_WAIT:
            /* "Users should also receive an unsolicited general 'connection reset' signal" */
            tcp_terminate(t, "rx RST", "connection reset", NULL, io);
            break;
        case TCP_CLOSING:
        case TCP_LAST_ACK:
        case TCP_TIME_WAIT:
            /* "enter the CLOSED state, delete the TCB, and return" (divergence 1: TIME_WAIT
             * too, RFC 9293 text and Linux tcp_rfc1337=0; rfc1337=1 ignores it above) */
            tcp_terminate(t, "rx RST", NULL, "reset by peer", io);
            break;
        case TCP_CLOSED:
        case TCP_LISTEN:
        case TCP_SYN_SENT:
            break; /* not synchronized: handled before this function */
        }
        return TCP_VERDICT_DONE;
    }

    /* third: security - not modelled. fourth: check the SYN bit. */
    if (has(s, SEG_SYN)) {
        switch (t->state) {
        case TCP_SYN_RECEIVED:
            /* "initiated with a passive OPEN, then return this connection to the LISTEN state" */
            if (t->passive) {
                return_to_listen(t, "rx SYN", io);
                return TCP_VERDICT_DONE;
            }
            break; /* active: as the synchronized states */
        case TCP_ESTABLISHED:
        case TCP_FIN_WAIT_1:
        case TCP_FIN_WAIT_2:
        case TCP_CLOSE_WAIT:
        case TCP_CLOSING:
        case TCP_LAST_ACK:
        case TCP_TIME_WAIT:
            break;
        case TCP_CLOSED:
        case TCP_LISTEN:
        case TCP_SYN_SENT:
            return TCP_VERDICT_DONE;
        }
        if (p->challenge_ack) {
            /* Divergence 2: "If the SYN bit is set, irrespective of the sequence number, TCP
             * endpoints MUST send a 'challenge ACK' to the remote peer:
             * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" (RFC 5961 §4.2; both profiles) */
            tcp_send_ack(t, io);
            return TCP_VERDICT_DONE;
        }
        /* challenge_ack off, RFC 793: "If the SYN is in the window it is an error, send a
         * reset ... enter the CLOSED state, delete the TCB" (the reset as FreeBSD forms it,
         * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>, C28) */
        tcp_send_rst(t, t->snd_nxt, true, io);
        tcp_terminate(t, "rx SYN in window", "connection reset", NULL, io);
        return TCP_VERDICT_DONE;
    }

    /* fifth: check the ACK field. "if the ACK bit is off, drop the segment and return" */
    if (!has(s, SEG_ACK))
        return TCP_VERDICT_DONE;
    switch (t->state) {
    case TCP_SYN_RECEIVED:
        /* "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state", else RST */
        if (!acks_new_data(t, s->ack)) {
            tcp_send_rst(t, s->ack, false, io);
            return TCP_VERDICT_DONE;
        }
        update_window(t, s);
        establish(t, "rx ACK", io);
        if (!ack_established(t, s, io))
            return TCP_VERDICT_DONE;
        if (t->state == TCP_FIN_WAIT_1 && fin_acked(t) && !fin_in_order(t, s))
            enter_fin_wait_2(t, io);
        break;
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        /* "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK" */
        if (!ack_established(t, s, io))
            return TCP_VERDICT_DONE;
        break;
    case TCP_FIN_WAIT_1:
        /* "if the FIN segment is now acknowledged, then enter FIN-WAIT-2" */
        if (!ack_established(t, s, io))
            return TCP_VERDICT_DONE;
        /* A FIN in this same segment, in order, takes FIN-WAIT-1 straight to TIME-WAIT in
         * step eight (Figure 5 Note 2: "our FIN has been ACKed (perhaps in this segment)"). */
        if (fin_acked(t) && !fin_in_order(t, s))
            enter_fin_wait_2(t, io);
        break;
    case TCP_FIN_WAIT_2:
        /* "the user's CLOSE can be acknowledged ("ok") but do not delete the TCB" */
        if (!ack_established(t, s, io))
            return TCP_VERDICT_DONE;
        break;
    case TCP_CLOSING:
        /* "if the ACK acknowledges our FIN, then enter the TIME-WAIT state" */
        if (!ack_established(t, s, io))
            return TCP_VERDICT_DONE;
        if (fin_acked(t))
            tcp_enter_time_wait(t, "rx ACK of FIN", io);
        break;
    case TCP_LAST_ACK:
        /* "If our FIN is now acknowledged, delete the TCB, enter the CLOSED state" */
        if (!ack_established(t, s, io))
            return TCP_VERDICT_DONE;
        if (fin_acked(t)) {
            tcp_terminate(t, "rx ACK of FIN", NULL, NULL, io);
            return TCP_VERDICT_DONE;
        }
        break;
    case TCP_TIME_WAIT:
        /* "a retransmission of the remote FIN. Acknowledge it, and restart the 2 MSL timeout"
         * - such a FIN fails step one and is handled there (divergence 6). */
        break;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
        return TCP_VERDICT_DONE;
    }
    if (t->gone)
        return TCP_VERDICT_DONE;

    /* sixth: URG - not modelled. seventh and eighth: */
    text_and_fin(t, s, io);
    return TCP_VERDICT_DONE;
}

/* The acknowledgment policy for data that arrived in order (delayed ACK, linux). */
static void ack_policy(struct tcb *t, uint32_t delivered)
{
    const struct tcp_profile *p = &t->cfg->profile;
    t->ack_owed = true;
    t->bytes_unacked += delivered;
    if (p->delack == 0) {
        t->ack_now = true; /* rfc9293: every segment is acknowledged at once */
    } else if (t->quickacks_left > 0 && !t->pingpong) {
        t->quickacks_left--; /* linux: quick ACKs at the start of a connection */
        t->ack_now = true;
    } else if (t->bytes_unacked >= 2 * tcp_eff_mss(t)) {
        t->ack_now = true; /* "an ACK SHOULD be generated for at least every second
                            * full-sized segment" (RFC 9293 §3.8.6.3) */
    }
}

/* Step eight, once RCV.NXT has reached the FIN. */
static void fin_arrives(struct tcb *t, struct host_io *io)
{
    const struct tcp_profile *p = &t->cfg->profile;
    /* "If the FIN bit is set, signal the user 'connection closing' and return any pending
     * RECEIVEs with same message, advance RCV.NXT over the FIN, and send an acknowledgment for
     * the FIN." */
    t->rcv_nxt++;
    t->eof_delivered = true;
    /* linux, observed (tests/linux observation 11): a socket its application closed before the
     * peer's FIN arrived offers the whole buffer again in its ACK of that FIN. */
    if (t->closed_by_user)
        t->rcv_adv_set = false;
    tcp_trace_app(t, APP_EOF, 0, NULL, io);
    t->ack_owed = true;
    t->ack_now = true;
    switch (t->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
        /* "Enter the CLOSE-WAIT state." linux (tcp_fin: pingpong mode) delays this ACK in the
         * hope that our FIN can carry it: by the delayed-ACK interval (ato), 40 ms once data
         * has been received (C36), else still 0, which a jiffy timer turns into the next tick
         * (tcp_output.c delack_timeout; tests/linux observation 7). */
        tcp_set_state(t, TCP_CLOSE_WAIT, "rx FIN", io);
        if (p->delack > 0) {
            t->pingpong = true;
            t->ack_now = false;
        }
        break;
    case TCP_FIN_WAIT_1:
        /* "If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT, start
         * the time-wait timer, turn off the other timers; otherwise, enter the CLOSING
         * state." */
        if (fin_acked(t)) {
            tcp_enter_time_wait(t, "rx FIN", io);
        } else {
            tcp_set_state(t, TCP_CLOSING, "rx FIN", io);
            /* Divergence 8: the ACK of the peer's FIN is a plain ACK in both profiles;
             * closing_ack_with_fin resends our FIN with it instead (FreeBSD, C32). */
            if (p->closing_ack_with_fin && t->fin_sent && t->snd_una == t->fin_seq)
                tcp_retransmit_front(t, io);
        }
        break;
    case TCP_FIN_WAIT_2:
        /* "Enter the TIME-WAIT state. Start the time-wait timer, turn off the other timers." */
        tcp_enter_time_wait(t, "rx FIN", io);
        break;
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
        break; /* the FIN was consumed already (eof_delivered) */
    }
}

static void text_and_fin(struct tcb *t, struct rx *s, struct host_io *io)
{
    const struct tcp_profile *p = &t->cfg->profile;
    switch (t->state) {
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2: {
        /* "Once in the ESTABLISHED state, it is possible to deliver segment data to user
         * RECEIVE buffers ... send an acknowledgment of the form:
         * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" */
        if (s->len > 0 && t->closed_by_user && p->rst_on_unread_close) {
            /* linux (RFC 1122 §4.2.2.13): new data after close() cannot be read by anyone:
             * answer with a RST to show it was lost (C35 last line). */
            tcp_send_rst(t, s->ack, false, io);
            tcp_terminate(t, "rx data after close", NULL, "data arrived after close: RST sent",
                          io);
            return;
        }
        uint32_t before = t->rcv_nxt;
        bool had_gap = t->rq.held > 0;
        if (s->len > 0)
            tcp_reasm_store(t, s->seq, s->data, s->len);
        if (has(s, SEG_FIN)) {
            t->rq.fin = true;
            t->rq.fin_seq = s->seq + s->len;
        }
        uint32_t n = tcp_reasm_deliver(t, io);
        if (s->len > 0 || n > 0 || has(s, SEG_FIN)) {
            if (s->len > 0 || n > 0)
                ack_policy(t, n);
            t->ack_owed = true;
            /* RFC 5681 §4.2 / RFC 9293 §3.10.7.4: out-of-order data, or data that fills a
             * gap, is acknowledged at once (a duplicate ACK tells the sender what is missing). */
            if (s->seq != before || had_gap || t->rq.held > 0)
                t->ack_now = true;
        }
        break;
    }
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        /* "This should not occur since a FIN has been received from the remote side. Ignore
         * the segment text." A FIN at RCV.NXT here is bogus; acknowledge it, and TIME_WAIT
         * restarts its 2 MSL ("Remain in the TIME-WAIT state. Restart the 2 MSL time-wait
         * timeout."). */
        if (has(s, SEG_FIN)) {
            t->ack_owed = true;
            t->ack_now = true;
            if (t->state == TCP_TIME_WAIT)
                tcp_timer_set(t, TIMER_TIME_WAIT, io->now + p->time_wait, io);
        }
        return;
    case TCP_SYN_RECEIVED:
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
        /* "The FIN bit is not processed in CLOSED, LISTEN, SYN-SENT" (and SYN_RECEIVED has
         * become ESTABLISHED by step five) */
        return;
    }
    if (t->rq.fin && !t->eof_delivered && t->rq.fin_seq == t->rcv_nxt)
        fin_arrives(t, io);
}
