/* segment.c: copying segments, their TCP wire image and RFC 9293 checksum, flag names.
 * Used by host/tcp (checksums), link (bit flips), pcapng and the trace writers. */
#include "segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool seg_copy(struct segment *dst, const struct segment *src)
{
    *dst = *src;
    dst->data = NULL;
    if (src->len > 0) {
        dst->data = malloc(src->len);
        if (!dst->data)
            return false;
        memcpy(dst->data, src->data, src->len);
    }
    return true;
}

void seg_finish(struct segment *s)
{
    free(s->data);
    s->data = NULL;
    s->len = 0;
}

static size_t header_len(const struct segment *s)
{
    return SEG_HEADER_LEN + (s->mss ? SEG_MSS_OPTION_LEN : 0);
}

size_t seg_wire_len(const struct segment *s)
{
    return header_len(s) + s->len;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

/* The wire image with the given checksum field and without any flipped bit. */
static void image(const struct segment *s, uint16_t checksum, uint8_t *b)
{
    size_t hl = header_len(s);
    put16(b + 0, s->src_port);
    put16(b + 2, s->dst_port);
    put32(b + 4, s->seq);
    put32(b + 8, s->ack);
    b[12] = (uint8_t)((hl / 4) << 4);
    b[13] = s->flags;
    put16(b + 14, s->wnd);
    put16(b + 16, checksum);
    put16(b + 18, 0); /* urgent pointer */
    if (s->mss) {
        b[20] = 2; /* kind: maximum segment size */
        b[21] = 4;
        put16(b + 22, s->mss);
    }
    if (s->len)
        memcpy(b + hl, s->data, s->len);
}

static void flip(uint8_t *b, size_t n, int32_t bit)
{
    if (bit >= 0 && (size_t)bit / 8 < n)
        b[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
}

void seg_to_wire(const struct segment *s, uint8_t *buf)
{
    image(s, s->checksum, buf);
    flip(buf, seg_wire_len(s), s->flipped_bit);
}

/* One's-complement sum (RFC 1071) of the pseudo-header (RFC 9293 §3.1) and the wire image. */
static uint16_t checksum_of(const struct segment *s, const uint8_t *b, size_t n)
{
    uint64_t sum = 0;
    sum += (s->src_addr >> 16) + (s->src_addr & 0xffffu);
    sum += (s->dst_addr >> 16) + (s->dst_addr & 0xffffu);
    sum += 6; /* protocol: TCP */
    sum += n;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(b[i] << 8 | b[i + 1]);
    if (n & 1)
        sum += (uint32_t)(b[n - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

void seg_set_checksum(struct segment *s)
{
    uint8_t buf[SEG_HEADER_LEN + SEG_MSS_OPTION_LEN + SEG_MAX_PAYLOAD];
    size_t n = seg_wire_len(s);
    image(s, 0, buf);
    s->checksum = checksum_of(s, buf, n);
}

bool seg_checksum_ok(const struct segment *s)
{
    uint8_t buf[SEG_HEADER_LEN + SEG_MSS_OPTION_LEN + SEG_MAX_PAYLOAD];
    size_t n = seg_wire_len(s);
    seg_to_wire(s, buf);
    /* Summing an image that carries a correct checksum gives all ones, so ~sum == 0. A single
     * flipped bit changes the sum by a power of two modulo 0xffff, never by zero: always caught. */
    return checksum_of(s, buf, n) == 0;
}

const char *seg_flag_name(uint8_t bit)
{
    switch (bit) {
    case SEG_CWR: return "CWR";
    case SEG_ECE: return "ECE";
    case SEG_URG: return "URG";
    case SEG_ACK: return "ACK";
    case SEG_PSH: return "PSH";
    case SEG_RST: return "RST";
    case SEG_SYN: return "SYN";
    case SEG_FIN: return "FIN";
    default: return "?";
    }
}

int seg_flags_str(uint8_t flags, char *buf, size_t size)
{
    /* Wireshark's order ("SYN+ACK", "FIN+PSH+ACK"), which students know from captures; the JSONL
     * trace lists flags in header-bit order instead, as design.md fixes. */
    static const uint8_t order[] = { SEG_FIN, SEG_SYN, SEG_RST, SEG_PSH, SEG_ACK, SEG_URG, SEG_ECE, SEG_CWR };
    int n = 0;
    if (size == 0)
        return 0;
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof order; k++) {
        if (!(flags & order[k]))
            continue;
        int w = snprintf(buf + n, size - (size_t)n, "%s%s", n ? "+" : "", seg_flag_name(order[k]));
        if (w < 0 || (size_t)(n + w) >= size)
            return n;
        n += w;
    }
    if (n == 0)
        n = snprintf(buf, size, "none");
    return n;
}
