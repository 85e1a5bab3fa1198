/*
 * nd_ingest.h — getting real-world news into a store: files, folders, globs
 * and standard input holding scraped page dumps, JSON Lines, CSV, TSV or HTML, in
 * UTF-8, UTF-16 or legacy Turkish encodings.
 *
 * The pieces are usable on their own:
 *  - nd_text_decode      bytes in any supported encoding -> UTF-8
 *  - nd_html_to_text     HTML fragment -> plain text; nd_html_decode_entities
 *  - nd_csv_*            an RFC 4180 record reader over a string
 *  - nd_boilerplate_*    line rules that mark page chrome (data, not code)
 *  - nd_extract_*        page dump -> articles (title, date, source, author, body)
 *  - nd_ingest_path      all of the above, streamed into an nd_store in batches
 * Strings handed out as nd_str are borrowed: valid until the next call on the
 * object that produced them.
 *
 * What an ingested article keeps: raw is the input exactly as read, after
 * conversion to UTF-8 (a JSON line, a CSV record, the whole file when it
 * holds one article — page dump, crawl record or HTML page, header lines
 * and markup included — or that article's slice of a page holding several);
 * a crawl record (title line, crawl-time line, optional URL line, blank
 * line, body) is one article whose header lines give title, date and url;
 * a page dump's
 * meta holds {"file": path, "updated": ISO time of an update line}; a
 * record's meta holds its fields that are not mapped to article fields.
 */
#ifndef ND_INGEST_H
#define ND_INGEST_H

#include "nd_core.h"
#include "nd_store.h"
#include "nd_dates.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- encodings ----------------------------------------------------------- */

/* Convert s to UTF-8.  encoding is NULL (detect) or one of "utf-8",
 * "utf-16le", "utf-16be", "utf-16" (BOM required), "windows-1254"
 * ("cp1254"), "iso-8859-9" ("latin5"), or any name iconv knows.  Detection:
 * a byte-order mark wins; else text that is valid UTF-8, or mostly valid
 * (it holds well-formed multi-byte sequences), is UTF-8; else Windows-1254
 * when bytes 0x80-0x9F occur, ISO-8859-9 otherwise.  A BOM is dropped.
 * *detected (may be NULL) receives the static name used.  Bytes that cannot
 * be converted become U+FFFD; UTF-8 input is copied unchanged (invalid
 * sequences included: see nd_utf8_repair).  ND_EINVAL for an unknown name. */
ND_API int nd_text_decode(nd_buf *out, const char *s, size_t len, const char *encoding,
                   const char **detected);

/* ---- HTML -------------------------------------------------------------- */

/* HTML fragment -> text: tags removed (images with them), script, style,
 * noscript, template, iframe, object, figcaption and comments dropped with
 * their content, block elements (p, div, br, li, h1-h6, tr, ...) become line
 * breaks (paragraph-like ones a blank line), runs of white space collapse to
 * one space, lines are trimmed, character references decoded as by
 * nd_html_decode_entities. */
ND_API int nd_html_to_text(nd_buf *out, const char *s, size_t len);
/* Decode character references as the HTML standard's tokenizer does in
 * text: the 2,231 named references of the WHATWG list (longest match; the
 * legacy names such as &copy &amp &nbsp also without ';'), decimal and hex
 * numbers with or without ';', &#128;-&#159; remapped as Windows-1252
 * (&#146; -> U+2019), U+FFFD for zero, surrogates and numbers past
 * U+10FFFF.  Anything else ("&bogus;", "AT&T", "&#x;") is kept as written. */
ND_API int nd_html_decode_entities(nd_buf *out, const char *s, size_t len);
/* 1 if s holds HTML markup: a start or end tag of an HTML element (<p>,
 * </div>, <br/>, <img src=...>), a comment or a doctype; else 0.  A '<'
 * before any other word ("a <b", "x<y>z", "<3") is text. */
ND_API int nd_html_has_tags(const char *s, size_t len);

/* ---- CSV --------------------------------------------------------------- */

/* One CSV record (RFC 4180: comma separated, fields optionally in double
 * quotes, "" for a quote inside quotes, line breaks allowed inside quotes).
 * nd_csv_parse parses the record starting at s (it ends at an unquoted line
 * break or at len).  Returns ND_OK with *used = bytes consumed including the
 * line break; ND_ELIMIT when the record is incomplete (an open quote reaches
 * len: give it more text); ND_ESYNTAX for text after a closing quote
 * (*used = offset of the offending byte).  Fields are copied into rec. */
typedef struct nd_csv_record {
    nd_buf data;        /* field texts, each NUL-terminated, back to back */
    size_t *off;        /* field i starts at data.ptr + off[i] */
    size_t *len;        /* and has len[i] bytes */
    size_t n, cap;      /* number of fields */
} nd_csv_record;
#define ND_CSV_RECORD_INIT { ND_BUF_INIT, NULL, NULL, 0, 0 }
ND_API int nd_csv_parse(nd_csv_record *rec, const char *s, size_t len, size_t *used);
/* The same with options: ND_CSV_TAB reads tab-separated values as most
 * tools write them (fields end at a tab, quotes are ordinary text, a record
 * is one line). */
#define ND_CSV_TAB 0x1u
ND_API int nd_csv_parse_ex(nd_csv_record *rec, const char *s, size_t len, unsigned flags, size_t *used);
ND_API void nd_csv_record_free(nd_csv_record *rec);   /* NULL ok */

/* ---- boilerplate rules ----------------------------------------------- */

/* A set of line rules.  Each rule compares a pattern with the line's match
 * key: the line folded (nd_text_fold: lower case, no diacritics, I/ı/İ -> i)
 * with leading bullets, dashes and spaces and trailing spaces removed.
 * In a pattern, '#' stands for a number (one or more digits, with inner
 * '.', ',' or ':' separators) and is otherwise literal; the pattern itself is
 * folded when added, so it may be written with capitals and diacritics. */
enum {
    ND_BP_EXACT = 1,     /* the whole key */
    ND_BP_PREFIX,        /* the key starts with it */
    ND_BP_SUFFIX,        /* the key ends with it */
    ND_BP_CONTAINS       /* anywhere in the key */
};
enum {
    ND_BP_DROP = 1,      /* chrome: never in a body */
    ND_BP_SOURCE,        /* names the source/agency: the text after a prefix
                            match, or the whole line */
    ND_BP_AUTHOR,        /* names the author, the same way */
    ND_BP_END,           /* ends the article body: later short lines of the
                            same article are chrome ("Related articles") */
    ND_BP_AGENCY,        /* with ND_BP_EXACT: an agency name a dateline may
                            hold ("AA", "dpa", "Reuters"); compared folded */
    ND_BP_DATELINE       /* a dateline shape, ND_BP_PREFIX: opens a story's
                            first paragraph, ND_BP_SUFFIX: closes its last
                            paragraph (or stands on a line of its own).  The
                            pattern is not folded: PLACE is 1-3 words, the
                            first in capitals ("BERLIN", "SANKT-PETERBURG");
                            AGENCY a listed agency; DATE a date (and at most
                            one more word); ' ' any blanks; '-' a hyphen, en
                            or em dash; any other byte itself.  An opening
                            shape must be followed by a blank.  Examples:
                            "PLACE (AGENCY) -", "PLACE, DATE (AGENCY) -",
                            "(AGENCY, DATE)".  The dateline leaves the body
                            and gives the article its source, and its date
                            when nothing better does */
};
typedef struct nd_boilerplate nd_boilerplate;
ND_API int nd_boilerplate_new(nd_boilerplate **bp);
ND_API void nd_boilerplate_free(nd_boilerplate *bp);          /* NULL ok */
/* Add a rule; how is ND_BP_EXACT..CONTAINS, kind ND_BP_DROP..DATELINE (an
 * agency or dateline shape the set holds already is not added twice).
 * ND_EINVAL for a bad how/kind or an empty pattern, an AGENCY rule that is
 * not EXACT, or a DATELINE rule that is not PREFIX or SUFFIX or names no
 * AGENCY. */
ND_API int nd_boilerplate_add(nd_boilerplate *bp, int how, const char *pattern, size_t len, int kind);
ND_API size_t nd_boilerplate_count(const nd_boilerplate *bp);
/* Match one line against the line rules (DROP..END; agencies and dateline
 * shapes are for the extractor).  *kind = the kind of the first matching rule, 0 if none;
 * *value = for SOURCE/AUTHOR rules the byte offset in line where the named
 * value starts (after a prefix match), else 0.  line is any text. */
ND_API int nd_boilerplate_match(const nd_boilerplate *bp, const char *line, size_t len,
                         int *kind, size_t *value);

/* ---- page dump extraction --------------------------------------------- */

/* One article found in a page dump.  Strings are borrowed from the
 * extractor: valid until its next nd_extract_page or nd_extractor_free. */
typedef struct nd_extracted {
    nd_str title, body;          /* body: paragraphs joined by a blank line */
    nd_str date;                 /* ISO 8601, or ptr NULL */
    nd_str date_text;            /* the date as found in the page */
    nd_str updated;              /* an update time line's date, ISO, or NULL */
    nd_str source, author;       /* ptr NULL when not found */
    nd_str url;                  /* a line that is only a web address, or NULL */
    size_t raw_start, raw_stop;  /* the article's slice of the page; the
                                    slices of one page tile it exactly */
} nd_extracted;

typedef struct nd_extractor nd_extractor;
/* bp may be NULL (no line rules, only the structural ones); it is borrowed
 * and must outlive the extractor. */
ND_API int nd_extractor_new(nd_extractor **ex, const nd_boilerplate *bp);
ND_API void nd_extractor_free(nd_extractor *ex);              /* NULL ok */
/* The reference date of the next extractions: a date without a year (a
 * dateline's "4. November", a date line "12 марта") takes the year that
 * puts it nearest ref, as nd_date_parse does with opts->ref.  NULL (the
 * default): such dates are left out.  ref is copied. */
ND_API void nd_extractor_set_ref(nd_extractor *ex, const nd_date *ref);
/* Split the page text s (UTF-8) into articles.  lang ("tr", "en", ...) or
 * NULL guides date parsing.  *count = number of articles (0 for a page with
 * no text).  How: a title is a short line repeated within the next lines
 * (the scraped-page pattern); failing that, a short line followed by a date
 * line; failing that, the first plain line.  Each title starts an article.
 * Lines matching the rules, date and update lines, repeated titles, stray
 * one-letter lines, one-word lines (topic labels), URL lines (the first is
 * url), view counters and the like stay out of bodies; short lines after
 * the last paragraph are the footer (source, author, chrome).  An agency
 * dateline opening the first paragraph ("ANKARA (AA) -", "BERLIN, 4.
 * November (Reuters) -") or closing the last ("(APA, 1.2.2015)", also on a
 * line of its own) leaves the body and gives the source when no rule line
 * does, and the date when no date line does.  An article with no date of
 * its own takes the date of the article before it on the same page. */
ND_API int nd_extract_page(nd_extractor *ex, const char *s, size_t len, const char *lang, size_t *count);
/* One story whose title is already known (a crawl record's title line, a
 * record's title field): s is its text.  *count = 1.  The body is every
 * plain line up to the last paragraph (or every plain line when none reads
 * like a paragraph), without lines repeating the title, rule lines, date,
 * URL and caption lines, one-word topic labels and agency datelines
 * ("ANKARA (AA) -", "(APA, 1.2.2015)"); the footer gives source and author
 * as in nd_extract_page.  The title is borrowed from the caller. */
ND_API int nd_extract_story(nd_extractor *ex, const char *s, size_t len, const char *lang,
                     const char *title, size_t tlen, size_t *count);
ND_API const nd_extracted *nd_extract_get(const nd_extractor *ex, size_t i);

/* ---- ingest ------------------------------------------------------------ */

typedef struct nd_ingest_progress {
    uint64_t files, articles;        /* done so far (articles: stored or found
                                        duplicate, committed or not) */
    uint64_t bytes, total_bytes;     /* input bytes read / to read (0 = unknown) */
    uint64_t committed;              /* of `articles`, those whose batch is committed:
                                        what survives a crash at this moment (inside
                                        a caller's transaction: 0 until it commits) */
} nd_ingest_progress;

typedef struct nd_ingest_opts {
    const char *encoding;        /* NULL = detect per file (see nd_text_decode) */
    int strict;                  /* 1: reject invalid UTF-8 (error names the byte
                                    offset) instead of repairing it */
    size_t batch;                /* articles per transaction; 0 = 2000.  Called
                                    inside a transaction the caller opened, the
                                    articles join it and the caller commits */
    uint64_t max_bytes;          /* largest page-dump file and largest single
                                    JSON line / CSV record; 0 = 16 MiB */
    const nd_boilerplate *boilerplate;  /* NULL = no line rules */
    const char *lang;            /* used when the input gives none and detection
                                    answers "und"; NULL = "und" */
    const char *format;          /* NULL = by file name ("jsonl", "csv", "tsv", "html",
                                    "page"); stdin: '{' first means jsonl */
    const nd_date *ref;          /* places dates without a year in pages and
                                    record texts (nd_extractor_set_ref); a crawl
                                    record's timestamp line places its own.
                                    NULL = none (a file's modification time says
                                    when it was copied, not written) */
    /* Called after each file and every `batch` articles; a non-zero return
     * stops the ingest (ND_ERROR, message "interrupted"). */
    int (*progress)(void *ud, const nd_ingest_progress *p);
    void *progress_ud;
    /* Asked before each file is opened (every file a folder or glob yields,
     * and "-" for standard input): non-zero refuses the file, which is
     * skipped as rejected with "not readable here"; 0 lets it be read.
     * NULL refuses no file.  The embedding sandbox uses it to keep ingest
     * inside its read_dirs. */
    int (*refuse)(void *ud, const char *path);
    void *refuse_ud;
    /* Threads for the per-record work of JSON Lines, CSV and TSV input
     * (decoding, extraction, language, dates, terms with stems, duplicate
     * hashes): with threads > 1, threads - 1 worker threads prepare
     * records while the calling thread reads and writes the store, in
     * input order.  The store, the stats, the errors (in order) and every
     * callback are the same as with 1; callbacks run on the calling
     * thread.  0 = 1 (all on the calling thread); page dumps and HTML
     * files are read on the calling thread either way.  The allocator set
     * with nd_set_allocator must then be safe to call from any thread. */
    size_t threads;
} nd_ingest_opts;
ND_API void nd_ingest_opts_init(nd_ingest_opts *o);

typedef struct nd_ingest_error {
    char *file;                  /* "-" for standard input */
    uint64_t line;               /* 1-based line, 0 when about the whole file */
    char *message;
} nd_ingest_error;

typedef struct nd_ingest_stats {
    uint64_t files;              /* files read (each is also counted below:
                                    its records, or the file as one unit) */
    uint64_t added;              /* new articles stored (near-duplicates included) */
    uint64_t duplicates;         /* exact duplicates not stored again */
    uint64_t near_duplicates;    /* stored, marked as duplicate_of another */
    uint64_t repaired;           /* records or pages whose invalid UTF-8 was repaired */
    uint64_t rejected;           /* records or files skipped (malformed, invalid
                                    UTF-8 under strict, too large) */
    uint64_t bytes;              /* input bytes read */
    nd_ingest_error *errors;     /* the first 1000 problems, in order */
    size_t nerrors, errors_cap;
    uint64_t errors_total;       /* all problems, kept or not */
    char *errmsg;                /* the fatal error of the last call, or NULL */
    uint64_t skipped;            /* files a folder or glob held in no format newsdesk
                                    reads (images, PDFs, ...): left alone, no problem */
    nd_ingest_error *skips;      /* the first 1000 of them (line 0, message says why) */
    size_t nskips, skips_cap;
} nd_ingest_stats;
/* Zero-initialises every field, whatever fields are added later. */
#define ND_INGEST_STATS_INIT { 0 }
ND_API void nd_ingest_stats_free(nd_ingest_stats *st);        /* resets it; NULL ok */

/* Ingest path — a file, a folder (recursively; hidden entries skipped; files
 * named *.txt, *.text, *.jsonl, *.ndjson, *.json, *.csv, *.tsv, *.tab, *.html, *.htm or
 * without extension), a glob pattern, or "-" for standard input — into db.
 * o may be NULL for defaults.  Counters in st are added to (so one stats
 * value can serve several calls).  Problems with the input are recorded in
 * st->errors and never stop the ingest; ND_OK unless the store fails, the
 * progress callback stops it, or path names nothing (ND_ENOTFOUND); then
 * st->errmsg says why and every batch committed so far stays committed. */
ND_API int nd_ingest_path(nd_store *db, const char *path, const nd_ingest_opts *o, nd_ingest_stats *st);
/* The same for several paths in one go (one progress total, one batch
 * sequence).  Every path is expanded before anything is read, so a path
 * that names nothing fails the call before any article is added. */
ND_API int nd_ingest_paths(nd_store *db, const char *const *paths, size_t npaths,
                    const nd_ingest_opts *o, nd_ingest_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* ND_INGEST_H */
