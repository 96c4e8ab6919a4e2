/* profile.h: the numbers and rule choices of a TCP profile (design.md "Profiles"): rfc9293
 * (default) and linux. Read by tcp.c and host.c; set by the scenario and --set KEY=VALUE. */
#ifndef TCPSIM_PROFILE_H
#define TCPSIM_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "simtime.h"

enum profile_id { PROFILE_RFC9293, PROFILE_LINUX };

struct tcp_profile {
    enum profile_id id;
    sim_time rto_initial, rto_min, rto_max;
    sim_time msl;                  /* TIME_WAIT lasts time_wait (2 x MSL unless overridden) */
    sim_time time_wait;
    uint32_t syn_retries;          /* retransmissions of a SYN before giving up */
    uint32_t synack_retries;
    uint32_t data_retries;         /* retransmissions of data or FIN (R2) */
    sim_time delack;               /* 0 = ACK every segment at once */
    uint32_t quickack_segments;    /* linux: first segments ACKed at once */
    sim_time fin_wait_2_timeout;   /* 0 = none (RFC) */
    sim_time user_timeout;         /* 0 = none */
    bool challenge_ack;            /* RFC 5961 (true) or RFC 793 reset rules */
    bool rfc1337;                  /* ignore RST in TIME_WAIT */
    bool time_wait_reopen;         /* a new SYN may reopen a TIME_WAIT 4-tuple (RFC 6191 / Linux) */
    bool synack_on_dup_syn;        /* SYN_RECEIVED answers a duplicate SYN with SYN+ACK (linux) */
    bool psh_on_data;              /* PSH on the last segment of each send */
    bool rst_on_unread_close;      /* close() with unread data sends RST (linux) */
    bool closing_ack_with_fin;     /* unused by both profiles; FreeBSD form of C32 */
    bool fin_in_zero_window;       /* a bare FIN at RCV.NXT is accepted with RCV.WND = 0 (linux) */
    bool rst_with_ack;             /* ABORT's RST carries ACK = RCV.NXT and the window
                                    * (linux "R.") */
    bool rto_srtt_plus_min;        /* RTO = SRTT + max(4 x RTTVAR, rto_min) (linux) instead of
                                    * max(SRTT + 4 x RTTVAR, rto_min) (RFC 6298 §2.4) */
    bool rcv_sws;                  /* receiver SWS avoidance: the right window edge moves only by
                                    * at least one MSS (RFC 9293 §3.8.6.2.2, linux) */
    sim_time timer_tick;           /* 0 = exact timers; else jiffy timers on a hierarchical timer
                                    * wheel with this tick, as Linux's (4 ms = CONFIG_HZ 250) */
    uint16_t mss;                  /* our MSS option and segment size */
    uint32_t rcv_wnd;              /* receive buffer / advertised window */
};

void profile_defaults(struct tcp_profile *p, enum profile_id id);
const char *profile_name(enum profile_id id);
bool profile_parse(const char *name, enum profile_id *out);

/* Sets one number by its scenario / --set key (e.g. "rto_min", "time_wait", "syn_retries").
 * value is the already parsed integer (nanoseconds for times, 0/1 for booleans). Returns false
 * for an unknown key or a value outside the key's range (e.g. rcv_wnd above 65535). Setting
 * "msl" also sets time_wait to 2 x msl. */
bool profile_set(struct tcp_profile *p, const char *key, int64_t value);
/* Whether a key names a time (so the parser expects a unit) or a boolean. */
enum profile_key_kind { PKEY_UNKNOWN, PKEY_TIME, PKEY_COUNT, PKEY_BOOL };
enum profile_key_kind profile_key_kind(const char *key);

#endif
