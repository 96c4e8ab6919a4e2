/* scn_fmt.c: writes times, flags and segments in the scenario file's own syntax, so that a
 * failure shows the expected and the actual segment alike. Used by the checker, the parser's
 * messages and the CLI. */
#include "scn.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

size_t scn_format_time(char *buf, size_t size, sim_time t)
{
    static const struct {
        const char *name;
        int64_t ns;
    } units[] = {{"s", 1000000000}, {"ms", 1000000}, {"us", 1000}, {"ns", 1}};
    if (size == 0)
        return 0;
    uint64_t v = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    size_t u = 0;
    while (u < 3 && v < (uint64_t)units[u].ns)
        u++;
    uint64_t unit = (uint64_t)units[u].ns, whole = v / unit, frac = v % unit;
    char fb[16] = "";
    if (frac) {
        int digits = 0;
        for (uint64_t k = unit; k > 1; k /= 10)
            digits++;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        snprintf(fb, sizeof fb, ".%0*" PRIu64, digits, frac);
    }
    int n = snprintf(buf, size, "%s%" PRIu64 "%s%s", t < 0 ? "-" : "", whole, fb, units[u].name);
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

size_t scn_format_flags(char *buf, size_t size, uint8_t flags)
{
    /* tcpdump's order: FIN SYN RST PSH ACK URG ECE CWR */
    static const char letters[] = "FSRP.UEW";
    char tmp[9];
    size_t n = 0;
    for (int bit = 0; bit < 8; bit++)
        if (flags & (1u << bit))
            tmp[n++] = letters[bit];
    tmp[n] = '\0';
    int w = snprintf(buf, size, "%s", n ? tmp : "none");
    return w < 0 || size == 0 ? 0 : (size_t)w < size ? (size_t)w : size - 1;
}

size_t scn_format_segline(char *buf, size_t size, const struct scn_segline *seg,
                          const struct scn_segline *shape)
{
    char fl[16];
    if (size == 0)
        return 0;
    scn_format_flags(fl, sizeof fl, seg->flags);
    bool show_seq = shape ? shape->has_seq : seg->has_seq;
    bool show_ack = shape ? shape->has_ack : (seg->flags & SEG_ACK) != 0;
    bool show_win = shape ? shape->has_win : false;
    bool show_fate = shape ? shape->has_fate : false;
    size_t n = 0;
    int w = snprintf(buf, size, "%s %s", seg->dir == 0 ? "A>B" : "B>A", fl);
    n = w < 0 ? 0 : (size_t)w;
    if (show_seq && n < size) {
        w = snprintf(buf + n, size - n, " %" PRIu32 ":%" PRIu32 "(%u)", seg->seq,
                     (uint32_t)(seg->seq + seg->len), (unsigned)seg->len);
        n += w < 0 ? 0 : (size_t)w;
    }
    if (show_ack && n < size) {
        w = snprintf(buf + n, size - n, " ack %" PRIu32, seg->ack);
        n += w < 0 ? 0 : (size_t)w;
    }
    if (show_win && n < size) {
        w = snprintf(buf + n, size - n, " win %u", (unsigned)seg->win);
        n += w < 0 ? 0 : (size_t)w;
    }
    if (show_fate && n < size) {
        w = snprintf(buf + n, size - n, " %s", trace_fate_name(seg->fate));
        n += w < 0 ? 0 : (size_t)w;
    }
    return n < size ? n : size - 1;
}
