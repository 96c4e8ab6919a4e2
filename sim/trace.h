/* trace.h: the one event stream the engine emits (design.md, "JSONL trace records") and the sink
 * it is written to. Produced by link, host, tcp and sim; consumed by the text/JSONL writers,
 * pcapng, checks and the front end. Every record is a plain value: no pointers into the engine. */
#ifndef TCPSIM_TRACE_H
#define TCPSIM_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "segment.h"
#include "simtime.h"

enum tcp_state {
    TCP_CLOSED,
    TCP_LISTEN,
    TCP_SYN_SENT,
    TCP_SYN_RECEIVED,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2,
    TCP_CLOSE_WAIT,
    TCP_CLOSING,
    TCP_LAST_ACK,
    TCP_TIME_WAIT,
};
#define TCP_STATE_COUNT 11

enum tcp_timer {
    TIMER_RTO,
    TIMER_TIME_WAIT,
    TIMER_DELACK,
    TIMER_FIN_WAIT_2,
    TIMER_USER_TIMEOUT,
};
#define TCP_TIMER_COUNT 5

enum timer_action { TIMER_SET, TIMER_FIRE, TIMER_CANCEL };

enum trace_ev {
    TR_TX,      /* a host put a segment on the link; fate says what the link did */
    TR_RX,      /* a segment arrived at a host (note says if it was discarded, e.g. checksum) */
    TR_STATE,   /* a connection changed state */
    TR_TIMER,   /* a timer was set, fired or cancelled */
    TR_APP,     /* an application call or a result reported to the application */
    TR_CAPTION, /* a scenario caption */
    TR_LINK,    /* a link parameter changed, link down/up */
    TR_PAUSE,   /* a scenario pause point (the front end stops here in presenter mode) */
};

enum seg_fate { FATE_DELIVERED, FATE_DROPPED, FATE_DUPLICATED, FATE_CORRUPTED, FATE_REORDERED };

enum app_action {
    APP_LISTEN,
    APP_CONNECT,
    APP_SEND,
    APP_SHUTDOWN,
    APP_CLOSE,
    APP_ABORT,
    APP_CRASH,
    APP_REBOOT,
    APP_DELIVER,   /* bytes handed to the application, in order */
    APP_EOF,       /* the peer's FIN reached the application */
    APP_ERROR,     /* a call failed or the connection ended with an error; note gives reason */
    APP_ACCEPT,    /* a passive connection became ESTABLISHED */
    APP_CONNECTED, /* an active connection became ESTABLISHED */
    APP_CLOSED,    /* the connection's TCB was deleted normally */
    APP_VARIANT,   /* the scenario switched lesson variants on or off */
};

#define TRACE_NOTE_MAX 128
#define TRACE_TEXT_MAX 512

/* Segment fields as the trace shows them (no payload). */
struct trace_seg {
    uint8_t flags;
    uint32_t seq, ack;
    uint32_t rel_seq, rel_ack; /* relative to the sender's ISN / the receiver's ISN (0 if unknown) */
    uint16_t len, wnd, mss;
    uint32_t src_addr, dst_addr;
    uint16_t src_port, dst_port;
};

struct trace_rec {
    sim_time t;
    enum trace_ev ev;
    char host;      /* 'A' or 'B' (sender for TR_TX, receiver for TR_RX); 0 if none */
    int32_t sock;   /* the host's socket number, -1 if none (e.g. no TCB matched) */
    bool nonstandard; /* produced by a lesson variant that breaks a rule on purpose */
    char note[TRACE_NOTE_MAX];
    union {
        struct { uint64_t id; struct trace_seg seg; enum seg_fate fate; char to; } tx;
        struct { uint64_t id; struct trace_seg seg; bool discarded; } rx;
        struct { enum tcp_state from, to; } state;   /* note holds the cause, e.g. "rx SYN" */
        struct { enum tcp_timer timer; enum timer_action action; sim_time deadline; } timer;
        struct { enum app_action action; uint64_t bytes; } app;
        struct { char text[TRACE_TEXT_MAX]; char text_ko[TRACE_TEXT_MAX]; } caption;
        struct { char dir[4]; } link;             /* "A>B" or "B>A"; note says what changed */
    } u;
};

struct trace_sink {
    void (*emit)(void *ctx, const struct trace_rec *rec);
    void *ctx;
};

static inline void trace_emit(const struct trace_sink *sink, const struct trace_rec *rec)
{
    if (sink && sink->emit)
        sink->emit(sink->ctx, rec);
}

const char *trace_state_name(enum tcp_state s);         /* "SYN_RECEIVED" */
bool trace_state_parse(const char *name, enum tcp_state *out);
const char *trace_timer_name(enum tcp_timer t);         /* "TIME_WAIT" */
const char *trace_timer_action_name(enum timer_action a); /* "set" */
const char *trace_ev_name(enum trace_ev e);             /* "tx" */
const char *trace_fate_name(enum seg_fate f);           /* "delivered" */
const char *trace_app_name(enum app_action a);          /* "deliver" */

#endif
