/* host.h: one simulated host: its address, its socket table (listeners and connections keyed by
 * 4-tuple), demultiplexing of arriving segments, the user calls and crash/reboot.
 * Called by sim.c and the TCP unit tests; owns its tcp connections (tcp.h). */
#ifndef TCPSIM_HOST_H
#define TCPSIM_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "rng.h"
#include "segment.h"
#include "simtime.h"
#include "trace.h"

enum isn_policy { ISN_RANDOM, ISN_FIXED };

/* Lesson variants: each breaks one rule on purpose; every record they cause is marked
 * nonstandard in the trace. */
struct lesson_variants {
    bool two_way_handshake; /* a passive open becomes ESTABLISHED when it sends SYN+ACK */
    bool isn_zero;          /* every ISN is 0 */
    bool time_wait_zero;    /* TIME_WAIT lasts 0 s */
};

/* Most sockets (listeners, connections, TIME_WAIT entries) one host holds at once unless its
 * config says otherwise: one port range's worth. */
#define HOST_MAX_SOCKS_DEFAULT 65536u

struct host_config {
    char name;              /* 'A' or 'B' */
    uint32_t addr;          /* IPv4 */
    enum isn_policy isn_policy;
    uint32_t isn_fixed;
    struct lesson_variants variants;
    struct tcp_profile profile; /* mss and rcv_wnd included */
    uint32_t max_socks;     /* most sockets at once; 0 = HOST_MAX_SOCKS_DEFAULT. Beyond it a SYN
                             * is dropped and a call fails, each with an APP_ERROR record */
};

/* Everything a host may touch during one call: the current time, the randomness for ISNs, where
 * segments go and where trace records go. The host never reads a clock or a link itself. */
struct host_io {
    sim_time now;
    struct rng *rng;
    void (*output)(void *ctx, char host, const struct segment *seg, uint32_t rel_seq,
                   uint32_t rel_ack, int32_t sock);
    void *output_ctx;
    const struct trace_sink *trace;
    /* Optional: called with each run of bytes handed to the application, in order. */
    void (*deliver)(void *ctx, char host, int32_t sock, const uint8_t *data, size_t len);
    void *deliver_ctx;
    /* Set by the host only while it calls output() for a segment that a lesson variant caused
     * (e.g. a SYN with ISN 0): output() may copy it into its tx record's nonstandard. */
    bool nonstandard;
};

struct host;

struct host *host_create(const struct host_config *cfg);
void host_destroy(struct host *h); /* NULL is a no-op */

/* User calls. Each returns the socket number it acted on, or a negative value after reporting
 * the error to the trace as an APP_ERROR record (e.g. "connection does not exist"). */
int host_listen(struct host *h, uint16_t port, struct host_io *io);
int host_connect(struct host *h, uint16_t lport, uint32_t raddr, uint16_t rport, struct host_io *io);
/* sock < 0 means "the host's current connection" (the newest that is not a listener). */
int host_send(struct host *h, int sock, const uint8_t *data, size_t len, struct host_io *io);
int host_shutdown(struct host *h, int sock, struct host_io *io);
int host_close(struct host *h, int sock, struct host_io *io);
int host_abort(struct host *h, int sock, struct host_io *io);
/* The application reads everything delivered so far (matters for rst_on_unread_close). The
 * default is that the application reads at once; host_set_autoread(false) keeps data unread. */
void host_set_autoread(struct host *h, bool on);
/* Every later ISN of this host is isn (ISN_FIXED from now on): tests and scenarios that need
 * a given ISN for the next incarnation (reference C03: B's fresh ISS 400). */
void host_set_isn(struct host *h, uint32_t isn);
/* Crash forgets every connection and listener at once, sending nothing; reboot only traces. */
void host_crash(struct host *h, struct host_io *io);
/* Switches lesson variants on or off from now on (a scenario shows a rule broken, then kept). */
void host_set_variants(struct host *h, const struct lesson_variants *v);
void host_reboot(struct host *h, struct host_io *io);

/* A segment arrives from the link (the checksum is verified here: a bad one is discarded with
 * the reason traced). */
void host_input(struct host *h, const struct segment *seg, uint64_t id, struct host_io *io);

/* Earliest timer deadline over all connections, SIM_NEVER if none; host_on_timer fires every
 * timer whose deadline is <= io->now. */
sim_time host_next_deadline(const struct host *h);
void host_on_timer(struct host *h, struct host_io *io);

/* Read-only view for checks, the front end and tests. */
struct tcb_view {
    int sock;
    enum tcp_state state;
    bool listener;
    uint32_t laddr, raddr;
    uint16_t lport, rport;
    uint32_t iss, irs, snd_una, snd_nxt, snd_wnd, rcv_nxt, rcv_wnd;
    bool irs_known;
    sim_time rto;
    sim_time timer_deadline[TCP_TIMER_COUNT]; /* SIM_NEVER when not running */
    uint64_t bytes_sent, bytes_acked, bytes_delivered, bytes_unread;
    uint32_t retransmits;
};

char host_name(const struct host *h);
size_t host_sock_count(const struct host *h);
bool host_sock_view(const struct host *h, size_t index, struct tcb_view *out);
/* The state a lesson shows for the host: its current connection's state, else LISTEN if a
 * listener exists, else CLOSED. */
enum tcp_state host_state(const struct host *h);

#endif
