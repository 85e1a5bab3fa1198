/*
 * fuzz_csv.c — libFuzzer target for the CSV record reader.  The input is
 * read record after record, as the ingest reads a file.  Invariants:
 *  - every call consumes something and never more than the input;
 *  - ND_ESYNTAX points inside the input, ND_ELIMIT only at the input's end;
 *  - a record written back out (every field quoted, quotes doubled) and
 *    parsed again gives the same fields, and consumes exactly what was
 *    written (round trip).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* rec as one CSV line, every field quoted. */
static void write_record(nd_buf *out, const nd_csv_record *rec)
{
    size_t i, j;
    out->len = 0;
    for (i = 0; i < rec->n; i++) {
        const char *f = rec->data.ptr + rec->off[i];
        CHECK(nd_buf_append(out, i ? ",\"" : "\"", i ? 2 : 1) == ND_OK);
        for (j = 0; j < rec->len[i]; j++)
            CHECK(nd_buf_append(out, f + j, 1) == ND_OK &&
                  (f[j] != '"' || nd_buf_append(out, "\"", 1) == ND_OK));
        CHECK(nd_buf_append(out, "\"\r\n", 3) == ND_OK);
        if (i + 1 < rec->n)
            out->len -= 2;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    nd_csv_record rec = ND_CSV_RECORD_INIT, again = ND_CSV_RECORD_INIT;
    nd_buf line = ND_BUF_INIT;
    size_t pos = 0, used, used2, i;
    int rc;

    while (pos < size) {
        rc = nd_csv_parse(&rec, s + pos, size - pos, &used);
        if (rc == ND_ELIMIT) {
            CHECK(used == size - pos);
            break;
        }
        if (rc == ND_ESYNTAX) {
            const char *nl;
            CHECK(used < size - pos && used > 0);
            /* skip to the next line, as the ingest does with a bad record */
            nl = memchr(s + pos + used, '\n', size - pos - used);
            if (!nl)
                break;
            pos = (size_t)(nl - s) + 1;
            continue;
        }
        CHECK(rc == ND_OK);
        CHECK(used > 0 && used <= size - pos);
        CHECK(rec.n >= 1);
        for (i = 0; i < rec.n; i++)
            CHECK(rec.off[i] + rec.len[i] < rec.data.len + 1 && rec.data.ptr[rec.off[i] + rec.len[i]] == '\0');
        write_record(&line, &rec);
        CHECK(nd_csv_parse(&again, line.ptr, line.len, &used2) == ND_OK);
        CHECK(used2 == line.len);
        CHECK(again.n == rec.n);
        for (i = 0; i < rec.n; i++)
            CHECK(again.len[i] == rec.len[i] &&
                  memcmp(again.data.ptr + again.off[i], rec.data.ptr + rec.off[i], rec.len[i]) == 0);
        pos += used;
    }
    nd_csv_record_free(&rec);
    nd_csv_record_free(&again);
    nd_buf_free(&line);
    return 0;
}
