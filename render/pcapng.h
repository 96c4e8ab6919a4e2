/* pcapng.h: a pcapng capture of a simulation, one interface per host, one Ethernet+IPv4+TCP frame
 * per segment leaving or reaching a host. Fed by the sim tap (sim_set_tap); used by `run --pcap`. */
#ifndef TCPSIM_PCAPNG_H
#define TCPSIM_PCAPNG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"

/* One simulated host as the capture names it: interface 0 is host A, interface 1 is host B.
 * Each host's frames carry the locally administered MAC address 02:00 followed by its IPv4
 * address (10.0.0.1 -> 02:00:0a:00:00:01). */
struct pcapng_host {
    char name;     /* 'A' or 'B': the interface's if_name */
    uint32_t addr; /* IPv4, host byte order: in if_description and the host's MAC address */
};

struct pcapng;

/* Writes the Section Header Block and one Interface Description Block per host (Ethernet,
 * nanosecond timestamps) to out, which stays the caller's to close. Returns NULL when memory
 * runs out; write errors are kept and reported by pcapng_finish. */
struct pcapng *pcapng_create(FILE *out, const struct pcapng_host hosts[SIM_HOSTS]);

/* A sim_tap_fn (ctx is the struct pcapng): writes one Enhanced Packet Block on host's interface,
 * timestamp t ns, the frame as the wire carries seg, and a comment from rec (a TR_TX record for
 * an outbound copy, TR_RX for an inbound one; NULL writes no comment). A host index out of range
 * or a negative time writes nothing and makes pcapng_finish fail. */
void pcapng_tap(void *ctx, sim_time t, int host, bool outbound, const struct segment *seg,
                const struct trace_rec *rec);

/* Flushes the output; true when every block was written and nothing was refused. */
bool pcapng_finish(struct pcapng *p);

void pcapng_destroy(struct pcapng *p); /* NULL is a no-op; does not close the FILE */

#endif
