/* pcapng.c: builds pcapng blocks (little-endian, byte by byte) and the Ethernet+IPv4 frame around
 * each segment's TCP wire image. Called by the sim tap through pcapng_tap and by the CLI. */
#include "pcapng.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Block types and option codes of draft-ietf-opsawg-pcapng. */
#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define OPT_ENDOFOPT 0u
#define OPT_COMMENT 1u
#define SHB_USERAPPL 4u
#define IF_NAME 2u
#define IF_DESCRIPTION 3u
#define IF_TSRESOL 9u
#define EPB_FLAGS 2u
#define EPB_FLAG_INBOUND 1u
#define EPB_FLAG_OUTBOUND 2u
#define LINKTYPE_ETHERNET 1u
#define SNAPLEN 65535u

#define ETH_LEN 14u
#define IP_LEN 20u
#define FRAME_MAX (ETH_LEN + IP_LEN + SEG_HEADER_LEN + SEG_MSS_OPTION_LEN + SEG_MAX_PAYLOAD)
#define COMMENT_MAX 256u
#define EPB_FIXED 28u
/* The largest block: EPB header, padded frame, flags option, comment option, end of options,
 * trailing length. Every other block is far smaller. */
#define BLOCK_MAX (EPB_FIXED + FRAME_MAX + 3u + 8u + 4u + COMMENT_MAX + 4u + 4u)

struct pcapng {
    FILE *out;
    struct pcapng_host hosts[SIM_HOSTS];
    bool failed;
    size_t n;                /* bytes of the block being built */
    uint8_t buf[BLOCK_MAX];
};

static void put8(struct pcapng *p, uint8_t v)
{
    p->buf[p->n++] = v;
}

static void put16le(struct pcapng *p, uint16_t v)
{
    put8(p, (uint8_t)v);
    put8(p, (uint8_t)(v >> 8));
}

static void put32le(struct pcapng *p, uint32_t v)
{
    put16le(p, (uint16_t)v);
    put16le(p, (uint16_t)(v >> 16));
}

static void put_bytes(struct pcapng *p, const void *data, size_t len)
{
    memcpy(p->buf + p->n, data, len);
    p->n += len;
}

static void pad4(struct pcapng *p)
{
    while (p->n % 4)
        put8(p, 0);
}

static void opt(struct pcapng *p, uint16_t code, const void *data, uint16_t len)
{
    put16le(p, code);
    put16le(p, len);
    put_bytes(p, data, len);
    pad4(p);
}

static void opt_str(struct pcapng *p, uint16_t code, const char *s)
{
    opt(p, code, s, (uint16_t)strlen(s));
}

static void block_begin(struct pcapng *p, uint32_t type)
{
    p->n = 0;
    put32le(p, type);
    put32le(p, 0); /* total length, filled in by block_end */
}

/* Ends the options, writes the total length at both ends and the block to the file. */
static void block_end(struct pcapng *p)
{
    put16le(p, OPT_ENDOFOPT);
    put16le(p, 0);
    uint32_t total = (uint32_t)p->n + 4u;
    put32le(p, total);
    for (int i = 0; i < 4; i++)
        p->buf[4 + i] = (uint8_t)(total >> (8 * i));
    if (fwrite(p->buf, 1, p->n, p->out) != p->n)
        p->failed = true;
}

static void be16(uint8_t *b, uint16_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static void be32(uint8_t *b, uint32_t v)
{
    be16(b, (uint16_t)(v >> 16));
    be16(b + 2, (uint16_t)v);
}

/* 02:00 (locally administered, unicast, no vendor or well-known name in Wireshark's tables)
 * followed by the host's IPv4 address. */
static void host_mac(const struct pcapng *p, int index, uint8_t *mac)
{
    mac[0] = 0x02;
    mac[1] = 0x00;
    be32(mac + 2, p->hosts[index].addr);
}

/* RFC 791 header checksum: one's complement of the one's complement sum of the header words. */
static uint16_t ip_checksum(const uint8_t *h)
{
    uint32_t sum = 0;
    for (unsigned i = 0; i < IP_LEN; i += 2)
        sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Writes Ethernet II + IPv4 + the TCP wire image of seg into f; returns the frame length. */
static size_t frame(const struct pcapng *p, int sender, const struct segment *seg, uint16_t ip_id,
                    uint8_t *f)
{
    size_t tcp_len = seg_wire_len(seg);
    host_mac(p, 1 - sender, f);
    host_mac(p, sender, f + 6);
    be16(f + 12, 0x0800); /* EtherType IPv4 */
    uint8_t *ip = f + ETH_LEN;
    ip[0] = 0x45;         /* version 4, header length 5 words */
    ip[1] = 0;            /* DSCP, ECN */
    be16(ip + 2, (uint16_t)(IP_LEN + tcp_len));
    be16(ip + 4, ip_id);
    be16(ip + 6, 0x4000); /* DF, fragment offset 0 */
    ip[8] = 64;           /* TTL */
    ip[9] = 6;            /* protocol TCP */
    be16(ip + 10, 0);
    be32(ip + 12, seg->src_addr);
    be32(ip + 16, seg->dst_addr);
    be16(ip + 10, ip_checksum(ip));
    seg_to_wire(seg, ip + IP_LEN);
    return ETH_LEN + IP_LEN + tcp_len;
}

static void write_shb(struct pcapng *p)
{
    block_begin(p, BT_SHB);
    put32le(p, BYTE_ORDER_MAGIC);
    put16le(p, 1); /* major version */
    put16le(p, 0); /* minor version */
    put32le(p, 0xffffffffu); /* section length: -1, not given */
    put32le(p, 0xffffffffu);
    opt_str(p, SHB_USERAPPL, "tcpsim");
    block_end(p);
}

static void write_idb(struct pcapng *p, const struct pcapng_host *h)
{
    char name[2] = {h->name, '\0'};
    char desc[64];
    uint32_t a = h->addr;
    snprintf(desc, sizeof desc, "host %c, IPv4 %u.%u.%u.%u", h->name, (unsigned)(a >> 24),
             (unsigned)(a >> 16 & 0xffu), (unsigned)(a >> 8 & 0xffu), (unsigned)(a & 0xffu));
    uint8_t tsresol = 9; /* timestamps in 10^-9 s */
    block_begin(p, BT_IDB);
    put16le(p, LINKTYPE_ETHERNET);
    put16le(p, 0); /* reserved */
    put32le(p, SNAPLEN);
    opt_str(p, IF_NAME, name);
    opt_str(p, IF_DESCRIPTION, desc);
    opt(p, IF_TSRESOL, &tsresol, 1);
    block_end(p);
}

struct pcapng *pcapng_create(FILE *out, const struct pcapng_host hosts[SIM_HOSTS])
{
    struct pcapng *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->out = out;
    memcpy(p->hosts, hosts, sizeof p->hosts);
    write_shb(p);
    for (int i = 0; i < SIM_HOSTS; i++)
        write_idb(p, &p->hosts[i]);
    return p;
}

/* The packet comment: which direction, the trace id, and what the link or receiver made of it,
 * e.g. "A>B tx #12: dropped (loss: bernoulli 10%)" or "A>B rx #12 at B". */
static void comment(const struct pcapng *p, int sender, const struct trace_rec *rec, char *c)
{
    char from = p->hosts[sender].name, to = p->hosts[1 - sender].name;
    int n = 0;
    c[0] = '\0';
    switch (rec->ev) {
    case TR_TX:
        n = snprintf(c, COMMENT_MAX, "%c>%c tx #%" PRIu64 ": %s", from, to, rec->u.tx.id,
                     trace_fate_name(rec->u.tx.fate));
        break;
    case TR_RX:
        n = snprintf(c, COMMENT_MAX, "%c>%c rx #%" PRIu64 " at %c%s", from, to, rec->u.rx.id, to,
                     rec->u.rx.discarded ? ": discarded" : "");
        break;
    case TR_STATE:
    case TR_TIMER:
    case TR_APP:
    case TR_CAPTION:
    case TR_LINK:
    case TR_PAUSE:
        return; /* not about a segment: no comment */
    }
    if (n > 0 && (size_t)n < COMMENT_MAX && rec->note[0])
        n += snprintf(c + n, COMMENT_MAX - (size_t)n, " (%.*s)", (int)TRACE_NOTE_MAX, rec->note);
    if (n > 0 && (size_t)n < COMMENT_MAX && rec->nonstandard)
        snprintf(c + n, COMMENT_MAX - (size_t)n, " [nonstandard]");
}

/* The IP ID: the low 16 bits of the trace id, so a segment's outbound copy and every inbound
 * copy of it carry the same ID, as they would on a real wire. */
static uint16_t ip_id_of(const struct trace_rec *rec)
{
    if (!rec)
        return 0;
    uint64_t id = rec->ev == TR_TX ? rec->u.tx.id : rec->ev == TR_RX ? rec->u.rx.id : 0;
    return (uint16_t)id;
}

void pcapng_tap(void *ctx, sim_time t, int host, bool outbound, const struct segment *seg,
                const struct trace_rec *rec)
{
    struct pcapng *p = ctx;
    if (!seg || host < 0 || host >= SIM_HOSTS || t < 0 || seg->len > SEG_MAX_PAYLOAD ||
        (seg->len > 0 && !seg->data)) {
        p->failed = true;
        return;
    }
    int sender = outbound ? host : 1 - host;
    char c[COMMENT_MAX] = "";
    if (rec)
        comment(p, sender, rec, c);

    block_begin(p, BT_EPB);
    put32le(p, (uint32_t)host);
    put32le(p, (uint32_t)((uint64_t)t >> 32));
    put32le(p, (uint32_t)t);
    /* The frame goes straight to its place after the two length fields, which follow it here. */
    size_t len = frame(p, sender, seg, ip_id_of(rec), p->buf + EPB_FIXED);
    put32le(p, (uint32_t)len); /* captured length */
    put32le(p, (uint32_t)len); /* original length */
    p->n = EPB_FIXED + len;
    pad4(p);
    uint32_t flags = outbound ? EPB_FLAG_OUTBOUND : EPB_FLAG_INBOUND;
    uint8_t fl[4] = {(uint8_t)flags, (uint8_t)(flags >> 8), (uint8_t)(flags >> 16),
                     (uint8_t)(flags >> 24)};
    opt(p, EPB_FLAGS, fl, 4);
    if (c[0])
        opt_str(p, OPT_COMMENT, c);
    block_end(p);
}

bool pcapng_finish(struct pcapng *p)
{
    if (fflush(p->out) != 0 || ferror(p->out))
        p->failed = true;
    return !p->failed;
}

void pcapng_destroy(struct pcapng *p)
{
    free(p);
}
