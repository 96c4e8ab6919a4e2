/* segment.h: one TCP segment as it travels between the simulated hosts, its flags, its wire
 * image and checksum. Built by tcp/host, carried by link, read by trace, pcapng and render. */
#ifndef TCPSIM_SEGMENT_H
#define TCPSIM_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Control bits, with their values in the TCP header's flags byte. */
enum {
    SEG_FIN = 0x01,
    SEG_SYN = 0x02,
    SEG_RST = 0x04,
    SEG_PSH = 0x08,
    SEG_ACK = 0x10,
    SEG_URG = 0x20,
    SEG_ECE = 0x40,
    SEG_CWR = 0x80,
};

/* Largest payload one segment may carry in this simulator (jumbo-frame MTU 9000 less headers). */
#define SEG_MAX_PAYLOAD 8960u
#define SEG_HEADER_LEN 20u        /* TCP header without options */
#define SEG_MSS_OPTION_LEN 4u     /* kind 2, len 4, value */

struct segment {
    uint32_t src_addr, dst_addr; /* IPv4, host byte order */
    uint16_t src_port, dst_port;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    uint16_t mss;                /* MSS option value; 0 = no option (only SYNs carry one) */
    uint16_t len;                /* payload bytes */
    uint16_t checksum;           /* as computed by the sender over the pseudo-header */
    int32_t flipped_bit;         /* -1, or the bit of the TCP wire image the link flipped */
    uint8_t *data;               /* len bytes, owned by this segment (NULL when len == 0) */
};

/* SEG.LEN of RFC 9293: payload plus one for SYN and one for FIN. */
static inline uint32_t seg_seqlen(const struct segment *s)
{
    return (uint32_t)s->len + ((s->flags & SEG_SYN) ? 1u : 0u) + ((s->flags & SEG_FIN) ? 1u : 0u);
}

/* Deep copy (payload included); returns false only when memory runs out. */
bool seg_copy(struct segment *dst, const struct segment *src);
/* Frees the payload; the struct itself belongs to the caller. Safe on a zeroed segment. */
void seg_finish(struct segment *s);

/* Length in bytes of the TCP wire image (header, options, payload). */
size_t seg_wire_len(const struct segment *s);
/* Writes the wire image (network byte order, checksum field as stored, flipped bit applied)
 * into buf, which must hold seg_wire_len bytes. */
void seg_to_wire(const struct segment *s, uint8_t *buf);
/* Computes the TCP checksum (RFC 9293 §3.1, with the IPv4 pseudo-header) of the segment's
 * intended contents and stores it in s->checksum. */
void seg_set_checksum(struct segment *s);
/* True when the wire image, flipped bit included, carries a valid checksum. */
bool seg_checksum_ok(const struct segment *s);

/* Writes flag names in Wireshark's order joined by '+', e.g. "SYN+ACK" ("none" when
 * no flag is set). Returns the number of characters written (buffer of 40 bytes suffices). */
int seg_flags_str(uint8_t flags, char *buf, size_t size);
/* Name of the single flag bit (e.g. SEG_SYN -> "SYN"). */
const char *seg_flag_name(uint8_t bit);

#endif
