/* rfc_edges.c: RFC 9293 Figure 5 as a table, and the documented causes of the other edges to
 * CLOSED. Called by tests/simtest/st_check.c and tests/fuzz/ (see rfc_edges.h). */
#include "rfc_edges.h"

#include <string.h>

#define BIT(s) (1u << (s))

static const unsigned figure5[TCP_STATE_COUNT] = {
    [TCP_CLOSED] = BIT(TCP_LISTEN) | BIT(TCP_SYN_SENT),
    [TCP_LISTEN] = BIT(TCP_CLOSED) | BIT(TCP_SYN_RECEIVED) | BIT(TCP_SYN_SENT),
    [TCP_SYN_SENT] = BIT(TCP_CLOSED) | BIT(TCP_SYN_RECEIVED) | BIT(TCP_ESTABLISHED),
    /* Note 1: a passive open's SYN_RECEIVED returns to LISTEN on a RST */
    [TCP_SYN_RECEIVED] = BIT(TCP_ESTABLISHED) | BIT(TCP_FIN_WAIT_1) | BIT(TCP_LISTEN),
    [TCP_ESTABLISHED] = BIT(TCP_FIN_WAIT_1) | BIT(TCP_CLOSE_WAIT),
    /* Note 2: FIN-WAIT-1 -> TIME-WAIT when a FIN arrives that also acknowledges ours */
    [TCP_FIN_WAIT_1] = BIT(TCP_FIN_WAIT_2) | BIT(TCP_CLOSING) | BIT(TCP_TIME_WAIT),
    [TCP_FIN_WAIT_2] = BIT(TCP_TIME_WAIT),
    [TCP_CLOSE_WAIT] = BIT(TCP_LAST_ACK),
    [TCP_CLOSING] = BIT(TCP_TIME_WAIT),
    [TCP_LAST_ACK] = BIT(TCP_CLOSED),
    [TCP_TIME_WAIT] = BIT(TCP_CLOSED),
};

static const char *const abnormal_causes[] = {
    "rx RST", "abort", "crash", "RTO: retries exhausted", "USER_TIMEOUT timer",
    "FIN_WAIT_2 timer", "close with unread data", "rx data after close", "rx SYN in window",
    "rx SYN: new incarnation",
};

bool rfc_edges_figure5(enum tcp_state from, enum tcp_state to)
{
    return (unsigned)from < TCP_STATE_COUNT && (unsigned)to < TCP_STATE_COUNT &&
           (figure5[from] & BIT(to)) != 0;
}

bool rfc_edges_abnormal_cause(const char *cause)
{
    for (size_t i = 0; i < sizeof abnormal_causes / sizeof abnormal_causes[0]; i++)
        if (strcmp(cause, abnormal_causes[i]) == 0)
            return true;
    return false;
}

bool rfc_edges_legal(enum tcp_state from, enum tcp_state to, const char *cause)
{
    return rfc_edges_figure5(from, to) ||
           (to == TCP_CLOSED && from != TCP_CLOSED && rfc_edges_abnormal_cause(cause));
}
