/*
 * fuzz_dates.c — libFuzzer target for the date parser and language
 * detector.  A found date lies inside the input, names a real calendar day
 * with a real time of day, and formats as ISO 8601 that parses back to the
 * same date; language detection always answers one of its codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int days_in(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *langs[] = { NULL, "tr", "en", "de", "ru" };
    const char *s = (const char *)data;
    const char *code;
    size_t i;
    for (i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        nd_date_opts o = { langs[i], -1, NULL };
        nd_date d, back;
        nd_buf iso = ND_BUF_INIT;
        int rc = nd_date_parse(s, size, &o, &d);
        CHECK(rc == ND_OK || rc == ND_ENOTFOUND || rc == ND_ERANGE);
        if (rc != ND_OK)
            continue;
        CHECK(d.start < d.stop && d.stop <= size);
        if (d.year != 0) {
            CHECK(d.month >= 1 && d.month <= 12);
            CHECK(d.day >= 1 && d.day <= days_in(d.year, d.month));
        }
        CHECK(d.hour == -1 || (d.hour >= 0 && d.hour <= 23));
        CHECK(d.minute == -1 || (d.minute >= 0 && d.minute <= 59));
        CHECK(d.second == -1 || (d.second >= 0 && d.second <= 60));
        if (d.year != 0) {
            CHECK(nd_date_format(&d, &iso) == ND_OK);
            CHECK(nd_date_parse(iso.ptr, iso.len, NULL, &back) == ND_OK);
            CHECK(back.year == d.year && back.month == d.month && back.day == d.day);
            CHECK(back.hour == d.hour && back.minute == d.minute);
        }
        nd_buf_free(&iso);
    }
    code = nd_lang_detect(s, size);
    CHECK(code && strlen(code) >= 2 && strlen(code) <= 3);
    return 0;
}
