/* trace.c: names of the trace's enumerations as they appear in text and JSONL output and in
 * scenario files. Used by every writer and by the scenario parser. */
#include "trace.h"

#include <string.h>

static const char *const state_names[TCP_STATE_COUNT] = {
    [TCP_CLOSED] = "CLOSED",
    [TCP_LISTEN] = "LISTEN",
    [TCP_SYN_SENT] = "SYN_SENT",
    [TCP_SYN_RECEIVED] = "SYN_RECEIVED",
    [TCP_ESTABLISHED] = "ESTABLISHED",
    [TCP_FIN_WAIT_1] = "FIN_WAIT_1",
    [TCP_FIN_WAIT_2] = "FIN_WAIT_2",
    [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
    [TCP_CLOSING] = "CLOSING",
    [TCP_LAST_ACK] = "LAST_ACK",
    [TCP_TIME_WAIT] = "TIME_WAIT",
};

const char *trace_state_name(enum tcp_state s)
{
    return (unsigned)s < TCP_STATE_COUNT ? state_names[s] : "?";
}

bool trace_state_parse(const char *name, enum tcp_state *out)
{
    for (int i = 0; i < TCP_STATE_COUNT; i++) {
        if (strcmp(name, state_names[i]) == 0) {
            *out = (enum tcp_state)i;
            return true;
        }
    }
    return false;
}

const char *trace_timer_name(enum tcp_timer t)
{
    switch (t) {
    case TIMER_RTO: return "RTO";
    case TIMER_TIME_WAIT: return "TIME_WAIT";
    case TIMER_DELACK: return "DELACK";
    case TIMER_FIN_WAIT_2: return "FIN_WAIT_2";
    case TIMER_USER_TIMEOUT: return "USER_TIMEOUT";
    }
    return "?";
}

const char *trace_timer_action_name(enum timer_action a)
{
    switch (a) {
    case TIMER_SET: return "set";
    case TIMER_FIRE: return "fire";
    case TIMER_CANCEL: return "cancel";
    }
    return "?";
}

const char *trace_ev_name(enum trace_ev e)
{
    switch (e) {
    case TR_TX: return "tx";
    case TR_RX: return "rx";
    case TR_STATE: return "state";
    case TR_TIMER: return "timer";
    case TR_APP: return "app";
    case TR_CAPTION: return "caption";
    case TR_LINK: return "link";
    case TR_PAUSE: return "pause";
    }
    return "?";
}

const char *trace_fate_name(enum seg_fate f)
{
    switch (f) {
    case FATE_DELIVERED: return "delivered";
    case FATE_DROPPED: return "dropped";
    case FATE_DUPLICATED: return "duplicated";
    case FATE_CORRUPTED: return "corrupted";
    case FATE_REORDERED: return "reordered";
    }
    return "?";
}

const char *trace_app_name(enum app_action a)
{
    switch (a) {
    case APP_LISTEN: return "listen";
    case APP_CONNECT: return "connect";
    case APP_SEND: return "send";
    case APP_SHUTDOWN: return "shutdown";
    case APP_CLOSE: return "close";
    case APP_ABORT: return "abort";
    case APP_CRASH: return "crash";
    case APP_REBOOT: return "reboot";
    case APP_DELIVER: return "deliver";
    case APP_EOF: return "eof";
    case APP_ERROR: return "error";
    case APP_ACCEPT: return "accept";
    case APP_CONNECTED: return "connected";
    case APP_CLOSED: return "closed";
    case APP_VARIANT: return "variant";
    }
    return "?";
}
