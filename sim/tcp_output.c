/* tcp_output.c: everything a TCB puts on the wire (SYN, data within the window, FIN, ACK, RST,
 * retransmissions) and the reply of a port without a TCB. Called by the tcp_*.c files, host.c. */
#include "tcp.h"

#include <stdlib.h>
#include <string.h>

uint32_t tcp_rcv_wnd(const struct tcb *t)
{
    uint64_t cap = t->cfg->profile.rcv_wnd;
    if (cap > 65535)
        cap = 65535; /* no window scaling: the field has 16 bits */
    uint32_t space = t->unread >= cap ? 0 : (uint32_t)(cap - t->unread);
    if (!t->cfg->profile.rcv_sws || !t->rcv_adv_set)
        return space;
    /* RFC 9293 §3.8.6.2.2: "keep RCV.NXT+RCV.WND fixed until the reduction satisfies:
     * RCV.BUFF - RCV.USER - RCV.WND >= min( Fr * RCV.BUFF, Eff.snd.MSS )" with Fr = 1/2, then
     * "RCV.WND is set to RCV.BUFF-RCV.USER". Linux keeps the edge the same way, so its windows
     * read 64240 minus what arrived (tests/linux/README.md observation 11). */
    uint32_t cur = seq_gt(t->rcv_adv, t->rcv_nxt) ? t->rcv_adv - t->rcv_nxt : 0;
    uint32_t step = tcp_eff_mss(t);
    if (step > cap / 2)
        step = (uint32_t)(cap / 2);
    if (space >= cur && space - cur >= step)
        return space;
    return cur;
}

uint32_t tcp_eff_mss(const struct tcb *t)
{
    uint32_t m = t->cfg->profile.mss;
    if (t->peer_mss < m)
        m = t->peer_mss;
    if (m > SEG_MAX_PAYLOAD)
        m = SEG_MAX_PAYLOAD;
    return m ? m : 1;
}

uint32_t tcp_data_end(const struct tcb *t)
{
    return t->sbuf_seq + (uint32_t)t->slen;
}

bool tcp_sbuf_append(struct tcb *t, const uint8_t *data, size_t len)
{
    if (len == 0)
        return true;
    if (t->slen + len > TCP_SEND_BUFFER_MAX)
        return false;
    if (t->slen + len > t->scap) {
        size_t cap = t->scap ? t->scap : 256; /* grows by doubling */
        while (cap < t->slen + len)
            cap *= 2;
        uint8_t *nb = realloc(t->sbuf, cap);
        if (!nb)
            return false;
        t->sbuf = nb;
        t->scap = cap;
    }
    if (data) {
        memcpy(t->sbuf + t->slen, data, len);
    } else {
        /* No payload given: a recognisable pattern, continuing across sends. */
        for (size_t i = 0; i < len; i++)
            t->sbuf[t->slen + i] = (uint8_t)('a' + (t->bytes_sent + t->slen + i) % 26);
    }
    t->slen += len;
    return true;
}

void tcp_sbuf_acked(struct tcb *t, uint32_t ack)
{
    if (!seq_gt(ack, t->sbuf_seq))
        return;
    uint32_t n = ack - t->sbuf_seq;
    if (n > t->slen)
        n = (uint32_t)t->slen; /* the rest of the acknowledgment covers the FIN */
    if (n == 0)
        return;
    memmove(t->sbuf, t->sbuf + n, t->slen - n);
    t->slen -= n;
    t->sbuf_seq += n;
    t->bytes_acked += n;
}

/* Builds one segment from this TCB and hands it to the host's output. */
static void emit(struct tcb *t, uint8_t flags, uint32_t seq, const uint8_t *data, uint32_t len,
                 struct host_io *io)
{
    struct segment s;
    memset(&s, 0, sizeof s);
    s.src_addr = t->laddr;
    s.dst_addr = t->raddr;
    s.src_port = t->lport;
    s.dst_port = t->rport;
    s.seq = seq;
    s.ack = (flags & SEG_ACK) ? t->rcv_nxt : 0;
    s.flags = flags;
    /* A RST offers no window, except linux's RST+ACK of ABORT (tcp_send_active_reset builds it
     * like any segment: the current window). */
    bool no_wnd = (flags & SEG_RST) && !((flags & SEG_ACK) && t->cfg->profile.rst_with_ack);
    s.wnd = no_wnd ? 0 : (uint16_t)tcp_rcv_wnd(t);
    s.mss = (flags & SEG_SYN) ? t->cfg->profile.mss : 0;
    s.len = (uint16_t)len;
    s.data = len ? (uint8_t *)(uintptr_t)data : NULL; /* read only by output() */
    s.flipped_bit = -1;
    seg_set_checksum(&s);
    uint32_t rel_seq = seq - t->iss;
    uint32_t rel_ack = ((flags & SEG_ACK) && t->irs_known) ? s.ack - t->irs : 0;
    if ((flags & SEG_ACK) && t->irs_known) {
        t->rcv_adv = t->rcv_nxt + s.wnd; /* the right edge now offered */
        t->rcv_adv_set = true;
    }
    io->nonstandard = t->mark;
    if (io->output)
        io->output(io->output_ctx, t->cfg->name, &s, rel_seq, rel_ack, t->sock);
    io->nonstandard = false;
    if ((flags & SEG_ACK) && !(flags & SEG_RST)) {
        /* Every segment with ACK acknowledges everything received so far. */
        t->ack_owed = false;
        t->ack_now = false;
        t->bytes_unacked = 0;
        tcp_timer_cancel(t, TIMER_DELACK, io);
    }
}

void tcp_send_ack(struct tcb *t, struct host_io *io)
{
    emit(t, SEG_ACK, t->snd_nxt, NULL, 0, io);
}

void tcp_send_syn(struct tcb *t, struct host_io *io)
{
    /* Active side before it knows IRS: <SEQ=ISS><CTL=SYN>; otherwise (passive, or simultaneous
     * open) <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. */
    emit(t, t->irs_known ? (uint8_t)(SEG_SYN | SEG_ACK) : (uint8_t)SEG_SYN, t->iss, NULL, 0, io);
}

void tcp_send_rst(struct tcb *t, uint32_t seq, bool with_ack, struct host_io *io)
{
    uint8_t flags = SEG_RST;
    if (with_ack && t->irs_known)
        flags |= SEG_ACK;
    emit(t, flags, seq, NULL, 0, io);
}

/* One data segment [seq, seq+n), with FIN if it ends where our FIN goes. */
static void send_data(struct tcb *t, uint32_t seq, uint32_t n, bool fin, struct host_io *io)
{
    uint8_t flags = SEG_ACK;
    if (fin)
        flags |= SEG_FIN;
    if (n > 0 && t->cfg->profile.psh_on_data && seq + n == tcp_data_end(t))
        flags |= SEG_PSH; /* the last segment of what the application has sent so far */
    emit(t, flags, seq, n ? t->sbuf + (seq - t->sbuf_seq) : NULL, n, io);
}

/* The states in which queued data and a queued FIN may go out. */
static bool may_send(const struct tcb *t)
{
    switch (t->state) {
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
    case TCP_FIN_WAIT_1:
    case TCP_LAST_ACK:
    /* A FIN_WAIT_1 whose data or FIN the peer's window still held back enters CLOSING on the
     * peer's FIN; CLOSE queued them "until all preceding SENDs have been segmentized" (§3.10.4),
     * so they still go out from CLOSING. */
    case TCP_CLOSING:
        return true;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_FIN_WAIT_2:
    case TCP_TIME_WAIT:
        return false;
    }
    return false;
}

/* How long an owed ACK may wait. linux: the delayed-ACK interval (ato) is 0 until data has
 * arrived (a FIN alone is ACKed on the next timer tick) and TCP_ATO_MIN after. */
static sim_time delack_timeout(const struct tcb *t)
{
    return t->bytes_delivered > 0 ? t->cfg->profile.delack : 0;
}

void tcp_output(struct tcb *t, struct host_io *io)
{
    if (t->gone)
        return;
    bool sent = false;
    if (may_send(t)) {
        uint32_t end = tcp_data_end(t);
        uint32_t mss = tcp_eff_mss(t);
        /* Bounded: each round sends at least one byte of a buffer of at most
         * TCP_SEND_BUFFER_MAX bytes, or stops. */
        for (size_t round = 0; round <= TCP_SEND_BUFFER_MAX; round++) {
            uint32_t unsent = seq_lt(t->snd_nxt, end) ? end - t->snd_nxt : 0;
            uint32_t inflight = t->snd_nxt - t->snd_una;
            uint32_t usable = t->snd_wnd > inflight ? t->snd_wnd - inflight : 0;
            uint32_t n = unsent < usable ? unsent : usable;
            if (n > mss)
                n = mss;
            if (n == 0)
                break;
            bool fin = t->fin_queued && !t->fin_sent && n == unsent;
            if (!t->rtt_timing) {
                t->rtt_timing = true;
                t->rtt_seq = t->snd_nxt;
                t->rtt_start = io->now;
            }
            send_data(t, t->snd_nxt, n, fin, io);
            t->snd_nxt += n;
            t->bytes_sent += n;
            if (fin) {
                t->fin_sent = true;
                t->fin_seq = t->snd_nxt;
                t->snd_nxt++;
            }
            sent = true;
        }
        /* The FIN alone, once every byte before it has been sent. It is sent without waiting
         * for window space (it carries no data). */
        if (t->fin_queued && !t->fin_sent && t->snd_nxt == end) {
            if (!t->rtt_timing) {
                t->rtt_timing = true;
                t->rtt_seq = t->snd_nxt;
                t->rtt_start = io->now;
            }
            send_data(t, t->snd_nxt, 0, true, io);
            t->fin_sent = true;
            t->fin_seq = t->snd_nxt;
            t->snd_nxt++;
            sent = true;
        }
        if (sent)
            tcp_rto_arm(t, false, io);
        /* Data waits, nothing is in flight and the window is shut: the RTO timer runs as the
         * persist timer (tcp_timer.c sends the probe). */
        if (seq_lt(t->snd_nxt, end) && t->snd_wnd == 0 && t->snd_una == t->snd_nxt &&
            t->deadline[TIMER_RTO] == SIM_NEVER)
            tcp_timer_set(t, TIMER_RTO, io->now + t->rto, io);
    }
    if (t->ack_owed) {
        sim_time wait = delack_timeout(t);
        /* A zero wait is no wait on exact timers; a jiffy timer makes it the next tick. */
        if (t->ack_now || (wait == 0 && t->cfg->profile.timer_tick == 0))
            tcp_send_ack(t, io);
        else if (t->deadline[TIMER_DELACK] == SIM_NEVER)
            tcp_timer_set(t, TIMER_DELACK, io->now + wait, io);
    }
}

bool tcp_send_probe(struct tcb *t, struct host_io *io)
{
    uint32_t end = tcp_data_end(t);
    if (!may_send(t) || !seq_lt(t->snd_nxt, end) || t->snd_wnd != 0)
        return false;
    send_data(t, t->snd_nxt, 1, false, io);
    t->snd_nxt += 1;
    t->bytes_sent += 1;
    t->rtt_timing = false;
    return true;
}

bool tcp_retransmit_front(struct tcb *t, struct host_io *io)
{
    if (t->snd_una == t->snd_nxt)
        return false;
    t->retransmits++;
    if (t->snd_una == t->iss) {
        tcp_send_syn(t, io);
        return true;
    }
    uint32_t seq = t->snd_una;
    uint32_t limit = t->fin_sent ? t->fin_seq : t->snd_nxt; /* sent data ends here */
    uint32_t n = seq_lt(seq, limit) ? limit - seq : 0;
    uint32_t mss = tcp_eff_mss(t);
    if (n > mss)
        n = mss;
    bool fin = t->fin_sent && seq + n == t->fin_seq;
    send_data(t, seq, n, fin, io);
    return true;
}

void tcp_reply_closed(char host, int32_t sock, const struct segment *in, struct host_io *io)
{
    /* "If the incoming segment has the RST bit set, it is discarded" (never answer a RST) */
    if (in->flags & SEG_RST)
        return;
    struct segment s;
    memset(&s, 0, sizeof s);
    s.src_addr = in->dst_addr;
    s.dst_addr = in->src_addr;
    s.src_port = in->dst_port;
    s.dst_port = in->src_port;
    if (in->flags & SEG_ACK) {
        /* "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>" */
        s.seq = in->ack;
        s.flags = SEG_RST;
    } else {
        /* "If the ACK bit is off, sequence number zero is used,
         * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>" (SEG.LEN counts SYN and FIN) */
        s.seq = 0;
        s.ack = in->seq + seg_seqlen(in);
        s.flags = SEG_RST | SEG_ACK;
    }
    s.flipped_bit = -1;
    seg_set_checksum(&s);
    io->nonstandard = false;
    if (io->output)
        io->output(io->output_ctx, host, &s, 0, 0, sock); /* no TCB: numbers not relative */
}
