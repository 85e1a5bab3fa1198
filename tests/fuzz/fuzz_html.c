/*
 * fuzz_html.c — libFuzzer target for HTML to text.  Invariants:
 *  - valid UTF-8 in gives valid UTF-8 out (tags, entities and all);
 *  - output lines are trimmed and hold no runs of ASCII spaces made from
 *    source white space, and there are never more than two line breaks
 *    in a row;
 *  - text inside <script> and <style> never reaches the output: the input
 *    is placed after a closed element holding a marker that the input
 *    cannot spell;
 *  - entity decoding of valid UTF-8 is valid UTF-8, and text without '&'
 *    is returned unchanged;
 *  - nd_html_has_tags is 0 for text without '<'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char MARK[] = "QQSCRIPTMARKQQ";

static int has_qq(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i + 1 < n; i++)
        if (s[i] == 'Q' && s[i + 1] == 'Q')
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    nd_buf out = ND_BUF_INIT, in = ND_BUF_INIT, ent = ND_BUF_INIT;
    size_t bad, i;
    int valid = nd_utf8_check(s, size, &bad) == ND_OK;

    CHECK(nd_html_to_text(&out, s, size) == ND_OK);
    if (valid)
        CHECK(nd_utf8_check(out.ptr ? out.ptr : "", out.len, &bad) == ND_OK);
    for (i = 0; i < out.len; i++) {
        char c = out.ptr[i];
        if (c == '\n')
            CHECK((i == 0 || out.ptr[i - 1] != ' ') && (i + 1 == out.len || out.ptr[i + 1] != ' '));
        if (i + 2 < out.len)
            CHECK(!(c == '\n' && out.ptr[i + 1] == '\n' && out.ptr[i + 2] == '\n'));
        if (c == '\t' || c == '\r')
            CHECK(0 && "raw tab or CR in output");
    }
    if (out.len)
        CHECK(out.ptr[0] != ' ' && out.ptr[out.len - 1] != ' ');

    if (!has_qq(s, size) && !memchr(s, '&', size)) {
        static const char *const pre[] = { "<script>var x='", "<style>p{content:'", "<!-- " };
        static const char *const post[] = { "'</script>", "'}</style>", " -->" };
        unsigned k;
        for (k = 0; k < 3; k++) {
            in.len = 0;
            CHECK(nd_buf_append(&in, pre[k], strlen(pre[k])) == ND_OK);
            CHECK(nd_buf_append(&in, MARK, sizeof MARK - 1) == ND_OK);
            CHECK(nd_buf_append(&in, post[k], strlen(post[k])) == ND_OK);
            CHECK(nd_buf_append(&in, s, size) == ND_OK);
            CHECK(nd_html_to_text(&out, in.ptr, in.len) == ND_OK);
            CHECK(!out.ptr || !strstr(out.ptr, MARK));
        }
    }

    CHECK(nd_html_decode_entities(&ent, s, size) == ND_OK);
    if (valid)
        CHECK(nd_utf8_check(ent.ptr ? ent.ptr : "", ent.len, &bad) == ND_OK);
    if (!memchr(s, '&', size))
        CHECK(ent.len == size && (size == 0 || memcmp(ent.ptr, s, size) == 0));
    if (!memchr(s, '<', size))
        CHECK(nd_html_has_tags(s, size) == 0);
    nd_buf_free(&out);
    nd_buf_free(&in);
    nd_buf_free(&ent);
    return 0;
}
