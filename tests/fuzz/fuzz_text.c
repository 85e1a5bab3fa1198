/*
 * fuzz_text.c — libFuzzer target for the text layer.  Checks invariants, not
 * only the absence of crashes:
 *  - nd_utf8_check agrees with repair (repairing valid text changes nothing;
 *    repaired text is valid and counts one U+FFFD per reported repair);
 *  - every normalization form and every fold produces valid UTF-8;
 *  - NFC equals utf8proc's composition of the repaired input;
 *  - fold is idempotent, with and without flags;
 *  - every offset-map range lies inside the original, in order;
 *  - tokens lie inside the text, in order, without overlap, with their stem,
 *    suffix and parts inside the token;
 *  - len, width and grapheme boundaries stay within the text.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "newsdesk.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_valid(const nd_buf *b)
{
    size_t bad;
    CHECK(nd_utf8_check(b->ptr ? b->ptr : "", b->len, &bad) == ND_OK);
}

static void check_fold(const char *s, size_t len, unsigned flags, nd_offmap *map)
{
    nd_buf a = ND_BUF_INIT, b = ND_BUF_INIT;
    size_t i, oi, oj, prev = 0;
    CHECK(nd_text_fold(&a, s, len, flags, map) == ND_OK);
    check_valid(&a);
    CHECK(nd_text_fold(&b, a.ptr ? a.ptr : "", a.len, flags, NULL) == ND_OK);
    CHECK(a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0));
    if (map) {
        for (i = 0; i <= a.len; i++) {
            CHECK(nd_offmap_original(map, i, i, &oi, &oj) == ND_OK);
            CHECK(oi <= oj && oj <= len);
            CHECK(oi >= prev);
            prev = oi;
            if (i < a.len) {
                CHECK(nd_offmap_original(map, i, i + 1, &oi, &oj) == ND_OK);
                CHECK(oi <= oj && oj <= len);
            }
        }
        CHECK(nd_offmap_original(map, 0, a.len, &oi, &oj) == ND_OK);
        CHECK(oi <= oj && oj <= len);
        CHECK(nd_offmap_original(map, 0, a.len + 1, &oi, &oj) == ND_EINVAL);
    }
    nd_buf_free(&a);
    nd_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    nd_buf r = ND_BUF_INIT, n = ND_BUF_INIT;
    nd_offmap *map = nd_offmap_new();
    size_t bad, nrepl = 0, pos, prev_stop = 0;
    int form, valid;
    nd_tokenizer tz;
    nd_token tok;

    valid = nd_utf8_check(s, size, &bad) == ND_OK;
    if (!valid)
        CHECK(bad < size);
    CHECK(nd_utf8_repair(&r, s, size, &nrepl) == ND_OK);
    check_valid(&r);
    CHECK(valid == (nrepl == 0));
    if (valid)
        CHECK(r.len == size && memcmp(r.ptr, s, size) == 0);

    for (form = ND_NFC; form <= ND_NFKD; form++) {
        CHECK(nd_text_normalize(&n, s, size, form) == ND_OK);
        check_valid(&n);
        if (form == ND_NFC) {
            utf8proc_uint8_t *ref = NULL;
            utf8proc_ssize_t rl = utf8proc_map((const utf8proc_uint8_t *)(r.ptr ? r.ptr : ""),
                                               (utf8proc_ssize_t)r.len, &ref,
                                               UTF8PROC_STABLE | UTF8PROC_COMPOSE);
            if (rl >= 0)
                CHECK((size_t)rl == n.len && memcmp(ref, n.ptr, n.len) == 0);
            free(ref);
            if (nd_text_is_normalized(s, size, ND_NFC))
                CHECK(n.len == size && memcmp(n.ptr, s, size) == 0);
        }
    }
    CHECK(nd_text_lower(&n, s, size, "tr") == ND_OK);
    check_valid(&n);
    CHECK(nd_text_upper(&n, s, size, NULL) == ND_OK);
    check_valid(&n);

    check_fold(s, size, 0, map);
    check_fold(s, size, ND_FOLD_MARKS, NULL);
    check_fold(s, size, ND_FOLD_TURKISH, map);

    nd_tokenizer_init(&tz, s, size);
    while (nd_tokenizer_next(&tz, &tok)) {
        unsigned k;
        CHECK(tok.start >= prev_stop && tok.start < tok.stop && tok.stop <= size);
        CHECK(tok.stem_stop > tok.start && tok.stem_stop <= tok.stop);
        CHECK(tok.suffix_start >= tok.stem_stop && tok.suffix_start <= tok.stop);
        CHECK(tok.nparts >= 1);
        for (k = 0; k < tok.nparts; k++) {
            size_t ps, pe;
            CHECK(nd_token_part(s, &tok, k, &ps, &pe) == ND_OK);
            CHECK(ps >= tok.start && ps < pe && pe <= tok.stem_stop);
        }
        prev_stop = tok.stop;
    }

    CHECK(nd_text_len(s, size) <= size);
    CHECK(nd_text_width(s, size) <= 2 * size);
    for (pos = 0; pos < size;) {
        size_t next = nd_grapheme_next(s, size, pos);
        CHECK(next > pos && next <= size);
        pos = next;
    }

    nd_offmap_free(map);
    nd_buf_free(&r);
    nd_buf_free(&n);
    return 0;
}
