/*
 * ingest_internal.h — pieces shared by the ingest files of core/ (encoding
 * decoder, record-to-article mapping).  Not installed.
 */
#ifndef ND_INGEST_INTERNAL_H
#define ND_INGEST_INTERNAL_H

#include <iconv.h>
#include <jansson.h>

#include "internal.h"
#include "nd_ingest.h"

/* ---- encoding (encoding.c) ---- */

/* Canonical name for a user-given encoding name ("utf-8", "utf-16le",
 * "utf-16be", "utf-16", "windows-1254", "iso-8859-9" or the name itself
 * for anything else iconv knows); NULL if iconv does not know it. */
const char *nd__encoding_canonical(const char *name);

/* Guess the encoding of the first n bytes of an input (at_eof: they are all
 * of it).  *bom = bytes of byte-order mark to skip.  Static name. */
const char *nd__encoding_sniff(const char *s, size_t n, int at_eof, size_t *bom);

/* A streaming converter to UTF-8.  UTF-8 input passes through untouched. */
typedef struct nd__decoder {
    iconv_t cd;                 /* (iconv_t)-1 for pass-through */
    size_t unit;                /* bytes skipped per unconvertible unit */
    char carry[16];             /* an incomplete sequence from the last feed */
    size_t ncarry;
    uint64_t nrepl;             /* units replaced by U+FFFD so far */
    nd_buf join;                /* scratch: carry + next chunk */
} nd__decoder;

/* canonical: a name from nd__encoding_canonical or nd__encoding_sniff. */
int nd__decoder_init(nd__decoder *d, const char *canonical);
/* Append the UTF-8 of in[0..n) to out.  final: no more input follows (a
 * trailing incomplete sequence becomes U+FFFD). */
int nd__decoder_feed(nd__decoder *d, nd_buf *out, const char *in, size_t n, int final);
void nd__decoder_close(nd__decoder *d);

/* ---- HTML (html.c) ---- */

/* nd_html_decode_entities, with the attribute-value rule when attr is 1: a
 * legacy name without ';' before '=' or a letter or digit stays as written. */
int nd__html_decode_refs(nd_buf *out, const char *s, size_t len, int attr);

/* ---- records (JSON Lines, CSV) ---- */

/* Roles of input fields, by the usual names (see nd__field_role). */
enum {
    ND__F_NONE = 0, ND__F_TITLE, ND__F_BODY, ND__F_DATE, ND__F_URL,
    ND__F_SOURCE, ND__F_AUTHOR, ND__F_LANG, ND__F_COUNT
};

/* The role of a field name (ASCII case ignored) and its rank among the
 * names of that role (0 = preferred: "body" beats "description").  Returns
 * ND__F_NONE for a name that goes to meta. */
int nd__field_role(const char *name, size_t len, int *rank);

/* One input record: borrowed field texts and the other fields as a JSON
 * object (owned by the record; NULL when there are none). */
typedef struct nd__record {
    nd_str f[ND__F_COUNT];
    int rank[ND__F_COUNT];
    json_t *meta;
} nd__record;

/* Parse one JSON Lines line, valid UTF-8 (the caller checked or repaired
 * it: it is not checked again), into r.  Strings borrow from line, scratch
 * (strings with escapes, decoded; valid until scratch's next use) or
 * *root (NULL when not needed), which the caller releases with
 * json_decref.  ND_ESYNTAX with the reason in msg. */
int nd__jsonl_record(const char *line, size_t len, nd__record *r, json_t **root, nd_buf *scratch, nd_buf *msg);

/* One line of tab-separated values (the line break already cut off) into
 * rec: fields split at each tab, and in a field the escapes \t \n \r \\
 * become a tab, line feed, carriage return and backslash (the convention
 * of PostgreSQL's COPY and of most TSV writers); a backslash before any
 * other byte stays as written.  ND_OK or ND_ENOMEM. */
int nd__tsv_parse(nd_csv_record *rec, const char *s, size_t len);
/* The flag of nd_csv_parse_ex that reads such a line (no public ND_CSV_*
 * flag uses its bit). */
#define ND__CSV_TSV_LINE 0x100u

/* Map a CSV or TSV header to roles: role[i] for column i (ND__F_NONE = meta). */
int nd__csv_header(const nd_csv_record *hdr, int **role);
/* Fill r from a CSV record under that header (meta built from the other
 * columns).  ND_ESYNTAX when the field count differs (reason in msg). */
int nd__csv_record(const nd_csv_record *hdr, const int *role, const nd_csv_record *rec,
                   nd__record *r, nd_buf *msg);

/* Room for one more after n elements. */
#define ND__GROW1(arr, cap, n) nd__grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr))

#endif
