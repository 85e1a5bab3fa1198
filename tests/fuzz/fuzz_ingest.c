/*
 * fuzz_ingest.c — libFuzzer target for the ingest parsers: encoding
 * detection and conversion, HTML to text, the CSV record reader and the
 * page-dump extractor with the boilerplate matcher.  Invariants: converted
 * text is valid UTF-8 (except UTF-8 input, passed through); CSV never
 * consumes past the input; extracted articles tile the page exactly and
 * every borrowed field lies inside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(nd_str f, const char *s, size_t len)
{
    return !f.ptr || (f.ptr >= s && f.ptr + f.len <= s + len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    nd_buf dec = ND_BUF_INIT, text = ND_BUF_INIT, fixed = ND_BUF_INIT;
    nd_csv_record rec = ND_CSV_RECORD_INIT;
    nd_boilerplate *bp = NULL;
    nd_extractor *ex = NULL;
    const char *det = NULL;
    size_t bad, used = 0, n = 0, i, nrepl = 0, prev = 0;
    int rc;

    rc = nd_text_decode(&dec, s, size, NULL, &det);
    CHECK(rc == ND_OK && det);
    if (strcmp(det, "utf-8") != 0)
        CHECK(nd_utf8_check(dec.ptr, dec.len, &bad) == ND_OK);

    CHECK(nd_utf8_repair(&fixed, dec.ptr, dec.len, &nrepl) == ND_OK);
    CHECK(nd_html_to_text(&text, fixed.ptr, fixed.len) == ND_OK);
    CHECK(nd_utf8_check(text.ptr, text.len, &bad) == ND_OK);

    rc = nd_csv_parse(&rec, s, size, &used);
    CHECK(rc == ND_OK || rc == ND_ELIMIT || rc == ND_ESYNTAX);
    CHECK(used <= size);
    if (rc == ND_OK)
        CHECK(rec.n >= 1);

    CHECK(nd_boilerplate_new(&bp) == ND_OK);
    nd_boilerplate_add(bp, ND_BP_PREFIX, "Devamını oku", strlen("Devamını oku"), ND_BP_DROP);
    nd_boilerplate_add(bp, ND_BP_EXACT, "# views", 7, ND_BP_DROP);
    nd_boilerplate_add(bp, ND_BP_PREFIX, "By ", 3, ND_BP_AUTHOR);
    nd_boilerplate_add(bp, ND_BP_CONTAINS, "#:#", 3, ND_BP_DROP);
    nd_boilerplate_add(bp, ND_BP_EXACT, "AA", 2, ND_BP_AGENCY);
    nd_boilerplate_add(bp, ND_BP_EXACT, "APA", 3, ND_BP_AGENCY);
    nd_boilerplate_add(bp, ND_BP_PREFIX, "PLACE (AGENCY) -", 16, ND_BP_DATELINE);
    nd_boilerplate_add(bp, ND_BP_PREFIX, "PLACE, DATE (AGENCY) -", 22, ND_BP_DATELINE);
    nd_boilerplate_add(bp, ND_BP_SUFFIX, "(AGENCY, DATE)", 14, ND_BP_DATELINE);
    CHECK(nd_extractor_new(&ex, bp) == ND_OK);
    if (size & 1) {         /* half the inputs place year-less dates */
        nd_date ref;
        memset(&ref, 0, sizeof ref);
        ref.year = 2016;
        ref.month = 11;
        ref.day = 20;
        nd_extractor_set_ref(ex, &ref);
    }
    CHECK(nd_extract_page(ex, fixed.ptr, fixed.len, NULL, &n) == ND_OK);
    for (i = 0; i < n; i++) {
        const nd_extracted *e = nd_extract_get(ex, i);
        CHECK(e->raw_start == prev && e->raw_start <= e->raw_stop && e->raw_stop <= fixed.len);
        prev = e->raw_stop;
        CHECK(inside(e->title, fixed.ptr, fixed.len) && inside(e->source, fixed.ptr, fixed.len) &&
              inside(e->author, fixed.ptr, fixed.len) && inside(e->date_text, fixed.ptr, fixed.len) &&
              inside(e->url, fixed.ptr, fixed.len));
        CHECK(nd_utf8_check(e->body.ptr, e->body.len, &bad) == ND_OK);
    }
    CHECK(n == 0 || prev == fixed.len);
    /* the same text as the body of a story with a known title */
    CHECK(nd_extract_story(ex, fixed.ptr, fixed.len, NULL, "Ba\xc5\x9fl\xc4\xb1k", 7, &n) == ND_OK && n == 1);
    {
        const nd_extracted *e = nd_extract_get(ex, 0);
        CHECK(e->raw_start == 0 && e->raw_stop == fixed.len);
        CHECK(inside(e->source, fixed.ptr, fixed.len) && inside(e->author, fixed.ptr, fixed.len) &&
              inside(e->date_text, fixed.ptr, fixed.len) && inside(e->url, fixed.ptr, fixed.len));
        CHECK(nd_utf8_check(e->body.ptr, e->body.len, &bad) == ND_OK);
    }
    nd_extractor_free(ex);
    nd_boilerplate_free(bp);
    nd_csv_record_free(&rec);
    nd_buf_free(&dec);
    nd_buf_free(&text);
    nd_buf_free(&fixed);
    return 0;
}
