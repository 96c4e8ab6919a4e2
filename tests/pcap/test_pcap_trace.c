/* test_pcap_trace.c: every scenario's pcapng read back by tshark agrees with its JSONL trace,
 * packet for packet (issue "pcapng", must-show). Run by meson with the tcpsim and tshark paths,
 * a work folder and the scenario files; ends with "N passed, N failed". */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

/* One segment observation, as either side describes it. */
struct obs {
    char iface;        /* the host whose interface saw it */
    int outbound;      /* 1 on the sender's interface, 0 on the receiver's */
    unsigned flags;
    uint64_t seq, ack, len;
    int bad_checksum;  /* tshark: checksum status not good; trace: an rx record marked discarded */
};

#define MAX_OBS 20000

static const char *tcpsim_path, *tshark_path, *work_dir;

static unsigned flag_bit(const char *name)
{
    static const char *const names[8] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
    for (unsigned i = 0; i < 8; i++)
        if (strcmp(name, names[i]) == 0)
            return 1u << i;
    return 0x100; /* never a real flag: makes the comparison fail */
}

static const char *field(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    return p ? p + strlen(key) : NULL;
}

static uint64_t num(const char *line, const char *key)
{
    const char *p = field(line, key);
    return p ? strtoull(p, NULL, 10) : UINT64_MAX;
}

/* Reads the tx and rx records of a JSONL trace. */
static size_t read_trace(const char *path, struct obs *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096];
    size_t n = 0;
    while (n < MAX_OBS && fgets(line, sizeof line, f)) {
        int tx = strstr(line, "\"ev\":\"tx\"") != NULL, rx = strstr(line, "\"ev\":\"rx\"") != NULL;
        if (!tx && !rx)
            continue;
        struct obs *o = &out[n++];
        memset(o, 0, sizeof *o);
        o->outbound = tx;
        const char *h = field(line, tx ? "\"from\":\"" : "\"host\":\"");
        o->iface = h ? *h : '?';
        const char *fl = field(line, "\"flags\":[");
        while (fl && *fl == '"') {
            char name[8] = "";
            size_t k = 0;
            for (fl++; *fl && *fl != '"' && k + 1 < sizeof name; fl++)
                name[k++] = *fl;
            name[k] = '\0';
            o->flags |= flag_bit(name);
            fl = strchr(fl, '"');
            fl = fl ? fl + 1 : NULL;
            if (fl && *fl == ',')
                fl++;
        }
        o->seq = num(line, "\"seq\":");
        o->ack = num(line, "\"ack\":");
        o->len = num(line, "\"len\":");
        o->bad_checksum = rx && strstr(line, "\"discarded\":true") != NULL;
    }
    fclose(f);
    return n;
}

/* Reads what tshark decodes of the capture; counts malformed packets separately. */
static size_t read_capture(const char *path, struct obs *out, int *malformed)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "'%s' -n -r '%s' -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE "
             "-o tcp.relative_sequence_numbers:FALSE -T fields -E separator=/t "
             "-e frame.interface_name -e frame.packet_flags_direction -e tcp.flags -e tcp.seq "
             "-e tcp.ack -e tcp.len -e tcp.checksum.status -e ip.checksum.status -e _ws.malformed 2>/dev/null",
             tshark_path, path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return 0;
    char line[1024];
    size_t n = 0;
    *malformed = 0;
    while (n < MAX_OBS && fgets(line, sizeof line, p)) {
        char *col[9] = { 0 };
        char *s = line;
        for (int i = 0; i < 9; i++) {
            col[i] = s;
            s = strchr(s, '\t');
            if (!s)
                break;
            *s++ = '\0';
        }
        struct obs *o = &out[n++];
        memset(o, 0, sizeof *o);
        o->iface = col[0][0];
        o->outbound = col[1] && strtoul(col[1], NULL, 0) == 2; /* 1 inbound, 2 outbound */
        o->flags = col[2] ? (unsigned)strtoul(col[2], NULL, 0) : 0x200;
        o->seq = col[3] ? strtoull(col[3], NULL, 10) : UINT64_MAX;
        o->ack = col[4] ? strtoull(col[4], NULL, 10) : UINT64_MAX;
        o->len = col[5] ? strtoull(col[5], NULL, 10) : UINT64_MAX;
        /* Not good: bad, or not checkable at all (a flipped bit in the header length field). */
        o->bad_checksum = !(col[6] && (strncmp(col[6], "1", 1) == 0 || strncmp(col[6], "Good", 4) == 0));
        if ((col[7] && strncmp(col[7], "0", 1) == 0) || (col[8] && col[8][0] && col[8][0] != '\n'))
            (*malformed)++;
    }
    pclose(p);
    return n;
}

static void describe(const struct obs *o, char *buf, size_t size)
{
    snprintf(buf, size, "%c %s flags=0x%02x seq=%" PRIu64 " ack=%" PRIu64 " len=%" PRIu64 "%s", o->iface,
             o->outbound ? "out" : "in ", o->flags, o->seq, o->ack, o->len, o->bad_checksum ? " bad-checksum" : "");
}

static struct obs trace_obs[MAX_OBS], cap_obs[MAX_OBS];

/* Runs one scenario and compares; returns the number of mismatches (0 = agree). */
static int compare_scenario(struct test_ctx *t, const char *scn, int index)
{
    char jsonl[1024], pcap[1024], cmd[4096];
    snprintf(jsonl, sizeof jsonl, "%s/s%d.jsonl", work_dir, index);
    snprintf(pcap, sizeof pcap, "%s/s%d.pcapng", work_dir, index);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --format jsonl --pcap '%s' > '%s'", tcpsim_path, scn, pcap, jsonl);
    if (system(cmd) != 0) {
        fprintf(stderr, "%s: tcpsim run failed\n", scn);
        return 1;
    }
    size_t nt = read_trace(jsonl, trace_obs);
    int malformed = 0;
    size_t nc = read_capture(pcap, cap_obs, &malformed);
    int bad = 0;
    if (nt == 0 || nt != nc) {
        fprintf(stderr, "%s: %zu tx/rx records in the trace, %zu packets in the capture\n", scn, nt, nc);
        bad++;
    }
    if (malformed) {
        fprintf(stderr, "%s: tshark reports %d malformed packets or bad IPv4 checksums\n", scn, malformed);
        bad++;
    }
    size_t n = nt < nc ? nt : nc;
    for (size_t i = 0; i < n && bad < 5; i++) {
        const struct obs *a = &trace_obs[i], *b = &cap_obs[i];
        /* A corrupted copy carries its flipped bit, which may sit in any header field, so only
         * where it was seen and that its checksum is bad are compared. */
        bool fields = !a->bad_checksum;
        if (a->iface != b->iface || a->outbound != b->outbound || a->bad_checksum != b->bad_checksum ||
            (fields && (a->flags != b->flags || a->seq != b->seq || a->len != b->len ||
                        ((a->flags & 0x10) && a->ack != b->ack)))) {
            char x[160], y[160];
            describe(a, x, sizeof x);
            describe(b, y, sizeof y);
            fprintf(stderr, "%s: packet %zu differs\n  trace:   %s\n  capture: %s\n", scn, i + 1, x, y);
            bad++;
        }
    }
    (void)t;
    return bad;
}

int main(int argc, char **argv)
{
    struct test_ctx ctx = { 0 };
    if (argc < 5) {
        fprintf(stderr, "usage: test_pcap_trace TCPSIM TSHARK WORKDIR SCENARIO...\n");
        return 2;
    }
    tcpsim_path = argv[1];
    tshark_path = argv[2];
    work_dir = argv[3];
    if (!*tshark_path) {
        fprintf(stderr, "tshark not found: the project's setup (.ci/setup) installs it\n");
        ctx.failed++;
        return test_finish(&ctx);
    }
    char mk[1200];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", work_dir);
    if (system(mk) != 0)
        return 2;
    for (int i = 4; i < argc; i++) {
        ctx.name = argv[i];
        if (compare_scenario(&ctx, argv[i], i) == 0)
            ctx.passed++;
        else {
            ctx.failed++;
            fprintf(stderr, "FAIL %s\n", argv[i]);
        }
    }
    return test_finish(&ctx);
}
