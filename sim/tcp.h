/* tcp.h: one TCP connection (a TCB of RFC 9293): its state, sequence variables, buffers, timers,
 * and the calls into it. Only host.c calls these; host.c owns the table of TCBs. */
#ifndef TCPSIM_TCP_H
#define TCPSIM_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "profile.h"
#include "segment.h"
#include "simtime.h"
#include "trace.h"

/* Sequence number comparisons modulo 2^32 (RFC 9293 §3.4). */
static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool seq_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

/* RFC 9293 §3.7.1: the MSS assumed when the peer sends no MSS option (IPv4). */
#define TCP_DEFAULT_MSS 536u
/* RFC 6298 §5.7: the RTO once data starts after a SYN or SYN+ACK timed out. */
#define TCP_RTO_AFTER_SYN_LOSS INT64_C(3000000000)
/* RFC 6298 §2.3: clock granularity G in RTO = SRTT + max(G, 4 * RTTVAR). */
#define TCP_CLOCK_G INT64_C(1000000)
/* Receive ring: a power of two at least as large as any window a 16-bit field can advertise, so
 * a byte's slot is its sequence number modulo the ring size, also across the 2^32 wrap. The
 * ring starts at TCP_RING_MIN bytes and doubles up to TCP_RING_SIZE as the bytes held need. */
#define TCP_RING_SIZE 65536u
#define TCP_RING_MIN 512u
/* Largest amount of unsent and unacknowledged data one connection queues (host_send refuses
 * more with "send buffer full"). */
#define TCP_SEND_BUFFER_MAX (16u * 1024u * 1024u)

/* Bytes received at or beyond RCV.NXT, kept until they can be delivered in order (tcp_reasm.c). */
struct tcp_rcvq {
    uint8_t *ring;      /* cap bytes, slot = seq % cap; NULL until needed */
    uint8_t *have;      /* 1 where ring holds a received byte not yet delivered (cap bytes in
                         * the same block, after ring) */
    uint32_t cap;       /* ring size: a power of two, TCP_RING_MIN..TCP_RING_SIZE */
    uint32_t held;      /* bytes held beyond RCV.NXT (out of order) */
    bool fin;           /* a FIN arrived; it takes effect when RCV.NXT reaches fin_seq */
    uint32_t fin_seq;
};

/* What tcp_input asks the host to do after a segment. */
enum tcp_verdict {
    TCP_VERDICT_DONE,   /* nothing more */
    TCP_VERDICT_SPAWN,  /* LISTEN got a SYN: make a child TCB (tcp_passive_open) */
    TCP_VERDICT_REOPEN, /* TIME_WAIT got a SYN that may start a new incarnation (linux) */
};

struct tcb {
    int sock;
    enum tcp_state state;
    const struct host_config *cfg; /* the host's; outlives the TCB */
    uint32_t laddr, raddr;
    uint16_t lport, rport;
    bool passive;       /* MUST-11: SYN_RECEIVED was reached from LISTEN */
    bool gone;          /* deleted (or returned to LISTEN): the host frees it after this call */
    bool autoread;      /* the application reads delivered data at once */
    bool mark;          /* records emitted now are caused by a lesson variant (nonstandard) */

    /* Send sequence variables (RFC 9293 §3.3.1). */
    uint32_t iss, snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2;
    uint32_t max_snd_wnd;   /* RFC 5961 §5.2 MAX.SND.WND */
    uint16_t peer_mss;
    /* Receive sequence variables. */
    uint32_t irs, rcv_nxt;
    bool irs_known;
    uint32_t rcv_adv;       /* RCV.NXT + RCV.WND of our last ACK: the right edge offered */
    bool rcv_adv_set;

    /* Data the application sent, from the first unacknowledged data byte (seq sbuf_seq). */
    uint8_t *sbuf;
    size_t slen, scap;
    uint32_t sbuf_seq;
    bool fin_queued;        /* CLOSE or SHUTDOWN asked for a FIN after the queued data */
    bool fin_sent;          /* fin_seq is valid */
    uint32_t fin_seq;
    bool close_after_estab; /* CLOSE in SYN_RECEIVED with data queued: FIN after ESTABLISHED */
    bool shut_wr;           /* the application shut down its sending side */
    bool closed_by_user;    /* the application called close(): it reads no more */

    struct tcp_rcvq rq;
    uint64_t unread;        /* delivered to the application but not read (autoread off) */
    bool eof_delivered;     /* the peer's FIN reached the application */

    /* Timers: deadlines, SIM_NEVER when not running (tcp_timer.c). */
    sim_time deadline[TCP_TIMER_COUNT];
    sim_time rto, srtt, rttvar;
    bool have_rtt;
    uint32_t retries;       /* retransmissions of the segment at SND.UNA so far */
    bool syn_timed_out;     /* our SYN or SYN+ACK was retransmitted (RFC 6298 §5.7) */
    bool rtt_timing;        /* Karn: one segment timed at a time, never a retransmitted one */
    uint32_t rtt_seq;
    sim_time rtt_start;
    uint32_t recover;       /* SND.NXT when the last RTO fired: partial ACKs below it resend */

    /* Acknowledgment policy. */
    bool ack_owed;          /* received data or FIN not yet acknowledged */
    bool ack_now;           /* acknowledge at the end of this event, not later */
    uint32_t bytes_unacked; /* received in order since our last ACK */
    uint32_t quickacks_left;
    bool pingpong;          /* linux: interactive, ACKs are delayed (no quick ACKs) */

    /* Statistics for the view. */
    uint64_t bytes_sent, bytes_acked, bytes_delivered;
    uint32_t retransmits;

#ifndef NDEBUG
    uint32_t checked_rcv_nxt; /* RCV.NXT at the last invariant check */
    bool checked_rcv_valid;
#endif
};

/* --- tcp.c: the TCB, its state changes, trace records and the user calls (Table 1a) --- */

/* A new TCB in CLOSED (active or listener) or LISTEN (a passive child before its SYN). */
struct tcb *tcp_create(const struct host_config *cfg, int sock, enum tcp_state initial,
                       uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport);
void tcp_destroy(struct tcb *t); /* NULL is a no-op */

/* The one place a state changes: checks the edge (debug builds) and emits TR_STATE with cause. */
void tcp_set_state(struct tcb *t, enum tcp_state to, const char *cause, struct host_io *io);
/* Ends the TCB: state CLOSED (with cause), timers cancelled, gone. The app record follows:
 * APP_CLOSED with note when error is NULL, else APP_ERROR with error as note. */
void tcp_terminate(struct tcb *t, const char *cause, const char *error, const char *closed_note,
                   struct host_io *io);

/* A trace record of kind ev about this TCB, now, marked nonstandard while t->mark is set. */
void tcp_rec_init(struct trace_rec *r, const struct tcb *t, enum trace_ev ev,
                  const struct host_io *io);
void tcp_trace_app(const struct tcb *t, enum app_action a, uint64_t bytes, const char *note,
                   struct host_io *io);
bool tcp_legal_transition(enum tcp_state from, enum tcp_state to);

/* User calls. Each returns 0 or -1 after an APP_ERROR record with the reason. */
void tcp_listen(struct tcb *t, struct host_io *io); /* a new TCB: CLOSED -> LISTEN */
int tcp_connect(struct tcb *t, uint32_t iss, struct host_io *io);
int tcp_send(struct tcb *t, const uint8_t *data, size_t len, struct host_io *io);
int tcp_shutdown(struct tcb *t, struct host_io *io);
int tcp_close(struct tcb *t, struct host_io *io);
int tcp_abort(struct tcb *t, struct host_io *io);
/* Crash: CLOSED at once, timers cancelled, nothing sent. */
void tcp_crash(struct tcb *t, struct host_io *io);
/* The application starts or stops reading at once (reading at once empties `unread`). */
void tcp_set_autoread(struct tcb *t, bool on);
void tcp_view(const struct tcb *t, struct tcb_view *out);
/* Debug builds: SND.UNA <= SND.NXT, RCV.NXT never shrinks, delivered bytes match RCV.NXT.
 * Prints what broke and aborts. A no-op under NDEBUG. */
void tcp_check_invariants(struct tcb *t);

/* --- tcp_input.c: SEGMENT ARRIVES (RFC 9293 §3.10.7) --- */

enum tcp_verdict tcp_input(struct tcb *t, const struct segment *seg, struct host_io *io);
/* LISTEN + SYN: the child (made by tcp_create in LISTEN) takes the SYN, sends SYN+ACK. */
void tcp_passive_open(struct tcb *child, const struct segment *syn, uint32_t iss,
                      struct host_io *io);
/* TIME_WAIT makes way for a new incarnation of its 4-tuple (linux reopen). */
void tcp_time_wait_reopen(struct tcb *t, struct host_io *io);

/* --- tcp_output.c: building and sending segments, the send buffer, retransmission --- */

/* Sends new data and a queued FIN as the peer's window allows, then any ACK that is due now. */
void tcp_output(struct tcb *t, struct host_io *io);
void tcp_send_ack(struct tcb *t, struct host_io *io);     /* <SEQ=SND.NXT><ACK=RCV.NXT><ACK> */
void tcp_send_syn(struct tcb *t, struct host_io *io); /* SYN or SYN+ACK */
void tcp_send_rst(struct tcb *t, uint32_t seq, bool with_ack, struct host_io *io);
/* A zero-window probe: one new byte at SND.NXT beyond the closed window. False if no data waits
 * or the window is open. */
bool tcp_send_probe(struct tcb *t, struct host_io *io);
/* The segment at SND.UNA again (SYN, SYN+ACK, data, FIN). Returns false if nothing is there. */
bool tcp_retransmit_front(struct tcb *t, struct host_io *io);
/* RFC 9293 §3.10.7.1: the reply of a port with no TCB (nothing for a RST); also LISTEN's reply
 * to an ACK. sock is the listener, or -1. */
void tcp_reply_closed(char host, int32_t sock, const struct segment *seg, struct host_io *io);
/* Drops acknowledged bytes from the send buffer. */
void tcp_sbuf_acked(struct tcb *t, uint32_t ack);
bool tcp_sbuf_append(struct tcb *t, const uint8_t *data, size_t len);
uint32_t tcp_rcv_wnd(const struct tcb *t);                /* RCV.WND advertised now */
uint32_t tcp_eff_mss(const struct tcb *t);
uint32_t tcp_data_end(const struct tcb *t);               /* seq after the last queued byte */

/* --- tcp_timer.c: the five timers and the RTO of RFC 6298 --- */

/* Sets a timer; with a profile timer_tick the deadline becomes tcp_wheel_deadline's. */
void tcp_timer_set(struct tcb *t, enum tcp_timer which, sim_time deadline, struct host_io *io);
/* When a timer of `timeout` armed at `now` fires on a Linux timer wheel with this tick. */
sim_time tcp_wheel_deadline(sim_time now, sim_time timeout, sim_time tick);
void tcp_timer_cancel(struct tcb *t, enum tcp_timer which, struct host_io *io);
void tcp_timer_cancel_all(struct tcb *t, struct host_io *io);
sim_time tcp_next_deadline(const struct tcb *t);
/* Fires the earliest due timer (deadline <= io->now). Returns false when none is due. */
bool tcp_timer_fire_one(struct tcb *t, struct host_io *io);
/* RFC 6298 §2: a new round-trip sample. */
void tcp_rtt_sample(struct tcb *t, sim_time r);
/* Starts or restarts the RTO (and USER_TIMEOUT) while something is outstanding; stops them when
 * nothing is. restart: a new ACK arrived (RFC 6298 §5.3). */
void tcp_rto_arm(struct tcb *t, bool restart, struct host_io *io);
void tcp_enter_time_wait(struct tcb *t, const char *cause, struct host_io *io);

/* --- tcp_reasm.c: out-of-order reassembly and in-order delivery --- */

/* Stores payload bytes [seq, seq+len) that lie in [RCV.NXT, RCV.NXT+wnd). False: no memory. */
bool tcp_reasm_store(struct tcb *t, uint32_t seq, const uint8_t *data, uint32_t len);
/* Hands every in-order byte at RCV.NXT to the application; returns how many. */
uint32_t tcp_reasm_deliver(struct tcb *t, struct host_io *io);
void tcp_reasm_finish(struct tcp_rcvq *q);

#endif
