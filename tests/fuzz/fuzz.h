/* fuzz.h: what the fuzz targets share: the libFuzzer entry point each one defines, a reader that
 * turns the input into numbers, and fuzz_fail, which reports a broken invariant and aborts (both
 * libFuzzer and the corpus replay of fuzz_replay.c see the crash). Used by tests/fuzz/ only. */
#ifndef TCPSIM_FUZZ_H
#define TCPSIM_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The unread rest of an input. Reading past its end gives zeros. */
struct fuzz_in {
    const uint8_t *p;
    size_t n;
};

bool fuzz_more(const struct fuzz_in *in);
uint8_t fuzz_u8(struct fuzz_in *in);
uint16_t fuzz_u16(struct fuzz_in *in);
uint32_t fuzz_u32(struct fuzz_in *in);
uint64_t fuzz_u64(struct fuzz_in *in);

#if defined(__GNUC__) || defined(__clang__)
#define FUZZ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FUZZ_PRINTF(a, b)
#endif

/* Prints "fuzz invariant: ..." and aborts. */
_Noreturn FUZZ_PRINTF(1, 2) void fuzz_fail(const char *fmt, ...);

#endif
