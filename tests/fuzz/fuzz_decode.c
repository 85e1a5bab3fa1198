/*
 * fuzz_decode.c — libFuzzer target for the encoding converter.  The first
 * byte picks an encoding, the second a chunk size; the rest is the input.
 * Invariants:
 *  - feeding the input in chunks of any size gives exactly the output of
 *    one feed (sequences cut at a chunk boundary are carried over);
 *  - converted output of a non-UTF-8 encoding is valid UTF-8;
 *  - nd_text_decode with detection names an encoding and, for anything but
 *    UTF-8, produces valid UTF-8;
 *  - UTF-8 input passes through unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_internal.h"
#include "newsdesk.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode_chunks(nd_buf *out, const char *canon, const char *s, size_t len, size_t chunk)
{
    nd__decoder d;
    size_t pos = 0;
    out->len = 0;
    CHECK(nd__decoder_init(&d, canon) == ND_OK);
    do {
        size_t n = len - pos < chunk ? len - pos : chunk;
        CHECK(nd__decoder_feed(&d, out, s + pos, n, pos + n == len) == ND_OK);
        pos += n;
    } while (pos < len);
    nd__decoder_close(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "utf-8", "utf-16le", "utf-16be", "utf-16",
                                         "windows-1254", "iso-8859-9", "koi8-r", "shift_jis" };
    const char *s = (const char *)data + 2, *canon, *det = NULL;
    nd_buf whole = ND_BUF_INIT, parts = ND_BUF_INIT, auto_ = ND_BUF_INIT;
    size_t len, chunk, bad;

    if (size < 2)
        return 0;
    len = size - 2;
    canon = nd__encoding_canonical(names[data[0] % (sizeof names / sizeof *names)]);
    chunk = (size_t)(data[1] % 17) + 1;
    if (canon) {
        decode_chunks(&whole, canon, s, len, len ? len : 1);
        decode_chunks(&parts, canon, s, len, chunk);
        CHECK(whole.len == parts.len && (whole.len == 0 || memcmp(whole.ptr, parts.ptr, whole.len) == 0));
        if (strcmp(canon, "utf-8") != 0)
            CHECK(nd_utf8_check(whole.ptr ? whole.ptr : "", whole.len, &bad) == ND_OK);
        else
            CHECK(whole.len == len && (len == 0 || memcmp(whole.ptr, s, len) == 0));
    }
    CHECK(nd_text_decode(&auto_, s, len, NULL, &det) == ND_OK && det);
    if (strcmp(det, "utf-8") != 0)
        CHECK(nd_utf8_check(auto_.ptr ? auto_.ptr : "", auto_.len, &bad) == ND_OK);
    CHECK(auto_.len <= len * 3 + 3 || strcmp(det, "utf-8") != 0);
    nd_buf_free(&whole);
    nd_buf_free(&parts);
    nd_buf_free(&auto_);
    return 0;
}
