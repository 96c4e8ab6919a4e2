/* fuzz_pcapng.c: fuzz target for the pcapng writer: fuzzer-chosen hosts, segments (any fields,
 * payloads up to beyond the limit, flipped bits anywhere, missing data), times (negative too),
 * host indices out of range and trace records with unterminated notes go through pcapng_tap into
 * memory. Invariants: pcapng_finish fails exactly when a call broke pcapng_tap's contract; the
 * output is a well-formed pcapng file (every block's two lengths agree and are multiples of 4,
 * options end in opt_endofopt); one Enhanced Packet Block per accepted call, on its host's
 * interface, with its timestamp, whose frame carries a valid IPv4 header and exactly the TCP wire
 * image of the segment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pcapng.h"

#define MAX_CALLS 48
#define WIRE_MAX (SEG_HEADER_LEN + SEG_MSS_OPTION_LEN + SEG_MAX_PAYLOAD)

struct expected {
    int host;
    sim_time t;
    bool outbound;
    uint32_t src, dst;
    size_t wire_len;
    uint8_t wire[WIRE_MAX];
};

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The options of a block from p to end: each padded to 4, ending with opt_endofopt. */
static void check_options(const uint8_t *p, const uint8_t *end)
{
    for (int k = 0; k < 64; k++) {
        if (end - p < 4)
            fuzz_fail("options run past their block");
        uint16_t code = le16(p), len = le16(p + 2);
        if (code == 0) {
            if (len != 0 || end - p != 4)
                fuzz_fail("opt_endofopt is not the last 4 bytes of the options");
            return;
        }
        size_t padded = 4 + ((len + 3u) & ~3u);
        if ((size_t)(end - p) < padded)
            fuzz_fail("option %u longer than its block", code);
        p += padded;
    }
    fuzz_fail("too many options");
}

static uint16_t ip_sum(const uint8_t *h)
{
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)sum;
}

static void check_file(const uint8_t *b, size_t n, const struct expected *exp, size_t nexp)
{
    size_t off = 0, blocks = 0, epbs = 0;
    while (off < n) {
        if (n - off < 12)
            fuzz_fail("truncated block at %zu", off);
        uint32_t type = le32(b + off), len = le32(b + off + 4);
        if (len < 12 || len % 4 || len > n - off || le32(b + off + len - 4) != len)
            fuzz_fail("block at %zu: bad lengths", off);
        const uint8_t *body = b + off + 8, *end = b + off + len - 4;
        if (blocks == 0) {
            if (type != 0x0A0D0D0Au || le32(body) != 0x1A2B3C4Du)
                fuzz_fail("the file does not start with a section header");
            check_options(body + 16, end);
        } else if (blocks <= SIM_HOSTS) {
            if (type != 1u || le16(body) != 1u)
                fuzz_fail("block %zu is not an Ethernet interface description", blocks);
            check_options(body + 8, end);
        } else {
            if (type != 6u || epbs >= nexp)
                fuzz_fail("unexpected block type %u after %zu packets", type, epbs);
            const struct expected *e = &exp[epbs++];
            uint32_t caplen = le32(body + 12), origlen = le32(body + 16);
            uint64_t ts = (uint64_t)le32(body + 4) << 32 | le32(body + 8);
            if (le32(body) != (uint32_t)e->host || ts != (uint64_t)e->t)
                fuzz_fail("packet %zu: wrong interface or time", epbs);
            if (caplen != origlen || caplen != 14u + 20u + e->wire_len ||
                (size_t)(end - body) < 20u + ((caplen + 3u) & ~3u))
                fuzz_fail("packet %zu: wrong length %u", epbs, caplen);
            const uint8_t *f = body + 20, *ip = f + 14;
            if (f[12] != 0x08 || f[13] != 0x00 || ip[0] != 0x45 || ip[9] != 6 ||
                (uint32_t)(ip[2] << 8 | ip[3]) != 20u + e->wire_len || ip_sum(ip) != 0xffffu ||
                be32(ip + 12) != e->src || be32(ip + 16) != e->dst)
                fuzz_fail("packet %zu: bad Ethernet or IPv4 header", epbs);
            if (memcmp(ip + 20, e->wire, e->wire_len) != 0)
                fuzz_fail("packet %zu: the TCP bytes are not the segment's wire image", epbs);
            check_options(body + 20 + ((caplen + 3u) & ~3u), end);
        }
        blocks++;
        off += len;
    }
    if (blocks < 1 + SIM_HOSTS || epbs != nexp)
        fuzz_fail("%zu packets written, %zu expected", epbs, nexp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    struct pcapng_host hosts[SIM_HOSTS];
    for (int h = 0; h < SIM_HOSTS; h++)
        hosts[h] = (struct pcapng_host){ .name = (char)('A' + fuzz_u8(&in) % 26),
                                         .addr = fuzz_u32(&in) };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return 0;
    struct pcapng *p = pcapng_create(f, hosts);
    struct expected *exp = malloc(MAX_CALLS * sizeof *exp);
    uint8_t *payload = malloc(SEG_MAX_PAYLOAD + 64);
    size_t nexp = 0;
    bool contract_kept = true;
    for (int k = 0; p && exp && payload && k < MAX_CALLS && fuzz_more(&in); k++) {
        struct segment seg;
        memset(&seg, 0, sizeof seg);
        seg.src_addr = fuzz_u32(&in);
        seg.dst_addr = fuzz_u32(&in);
        seg.src_port = fuzz_u16(&in);
        seg.dst_port = fuzz_u16(&in);
        seg.seq = fuzz_u32(&in);
        seg.ack = fuzz_u32(&in);
        seg.flags = fuzz_u8(&in);
        seg.wnd = fuzz_u16(&in);
        seg.mss = fuzz_u8(&in) & 1 ? fuzz_u16(&in) : 0;
        seg.checksum = fuzz_u16(&in);
        uint8_t sel = fuzz_u8(&in);
        seg.len = sel < 200 ? (uint16_t)(sel * 7u) : (uint16_t)(SEG_MAX_PAYLOAD - 50u + fuzz_u8(&in));
        for (size_t i = 0; i < seg.len && i < SEG_MAX_PAYLOAD + 64; i++)
            payload[i] = (uint8_t)(i * 31u + (unsigned)k);
        bool no_data = (sel & 0x0f) == 0x0f && seg.len > 0;
        seg.data = no_data || seg.len > SEG_MAX_PAYLOAD + 64 ? NULL : payload;
        uint8_t fl = fuzz_u8(&in);
        seg.flipped_bit = fl < 128 ? -1 : fl < 250 ? (int32_t)fuzz_u16(&in) : (int32_t)fuzz_u32(&in);
        sim_time t = (sim_time)fuzz_u64(&in);
        if (fuzz_u8(&in) < 240)
            t &= INT64_MAX;
        int host = (int)(fuzz_u8(&in) % 4) - 1;
        bool outbound = fuzz_u8(&in) & 1;
        struct trace_rec rec;
        memset(&rec, 0, sizeof rec);
        uint8_t rk = fuzz_u8(&in);
        rec.ev = rk % 3 == 0 ? TR_TX : rk % 3 == 1 ? TR_RX : TR_APP;
        rec.nonstandard = rk & 0x10;
        rec.u.tx.id = fuzz_u64(&in);
        rec.u.tx.fate = (enum seg_fate)(fuzz_u8(&in) % 5);
        if (rec.ev == TR_RX) {
            rec.u.rx.id = rec.u.tx.id;
            rec.u.rx.discarded = rk & 0x20;
        }
        size_t nl = fuzz_u8(&in) % (TRACE_NOTE_MAX + 1); /* TRACE_NOTE_MAX: no terminator */
        for (size_t i = 0; i < nl; i++)
            rec.note[i] = (char)(' ' + fuzz_u8(&in) % 95);
        bool ok = seg.len <= SEG_MAX_PAYLOAD && (seg.len == 0 || seg.data) && host >= 0 &&
                  host < SIM_HOSTS && t >= 0;
        contract_kept = contract_kept && ok;
        pcapng_tap(p, t, host, outbound, &seg, (rk & 0xc0) == 0xc0 ? NULL : &rec);
        if (ok) {
            struct expected *e = &exp[nexp++];
            e->host = host;
            e->t = t;
            e->outbound = outbound;
            e->src = seg.src_addr;
            e->dst = seg.dst_addr;
            e->wire_len = seg_wire_len(&seg);
            seg_to_wire(&seg, e->wire);
        }
    }
    bool finished = p && pcapng_finish(p);
    pcapng_destroy(p);
    fclose(f);
    if (p && exp && payload) {
        if (finished != contract_kept)
            fuzz_fail("pcapng_finish says %d, but the contract was %s", finished,
                      contract_kept ? "kept" : "broken");
        check_file((const uint8_t *)buf, len, exp, nexp);
    }
    free(exp);
    free(payload);
    free(buf);
    return 0;
}
