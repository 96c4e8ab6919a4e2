/* test_pcapng.c: the pcapng writer end to end: a hand-built session fed through pcapng_tap, read
 * back by a block walker here and by tshark. Run by meson (suite pcap) with TSHARK and PCAP_DIR. */
#include "pcapng.h"
#include "testlib.h"

#include <errno.h>
#include <stdlib.h>

#define ADDR_A 0x0a000001u
#define ADDR_B 0x0a000002u
#define PORT_A 40000
#define PORT_B 80
#define WND 64240

/* One observation of a segment: where it was seen and what the trace record said. */
struct obs {
    sim_time t;
    int host;            /* the interface it was seen on */
    bool outbound;
    uint8_t flags;
    uint32_t seq, ack;
    uint16_t mss;
    const char *payload; /* NULL: none */
    int32_t flipped_bit;
    bool no_rec;         /* tap called without a trace record */
    uint64_t id;
    enum seg_fate fate;  /* outbound copies */
    bool discarded;      /* inbound copies */
    bool nonstandard;
    const char *note;
    const char *comment; /* what the capture must carry */
};

#define TX(t_, h_, fl_, seq_, ack_, mss_, pl_, id_, fate_, note_, c_) \
    {t_, h_, true, fl_, seq_, ack_, mss_, pl_, -1, false, id_, fate_, false, false, note_, c_}
#define RX(t_, h_, fl_, seq_, ack_, mss_, pl_, flip_, id_, disc_, note_, c_) \
    {t_, h_, false, fl_, seq_, ack_, mss_, pl_, flip_, false, id_, FATE_DELIVERED, disc_, false, note_, c_}

/* Bit 3 of payload byte 2 of a segment without options: 'l' (0x6c) becomes '|' (0x7c). */
#define FLIP_PAYLOAD (8 * (20 + 2) + 3)

static const struct obs session[] = {
    TX(0, 0, SEG_SYN, 1000, 0, 1460, NULL, 1, FATE_DELIVERED, "", "A>B tx #1: delivered"),
    RX(10000000, 1, SEG_SYN, 1000, 0, 1460, NULL, -1, 1, false, "", "A>B rx #1 at B"),
    TX(10000000, 1, SEG_SYN | SEG_ACK, 5000, 1001, 1400, NULL, 2, FATE_DELIVERED, "",
       "B>A tx #2: delivered"),
    RX(20000000, 0, SEG_SYN | SEG_ACK, 5000, 1001, 1400, NULL, -1, 2, false, "", "B>A rx #2 at A"),
    TX(20000000, 0, SEG_ACK, 1001, 5001, 0, NULL, 3, FATE_DELIVERED, "", "A>B tx #3: delivered"),
    RX(30000000, 1, SEG_ACK, 1001, 5001, 0, NULL, -1, 3, false, "", "A>B rx #3 at B"),
    TX(30000000, 0, SEG_PSH | SEG_ACK, 1001, 5001, 0, "hello", 4, FATE_DROPPED,
       "loss: bernoulli 10%", "A>B tx #4: dropped (loss: bernoulli 10%)"),
    TX(1030000007, 0, SEG_PSH | SEG_ACK, 1001, 5001, 0, "hello", 5, FATE_CORRUPTED,
       "corrupt: bit 179", "A>B tx #5: corrupted (corrupt: bit 179)"),
    RX(1040000007, 1, SEG_PSH | SEG_ACK, 1001, 5001, 0, "hello", FLIP_PAYLOAD, 5, true,
       "bad checksum", "A>B rx #5 at B: discarded (bad checksum)"),
    TX(2030000007, 0, SEG_PSH | SEG_ACK, 1001, 5001, 0, "hello", 6, FATE_DUPLICATED,
       "dup: bernoulli 5%", "A>B tx #6: duplicated (dup: bernoulli 5%)"),
    RX(2040000007, 1, SEG_PSH | SEG_ACK, 1001, 5001, 0, "hello", -1, 6, false, "",
       "A>B rx #6 at B"),
    RX(2040000008, 1, SEG_PSH | SEG_ACK, 1001, 5001, 0, "hello", -1, 6, false, "",
       "A>B rx #6 at B"),
    TX(2040000008, 1, SEG_ACK, 5001, 1006, 0, NULL, 7, FATE_DELIVERED, "",
       "B>A tx #7: delivered"),
    RX(2050000008, 0, SEG_ACK, 5001, 1006, 0, NULL, -1, 7, false, "", "B>A rx #7 at A"),
    TX(3000000000, 0, SEG_FIN | SEG_ACK, 1006, 5001, 0, NULL, 8, FATE_REORDERED,
       "reorder: 20 ms", "A>B tx #8: reordered (reorder: 20 ms)"),
    RX(3030000000, 1, SEG_FIN | SEG_ACK, 1006, 5001, 0, NULL, -1, 8, false, "",
       "A>B rx #8 at B"),
    {3030000000, 1, true, SEG_RST, 5001, 0, 0, NULL, -1, false, 9, FATE_DELIVERED, false, true, "",
     "B>A tx #9: delivered [nonstandard]"},
    RX(3040000000, 0, SEG_RST, 5001, 0, 0, NULL, -1, 9, false, "", "B>A rx #9 at A"),
    {3050000000, 0, true, SEG_ACK, 1007, 5001, 0, NULL, -1, true, 0, FATE_DELIVERED, false, false,
     "", ""},
};
#define SESSION_LEN (sizeof session / sizeof session[0])

static const struct pcapng_host hosts[SIM_HOSTS] = {{'A', ADDR_A}, {'B', ADDR_B}};

static int sender_of(const struct obs *o)
{
    return o->outbound ? o->host : 1 - o->host;
}

/* The segment as it was observed; data points into payload_buf. */
static void build_seg(const struct obs *o, struct segment *s, uint8_t *payload_buf)
{
    bool from_a = sender_of(o) == 0;
    memset(s, 0, sizeof *s);
    s->src_addr = from_a ? ADDR_A : ADDR_B;
    s->dst_addr = from_a ? ADDR_B : ADDR_A;
    s->src_port = from_a ? PORT_A : PORT_B;
    s->dst_port = from_a ? PORT_B : PORT_A;
    s->seq = o->seq;
    s->ack = o->ack;
    s->flags = o->flags;
    s->wnd = WND;
    s->mss = o->mss;
    if (o->payload) {
        s->len = (uint16_t)strlen(o->payload);
        memcpy(payload_buf, o->payload, s->len);
        s->data = payload_buf;
    }
    s->flipped_bit = -1;
    seg_set_checksum(s);
    s->flipped_bit = o->flipped_bit;
}

static void build_rec(const struct obs *o, struct trace_rec *r)
{
    memset(r, 0, sizeof *r);
    r->t = o->t;
    r->host = hosts[o->host].name;
    r->sock = 0;
    r->nonstandard = o->nonstandard;
    snprintf(r->note, sizeof r->note, "%s", o->note);
    if (o->outbound) {
        r->ev = TR_TX;
        r->u.tx.id = o->id;
        r->u.tx.fate = o->fate;
        r->u.tx.to = hosts[1 - o->host].name;
    } else {
        r->ev = TR_RX;
        r->u.rx.id = o->id;
        r->u.rx.discarded = o->discarded;
    }
}

/* Feeds the whole session through the writer; returns pcapng_finish's verdict. */
static bool write_session(FILE *f)
{
    struct pcapng *p = pcapng_create(f, hosts);
    if (!p)
        return false;
    for (size_t i = 0; i < SESSION_LEN; i++) {
        const struct obs *o = &session[i];
        uint8_t payload[64];
        struct segment s;
        struct trace_rec r;
        build_seg(o, &s, payload);
        build_rec(o, &r);
        pcapng_tap(p, o->t, o->host, o->outbound, &s, o->no_rec ? NULL : &r);
    }
    bool ok = pcapng_finish(p);
    pcapng_destroy(p);
    return ok;
}

/* ---- reading the file back without tshark ---- */

struct buf {
    char *data;
    size_t len;
};

static bool session_bytes(struct buf *b)
{
    b->data = NULL;
    b->len = 0;
    FILE *f = open_memstream(&b->data, &b->len);
    if (!f)
        return false;
    bool ok = write_session(f);
    return fclose(f) == 0 && ok;
}

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
    return le16(p) | le16(p + 2) << 16;
}

static uint32_t get_be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

/* One option found in a block's option list. */
struct opt_view {
    uint16_t code, len;
    const uint8_t *val;
};

#define MAX_OPTS 8

/* Splits an option list that must end with opt_endofopt exactly at end; returns the number of
 * options before it, or -1 when the list is malformed. */
static int parse_opts(const uint8_t *p, const uint8_t *end, struct opt_view *out)
{
    int n = 0;
    for (int guard = 0; guard <= MAX_OPTS && end - p >= 4; guard++) {
        uint16_t code = (uint16_t)le16(p), len = (uint16_t)le16(p + 2);
        size_t padded = ((size_t)len + 3u) & ~(size_t)3u;
        if (code == 0)
            return len == 0 && p + 4 == end ? n : -1;
        if (n == MAX_OPTS || (size_t)(end - p) < 4 + padded)
            return -1;
        for (size_t i = len; i < padded; i++)
            if (p[4 + i] != 0)
                return -1; /* padding must be zero for the bytes to be deterministic */
        out[n++] = (struct opt_view){code, len, p + 4};
        p += 4 + padded;
    }
    return -1;
}

static const struct opt_view *find_opt(const struct opt_view *o, int n, uint16_t code)
{
    for (int i = 0; i < n; i++)
        if (o[i].code == code)
            return &o[i];
    return NULL;
}

static bool opt_is_str(const struct opt_view *o, const char *s)
{
    return o && o->len == strlen(s) && memcmp(o->val, s, o->len) == 0;
}

struct block_view {
    uint32_t type;
    const uint8_t *body; /* after type and length */
    size_t body_len;     /* up to the trailing length */
};

#define MAX_BLOCKS 64

/* Splits the file into blocks, checking both length fields; returns the count or -1. */
static int split_blocks(const struct buf *b, struct block_view *out)
{
    const uint8_t *p = (const uint8_t *)b->data, *end = p + b->len;
    int n = 0;
    while (p < end) {
        if (n == MAX_BLOCKS || end - p < 12)
            return -1;
        uint32_t total = le32(p + 4);
        if (total < 12 || total % 4 || total > (size_t)(end - p) || le32(p + total - 4) != total)
            return -1;
        out[n++] = (struct block_view){le32(p), p + 8, total - 12};
        p += total;
    }
    return n;
}

TEST(blocks_are_well_formed)
{
    struct buf b;
    struct block_view blk[MAX_BLOCKS];
    struct opt_view o[MAX_OPTS];
    CHECK(session_bytes(&b));
    int n = split_blocks(&b, blk);
    CHECK_EQ_INT(n, 3 + (int)SESSION_LEN);
    if (n == 3 + (int)SESSION_LEN) {
        /* Section Header Block, little-endian whatever the host. */
        static const uint8_t shb_start[] = {0x0A, 0x0D, 0x0D, 0x0A};
        static const uint8_t magic_le[] = {0x4D, 0x3C, 0x2B, 0x1A};
        CHECK(memcmp(b.data, shb_start, 4) == 0);
        CHECK(memcmp(blk[0].body, magic_le, 4) == 0);
        CHECK_EQ_INT(le16(blk[0].body + 4), 1);
        CHECK_EQ_INT(le16(blk[0].body + 6), 0);
        CHECK_EQ_U64(le32(blk[0].body + 8), 0xffffffffu);
        CHECK_EQ_U64(le32(blk[0].body + 12), 0xffffffffu);
        int no = parse_opts(blk[0].body + 16, blk[0].body + blk[0].body_len, o);
        CHECK_EQ_INT(no, 1);
        CHECK(opt_is_str(find_opt(o, no, 4), "tcpsim"));
        /* One Interface Description Block per host. */
        static const char *const desc[] = {"host A, IPv4 10.0.0.1", "host B, IPv4 10.0.0.2"};
        static const char *const name[] = {"A", "B"};
        for (int i = 0; i < 2; i++) {
            const struct block_view *idb = &blk[1 + i];
            CHECK_EQ_U64(idb->type, 1);
            CHECK_EQ_INT(le16(idb->body), 1); /* LINKTYPE_ETHERNET */
            CHECK_EQ_INT(le16(idb->body + 2), 0);
            no = parse_opts(idb->body + 8, idb->body + idb->body_len, o);
            CHECK_EQ_INT(no, 3);
            CHECK(opt_is_str(find_opt(o, no, 2), name[i]));
            CHECK(opt_is_str(find_opt(o, no, 3), desc[i]));
            const struct opt_view *res = find_opt(o, no, 9);
            CHECK(res && res->len == 1 && res->val[0] == 9);
        }
    }
    free(b.data);
}

/* Checks one Enhanced Packet Block against the observation it came from, byte by byte. */
static void check_epb(struct test_ctx *t, const struct block_view *blk, const struct obs *ob)
{
    struct opt_view o[MAX_OPTS];
    struct segment s;
    uint8_t payload[64], wire[128];
    build_seg(ob, &s, payload);
    seg_to_wire(&s, wire);
    size_t tcp_len = seg_wire_len(&s), frame_len = 14 + 20 + tcp_len;
    const uint8_t *b = blk->body;
    int sender = sender_of(ob);
    uint32_t src = sender == 0 ? ADDR_A : ADDR_B, dst = sender == 0 ? ADDR_B : ADDR_A;

    CHECK_EQ_U64(blk->type, 6);
    CHECK_EQ_U64(le32(b), (uint32_t)ob->host);
    CHECK_EQ_U64((uint64_t)le32(b + 4) << 32 | le32(b + 8), (uint64_t)ob->t);
    CHECK_EQ_U64(le32(b + 12), frame_len);
    CHECK_EQ_U64(le32(b + 16), frame_len);
    if (le32(b + 12) != frame_len || blk->body_len < 20 + ((frame_len + 3) & ~(size_t)3))
        return;
    const uint8_t *f = b + 20, *ip = f + 14;
    /* Ethernet II: receiver's MAC, sender's MAC (02:00 + IPv4 address), IPv4. */
    uint8_t mac_dst[6] = {2, 0, (uint8_t)(dst >> 24), (uint8_t)(dst >> 16), (uint8_t)(dst >> 8),
                          (uint8_t)dst};
    uint8_t mac_src[6] = {2, 0, (uint8_t)(src >> 24), (uint8_t)(src >> 16), (uint8_t)(src >> 8),
                          (uint8_t)src};
    CHECK(memcmp(f, mac_dst, 6) == 0);
    CHECK(memcmp(f + 6, mac_src, 6) == 0);
    CHECK_EQ_INT(get_be16(f + 12), 0x0800);
    /* IPv4 header. */
    CHECK_EQ_INT(ip[0], 0x45);
    CHECK_EQ_INT(get_be16(ip + 2), 20 + tcp_len);
    CHECK_EQ_INT(get_be16(ip + 4), ob->no_rec ? 0 : ob->id & 0xffffu);
    CHECK_EQ_INT(get_be16(ip + 6), 0x4000);
    CHECK_EQ_INT(ip[8], 64);
    CHECK_EQ_INT(ip[9], 6);
    CHECK_EQ_U64((uint64_t)get_be16(ip + 12) << 16 | get_be16(ip + 14), src);
    CHECK_EQ_U64((uint64_t)get_be16(ip + 16) << 16 | get_be16(ip + 18), dst);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += get_be16(ip + i);
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    CHECK_EQ_U64(sum, 0xffffu);
    /* TCP: exactly the wire image. */
    CHECK(memcmp(ip + 20, wire, tcp_len) == 0);
    for (size_t i = frame_len; i % 4; i++)
        CHECK_EQ_INT(f[i], 0);
    /* Options: direction flags, comment. */
    size_t opts_at = 20 + ((frame_len + 3) & ~(size_t)3);
    int no = parse_opts(b + opts_at, b + blk->body_len, o);
    CHECK(no >= 1);
    const struct opt_view *fl = find_opt(o, no, 2);
    CHECK(fl && fl->len == 4 && le32(fl->val) == (ob->outbound ? 2u : 1u));
    if (ob->comment[0])
        CHECK(opt_is_str(find_opt(o, no, 1), ob->comment));
    else
        CHECK(find_opt(o, no, 1) == NULL);
}

TEST(packets_match_session)
{
    struct buf b;
    struct block_view blk[MAX_BLOCKS];
    CHECK(session_bytes(&b));
    int n = split_blocks(&b, blk);
    CHECK_EQ_INT(n, 3 + (int)SESSION_LEN);
    for (int i = 0; n == 3 + (int)SESSION_LEN && i < (int)SESSION_LEN; i++)
        check_epb(t, &blk[3 + i], &session[i]);
    free(b.data);
}

TEST(same_input_same_bytes)
{
    struct buf a, b;
    CHECK(session_bytes(&a));
    CHECK(session_bytes(&b));
    CHECK(a.len > 0);
    CHECK_EQ_U64(a.len, b.len);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    free(a.data);
    free(b.data);
}

/* The largest segment and the longest note fit the writer's block buffer. */
TEST(largest_segment_fits)
{
    uint8_t payload[SEG_MAX_PAYLOAD];
    struct segment s = {.src_addr = ADDR_A, .dst_addr = ADDR_B, .src_port = PORT_A,
                        .dst_port = PORT_B, .seq = 7, .flags = SEG_SYN, .wnd = WND, .mss = 8960,
                        .len = SEG_MAX_PAYLOAD, .data = payload, .flipped_bit = -1};
    for (size_t i = 0; i < SEG_MAX_PAYLOAD; i++)
        payload[i] = (uint8_t)(i * 7u);
    seg_set_checksum(&s);
    struct trace_rec r;
    memset(&r, 0, sizeof r);
    r.ev = TR_TX;
    r.nonstandard = true;
    r.u.tx.id = UINT64_MAX;
    r.u.tx.fate = FATE_DUPLICATED;
    memset(r.note, 'x', sizeof r.note); /* not terminated: the writer must stop at the array's end */
    struct buf b = {NULL, 0};
    FILE *f = open_memstream(&b.data, &b.len);
    CHECK(f != NULL);
    if (!f)
        return;
    struct pcapng *p = pcapng_create(f, hosts);
    CHECK(p != NULL);
    pcapng_tap(p, sim_s(5), 0, true, &s, &r);
    CHECK(pcapng_finish(p));
    pcapng_destroy(p);
    CHECK(fclose(f) == 0);
    struct block_view blk[MAX_BLOCKS];
    struct opt_view o[MAX_OPTS];
    CHECK_EQ_INT(split_blocks(&b, blk), 4);
    size_t frame_len = 14 + 20 + 24 + SEG_MAX_PAYLOAD;
    CHECK_EQ_U64(le32(blk[3].body + 12), frame_len);
    int no = parse_opts(blk[3].body + 20 + ((frame_len + 3) & ~(size_t)3),
                        blk[3].body + blk[3].body_len, o);
    char want[256];
    snprintf(want, sizeof want, "A>B tx #%" PRIu64 ": duplicated (%.*s) [nonstandard]", UINT64_MAX,
             (int)TRACE_NOTE_MAX, r.note);
    CHECK(opt_is_str(find_opt(o, no, 1), want));
    free(b.data);
}

TEST(write_error_reported)
{
    FILE *f = fopen("/dev/full", "w");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(!write_session(f));
    fclose(f);
}

TEST(bad_arguments_refused)
{
    struct segment s;
    uint8_t payload[64];
    build_seg(&session[0], &s, payload);
    static const struct {
        sim_time t;
        int host;
    } bad[] = {{0, 2}, {0, -1}, {-1, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct buf b = {NULL, 0};
        FILE *f = open_memstream(&b.data, &b.len);
        CHECK(f != NULL);
        if (!f)
            return;
        struct pcapng *p = pcapng_create(f, hosts);
        CHECK(p != NULL);
        pcapng_tap(p, bad[i].t, bad[i].host, true, &s, NULL);
        CHECK(!pcapng_finish(p));
        pcapng_destroy(p);
        CHECK(fclose(f) == 0);
        struct block_view blk[MAX_BLOCKS];
        CHECK_EQ_INT(split_blocks(&b, blk), 3); /* headers only: nothing half-written */
        free(b.data);
    }
}

/* ---- reading the file back with tshark ---- */

#define OUT_MAX 65536

/* Wraps s in single quotes for the shell. */
static bool shell_quote(const char *s, char *dst, size_t cap)
{
    size_t n = 0;
    if (cap < 3)
        return false;
    dst[n++] = '\'';
    for (; *s; s++) {
        const char *piece = *s == '\'' ? "'\\''" : NULL;
        size_t plen = piece ? 4 : 1;
        if (n + plen + 2 > cap)
            return false;
        if (piece)
            memcpy(dst + n, piece, plen);
        else
            dst[n] = *s;
        n += plen;
    }
    dst[n++] = '\'';
    dst[n] = '\0';
    return true;
}

/* Writes the session to PCAP_DIR and returns the quoted tshark and file paths for a command. */
static bool prepare(struct test_ctx *t, char *tshark_q, char *file_q, size_t cap)
{
    const char *tshark = getenv("TSHARK");
    const char *dir = getenv("PCAP_DIR");
    if (!tshark || !tshark[0]) {
        fprintf(stderr, "tshark not found (TSHARK unset or empty): the project requires it\n");
        CHECK(tshark && tshark[0]);
        return false;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/test_pcapng.pcapng", dir && dir[0] ? dir : ".");
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = write_session(f);
    CHECK(fclose(f) == 0);
    CHECK(ok);
    CHECK(shell_quote(tshark, tshark_q, cap));
    CHECK(shell_quote(path, file_q, cap));
    return ok;
}

/* Runs cmd, collects its standard output; returns true when it exited with status 0. */
static bool run(const char *cmd, char *out, size_t cap)
{
    FILE *p = popen(cmd, "r");
    size_t n = 0;
    if (!p)
        return false;
    while (n + 1 < cap) {
        size_t got = fread(out + n, 1, cap - 1 - n, p);
        if (got == 0)
            break;
        n += got;
    }
    out[n] = '\0';
    return pclose(p) == 0;
}

/* Splits text at sep into at most max pieces (in place); returns the count. */
static int split(char *text, char sep, char **pieces, int max)
{
    int n = 0;
    char *p = text;
    while (n < max) {
        pieces[n++] = p;
        char *e = strchr(p, sep);
        if (!e)
            break;
        *e = '\0';
        p = e + 1;
    }
    return n;
}

static bool is_num(const char *s, uint64_t want)
{
    char *end;
    if (!s[0])
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    return errno == 0 && *end == '\0' && v == want;
}

static bool checksum_status(const char *s, bool good)
{
    return good ? (strcmp(s, "1") == 0 || strcmp(s, "Good") == 0)
                : (strcmp(s, "0") == 0 || strcmp(s, "Bad") == 0);
}

#define TSHARK_OPTS                                                                         \
    "-n -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE "                              \
    "-o tcp.relative_sequence_numbers:FALSE"

enum {
    F_IFNAME, F_IFDESC, F_TIME, F_COMMENT, F_DIR, F_ETH_SRC, F_ETH_DST, F_IP_SRC, F_IP_DST,
    F_IP_ID, F_TTL, F_DF, F_IP_CSUM, F_SPORT, F_DPORT, F_FLAGS, F_SEQ, F_ACK, F_LEN, F_WND,
    F_MSS, F_TCP_CSUM_STATUS, F_TCP_CSUM, F_PAYLOAD, F_COUNT
};

static const char *const fields =
    "-e frame.interface_name -e frame.interface_description -e frame.time_epoch "
    "-e frame.comment -e frame.packet_flags_direction -e eth.src -e eth.dst -e ip.src -e ip.dst "
    "-e ip.id -e ip.ttl -e ip.flags.df -e ip.checksum.status -e tcp.srcport -e tcp.dstport "
    "-e tcp.flags -e tcp.seq -e tcp.ack -e tcp.len -e tcp.window_size_value "
    "-e tcp.options.mss_val -e tcp.checksum.status -e tcp.checksum -e tcp.payload";

static void check_row(struct test_ctx *t, char **f, const struct obs *o)
{
    struct segment s;
    uint8_t payload[64], wire[128];
    char want[128];
    build_seg(o, &s, payload);
    seg_to_wire(&s, wire);
    bool from_a = sender_of(o) == 0;

    CHECK_STR(f[F_IFNAME], o->host == 0 ? "A" : "B");
    CHECK_STR(f[F_IFDESC], o->host == 0 ? "host A, IPv4 10.0.0.1" : "host B, IPv4 10.0.0.2");
    snprintf(want, sizeof want, "%" PRId64 ".%09" PRId64, o->t / 1000000000, o->t % 1000000000);
    CHECK_STR(f[F_TIME], want);
    CHECK_STR(f[F_COMMENT], o->comment);
    CHECK(is_num(f[F_DIR], o->outbound ? 2 : 1));
    CHECK_STR(f[F_ETH_SRC], from_a ? "02:00:0a:00:00:01" : "02:00:0a:00:00:02");
    CHECK_STR(f[F_ETH_DST], from_a ? "02:00:0a:00:00:02" : "02:00:0a:00:00:01");
    CHECK_STR(f[F_IP_SRC], from_a ? "10.0.0.1" : "10.0.0.2");
    CHECK_STR(f[F_IP_DST], from_a ? "10.0.0.2" : "10.0.0.1");
    CHECK(is_num(f[F_IP_ID], o->no_rec ? 0 : o->id));
    CHECK(is_num(f[F_TTL], 64));
    CHECK(is_num(f[F_DF], 1));
    CHECK(checksum_status(f[F_IP_CSUM], true));
    CHECK(is_num(f[F_SPORT], from_a ? PORT_A : PORT_B));
    CHECK(is_num(f[F_DPORT], from_a ? PORT_B : PORT_A));
    CHECK(is_num(f[F_FLAGS], o->flags));
    CHECK(is_num(f[F_SEQ], o->seq));
    CHECK(is_num(f[F_ACK], o->ack));
    CHECK(is_num(f[F_LEN], s.len));
    CHECK(is_num(f[F_WND], WND));
    if (o->mss)
        CHECK(is_num(f[F_MSS], o->mss));
    else
        CHECK_STR(f[F_MSS], "");
    CHECK(checksum_status(f[F_TCP_CSUM_STATUS], o->flipped_bit < 0));
    CHECK(is_num(f[F_TCP_CSUM], s.checksum));
    /* Payload as hex, as it crossed the wire (flipped bit included); some versions add colons. */
    char hex[2 * 64 + 1] = "", got[3 * 64 + 1];
    size_t hl = seg_wire_len(&s) - s.len, g = 0;
    for (size_t i = 0; i < s.len; i++)
        snprintf(hex + 2 * i, 3, "%02x", wire[hl + i]);
    for (const char *p = f[F_PAYLOAD]; *p && g + 1 < sizeof got; p++)
        if (*p != ':')
            got[g++] = *p;
    got[g] = '\0';
    CHECK_STR(got, hex);
}

TEST(tshark_reads_what_was_written)
{
    char tq[1100], fq[1100], cmd[4096];
    char out[OUT_MAX];
    if (!prepare(t, tq, fq, sizeof tq))
        return;
    snprintf(cmd, sizeof cmd, "%s -r %s " TSHARK_OPTS " -T fields -E separator=/t -E occurrence=f %s",
             tq, fq, fields);
    CHECK(run(cmd, out, sizeof out));
    char *lines[SESSION_LEN + 2];
    int n = split(out, '\n', lines, (int)SESSION_LEN + 2);
    /* n lines and an empty remainder after the last newline */
    CHECK_EQ_INT(n, (int)SESSION_LEN + 1);
    for (int i = 0; i < n && i < (int)SESSION_LEN; i++) {
        char *f[F_COUNT + 1];
        int nf = split(lines[i], '\t', f, F_COUNT + 1);
        CHECK_EQ_INT(nf, F_COUNT);
        if (nf != F_COUNT) {
            fprintf(stderr, "frame %d: %d fields\n", i + 1, nf);
            continue;
        }
        int before = t->failures;
        check_row(t, f, &session[i]);
        if (t->failures != before)
            fprintf(stderr, "  (in frame %d)\n", i + 1);
    }
}

TEST(tshark_finds_nothing_malformed)
{
    char tq[1100], fq[1100], cmd[4096];
    char out[OUT_MAX];
    if (!prepare(t, tq, fq, sizeof tq))
        return;
    snprintf(cmd, sizeof cmd, "%s -r %s " TSHARK_OPTS " -Y _ws.malformed", tq, fq);
    CHECK(run(cmd, out, sizeof out));
    CHECK_STR(out, "");
    /* and the same reading without the filter shows every packet */
    snprintf(cmd, sizeof cmd, "%s -r %s " TSHARK_OPTS " -T fields -e frame.number", tq, fq);
    CHECK(run(cmd, out, sizeof out));
    char want[256] = "";
    for (size_t i = 1, n = 0; i <= SESSION_LEN; i++)
        n += (size_t)snprintf(want + n, sizeof want - n, "%zu\n", i);
    CHECK_STR(out, want);
}

TEST(tshark_errors_only_where_corrupted)
{
    char tq[1100], fq[1100], cmd[4096];
    char out[OUT_MAX];
    if (!prepare(t, tq, fq, sizeof tq))
        return;
    snprintf(cmd, sizeof cmd,
             "%s -r %s " TSHARK_OPTS " -Y '_ws.expert.severity >= error' -T fields -e frame.number",
             tq, fq);
    CHECK(run(cmd, out, sizeof out));
    char want[256] = "";
    for (size_t i = 0, n = 0; i < SESSION_LEN; i++)
        if (session[i].flipped_bit >= 0)
            n += (size_t)snprintf(want + n, sizeof want - n, "%zu\n", i + 1);
    CHECK(want[0] != '\0');
    CHECK_STR(out, want);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, blocks_are_well_formed);
    RUN_TEST(&ctx, packets_match_session);
    RUN_TEST(&ctx, same_input_same_bytes);
    RUN_TEST(&ctx, largest_segment_fits);
    RUN_TEST(&ctx, write_error_reported);
    RUN_TEST(&ctx, bad_arguments_refused);
    RUN_TEST(&ctx, tshark_reads_what_was_written);
    RUN_TEST(&ctx, tshark_finds_nothing_malformed);
    RUN_TEST(&ctx, tshark_errors_only_where_corrupted);
    return test_finish(&ctx);
}
