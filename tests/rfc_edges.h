/* rfc_edges.h: the tests' own oracle of TCP state changes, written from RFC 9293 Figure 5 (and
 * its Notes 1 and 2) independently of sim/tcp.c, plus the documented ways to CLOSED outside the
 * figure. Used by simtest and the fuzz targets to judge every state record. */
#ifndef TCPSIM_RFC_EDGES_H
#define TCPSIM_RFC_EDGES_H

#include <stdbool.h>

#include "trace.h"

/* An edge drawn in Figure 5 (with Note 1 SYN_RECEIVED -> LISTEN, Note 2 FIN_WAIT_1 -> TIME_WAIT). */
bool rfc_edges_figure5(enum tcp_state from, enum tcp_state to);
/* A cause that may take any state to CLOSED outside the figure: reset, abort, crash, retries
 * exhausted, user and FIN_WAIT_2 timeouts, the RSTs that report lost data, RFC 793's SYN in
 * window, a TIME_WAIT giving way to a new incarnation. */
bool rfc_edges_abnormal_cause(const char *cause);
/* Either of the two: the state record is legal. */
bool rfc_edges_legal(enum tcp_state from, enum tcp_state to, const char *cause);

#endif
