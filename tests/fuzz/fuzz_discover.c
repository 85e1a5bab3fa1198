/*
 * fuzz_discover.c — libFuzzer target for name discovery (nd_discover).  The
 * first byte picks the language flags (Turkish suffixes and apostrophes,
 * capitalised nouns, or none); the rest is the text.  A few cue words of
 * every kind are added so each code path runs.  Invariants:
 *  - every name lies inside the text, start <= suffix_start <= stop, in
 *    text order, no two overlapping;
 *  - type, id and why are non-empty strings; for valid UTF-8 text every
 *    offset falls on a character boundary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct { int cue; const char *type, *word; } cues[] = {
    { ND_CUE_STOP, NULL, "Bu" }, { ND_CUE_STOP, NULL, "Die" },
    { ND_CUE_TITLE, NULL, "Bakan\xC4\xB1" }, { ND_CUE_TITLE, NULL, "minister" },
    { ND_CUE_TITLE_MOD, NULL, "Genel" }, { ND_CUE_HEAD, "ORG", "Partisi" },
    { ND_CUE_HEAD, "ORG", "-spor" }, { ND_CUE_HEAD, "LOC", "\xD0\xBE\xD0\xB1\xD0\xBB\xD0\xB0\xD1\x81\xD1\x82\xD0\xB8" },
    { ND_CUE_CONNECT, NULL, "of" }, { ND_CUE_GIVEN, NULL, "Ay\xC5\x9F" "e" },
    { ND_CUE_KNOWN, "LOC", "Rusya" }, { ND_CUE_KNOWN, "LOC", "\xD0\xA0\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD1\x8F" },
    { ND_CUE_KNOWN, "ORG", "Kuzey Kore" }, { ND_CUE_DEMONYM, NULL, "Rus" }, { ND_CUE_DEMONYM, NULL, "russisch" },
    { ND_CUE_ENDING, NULL, "en" }, { ND_CUE_ENDING, NULL, "\xD0\xB0" }, { ND_CUE_ENDING, NULL, "\xD1\x8F" },
    { ND_CUE_DETERMINER, NULL, "der" }, { ND_CUE_NOUN_ENDING, NULL, "ung" }, { ND_CUE_PLACE_BEFORE, NULL, "in" },
    { ND_CUE_TITLE_AFTER, NULL, "Bey" }, { ND_CUE_LIST_AND, NULL, "ve" }, { ND_CUE_LIST_AND, NULL, "and" },
    { ND_CUE_DERIVED, NULL, "l\xC4\xB1" },
};

static int boundary(const char *s, size_t len, size_t i)
{
    return i == 0 || i >= len || ((unsigned char)s[i] & 0xC0) != 0x80;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned flags[] = { ND_DISCOVER_TR | ND_DISCOVER_APOS, ND_DISCOVER_NOUNS, 0 };
    nd_discover *d = NULL;
    const nd_found *f;
    size_t n = 0, i, len;
    const char *s;
    int valid;
    if (size < 1) return 0;
    s = (const char *)data + 1;
    len = size - 1;
    valid = nd_utf8_check(s, len, NULL) == ND_OK;
    CHECK(nd_discover_new(&d, flags[data[0] % 3]) == ND_OK);
    for (i = 0; i < sizeof cues / sizeof cues[0]; i++)
        CHECK(nd_discover_add(d, cues[i].cue, cues[i].type, cues[i].word, strlen(cues[i].word)) == ND_OK);
    CHECK(nd_discover_run(d, s, len, &f, &n) == ND_OK);
    for (i = 0; i < n; i++) {
        CHECK(f[i].start < f[i].stop && f[i].stop <= len);
        CHECK(f[i].start <= f[i].suffix_start && f[i].suffix_start <= f[i].stop);
        CHECK(f[i].type && *f[i].type && f[i].id && *f[i].id && f[i].why && *f[i].why);
        if (i > 0) CHECK(f[i - 1].stop <= f[i].start);
        if (valid) CHECK(boundary(s, len, f[i].start) && boundary(s, len, f[i].stop) &&
                         boundary(s, len, f[i].suffix_start));
    }
    nd_discover_free(d);
    return 0;
}
