/*
 * nd_store.h — the article store: an ordinary SQLite database (WAL mode)
 * holding articles, their full-text index, entity mentions and tagging
 * records.  The schema is documented in README.md ("Store").
 *
 * A store handle owns one SQLite connection and the prepared statements
 * cached on it.  No SQLite type appears in this header: hosts read rows
 * through nd_cursor and link with pkg-config's flags alone.  A second writer on the same file waits (busy timeout)
 * instead of failing at once.  Handles are not shared between threads.
 */
#ifndef ND_STORE_H
#define ND_STORE_H

#include <stdint.h>

#include "nd_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nd_store nd_store;

/* Current schema version written by this library (PRAGMA user_version and
 * the schema_migrations table). */
#define ND_STORE_SCHEMA_VERSION 3

#define ND_OPEN_READONLY 0x1   /* open an existing store read-only */

/* Open (creating if needed, unless ND_OPEN_READONLY) the store at `path`,
 * or an in-memory store when path is NULL.  Applies pending migrations.
 * *db is set even on failure so nd_store_errmsg can explain; the caller
 * closes it in both cases.  ND_OK, ND_ENOMEM, ND_EDB, ND_EBUSY, ND_EINVAL
 * (a file that is not a newsdesk store or of a newer schema). */
ND_API int nd_store_open(nd_store **db, const char *path, unsigned flags);

/* Close the connection and free the handle.  NULL is harmless. */
ND_API void nd_store_close(nd_store *db);

/* The last error message, owned by db (valid until the next call on db).
 * Never NULL; "out of memory" when db itself could not be allocated. */
ND_API const char *nd_store_errmsg(const nd_store *db);

/* Explicit transactions.  nd_store_begin takes the write lock at once
 * (BEGIN IMMEDIATE), waiting for another writer up to the busy timeout. */
ND_API int nd_store_begin(nd_store *db);
ND_API int nd_store_commit(nd_store *db);
ND_API int nd_store_rollback(nd_store *db);

typedef struct nd_article {      /* borrowed strings; ptr NULL = unknown */
    nd_str title, body, date, date_text, source, author, url, lang, raw, meta_json;
} nd_article;

enum { ND_ADD_NEW = 0, ND_ADD_DUPLICATE = 1, ND_ADD_NEAR_DUPLICATE = 2 };

/* Adds an article (inside the caller's transaction if one is open).  Exact
 * duplicates (same folded title+body) are not stored again: *status =
 * ND_ADD_DUPLICATE and *id = the existing id.  A near-duplicate is stored
 * with duplicate_of = first one seen and status ND_ADD_NEAR_DUPLICATE.
 * Text fields must be valid UTF-8 (ND_EUTF8 otherwise); raw may hold any
 * bytes.  meta_json, when given, must be a JSON object (ND_EINVAL). */
ND_API int nd_store_add(nd_store *db, const nd_article *a, int64_t *id, int *status);

/* Remove article `id` with its index entries, mentions and tagging
 * records.  ND_ENOTFOUND when there is no such article.  If it was the
 * first copy of near-duplicates, the oldest of them becomes the first copy
 * and the others point at it. */
ND_API int nd_store_delete(nd_store *db, int64_t id);

typedef struct nd_mention {      /* borrowed strings */
    nd_str type, entity, text, suffix, rule;
    size_t start, stop;          /* byte range in the article field named by `field` */
    nd_str field;                /* "title" or "body" */
} nd_mention;

/* Replace the mentions of article `id` tagged with ruleset key `ruleset`
 * (a hash string R computes) and record that the article was tagged with
 * it.  nd_store_tagged tells whether article id was already tagged with
 * that ruleset. */
ND_API int nd_store_put_mentions(nd_store *db, int64_t id, nd_str ruleset, const nd_mention *m, size_t n);
ND_API int nd_store_tagged(nd_store *db, int64_t id, nd_str ruleset, int *yes);


/* ---- queries -------------------------------------------------------------- */

enum {
    ND_ORDER_ID = 0,         /* insertion order (default) */
    ND_ORDER_DATE,           /* oldest first; unknown dates last */
    ND_ORDER_DATE_DESC,      /* newest first; unknown dates last */
    ND_ORDER_RANK            /* best full-text match first (needs match) */
};

/* A filter over articles.  Zero-initialise, then set what is wanted;
 * strings are borrowed and only bound as SQL parameters, never pasted. */
typedef struct nd_query {
    nd_str source, lang;     /* equality */
    nd_str since, until;     /* date >= since; date < until or date starting with
                                until (so until "2024-11-04" keeps that whole day) */
    nd_str match;            /* a search query over title and body (README "Search"):
                                FTS5 syntax, each word matching its inflected forms;
                                =word or ="a phrase" matches as written */
    const int64_t *ids;      /* only these ids when nids > 0 */
    size_t nids;
    int hide_duplicates;     /* 1: leave out near-duplicates */
    int64_t limit;           /* <= 0: no limit */
    int64_t offset;
    int order;               /* ND_ORDER_* */
    int score;               /* with match: add column ND_COL_SCORE, the bm25 score
                                (FTS5 sign: more negative = better) */
    nd_str mark_open, mark_close; /* with match and mark_open.ptr: add column
                                ND_COL_SNIPPET, a snippet of the original text with
                                matched words between the marks */
    int snippet_tokens;      /* words in a snippet; 0 = 16 */
    nd_str match_lang;       /* the language of match's words ("tr", "ru", ...); unset:
                                lang if set, else guessed from the query's letters */
    int exact;               /* 1: match every word exactly as written (as =word does) */
    int derive;              /* ND_DERIVE_*: Turkish derived words a word also finds */
} nd_query;

/* How match treats Turkish derivational suffixes: by default (ORIGIN) a
 * word also finds its -lı form ("galatasaray" finds "Galatasaraylı",
 * "suriye" "Suriyeli"); NONE: inflections only; ALL: also -ca and -laş. */
enum { ND_DERIVE_DEFAULT = 0, ND_DERIVE_NONE, ND_DERIVE_ORIGIN, ND_DERIVE_ALL };

/* Check the search query q[0,len) without running it: ND_OK, or
 * ND_ESYNTAX with msg = 'bad search query "q": what is wrong at byte N'
 * (the message the store gives for it); ND_ENOMEM. */
ND_API int nd_query_check(const char *q, size_t len, nd_buf *msg);


/* Column order of nd_store_query rows. */
enum {
    ND_COL_ID, ND_COL_HASH, ND_COL_DUPLICATE_OF, ND_COL_DATE, ND_COL_DATE_TEXT,
    ND_COL_SOURCE, ND_COL_AUTHOR, ND_COL_URL, ND_COL_LANG, ND_COL_TITLE, ND_COL_COUNT,
    ND_COL_SCORE = ND_COL_COUNT, ND_COL_SNIPPET
};

/* An article row of a selection: metadata only (no body or raw; read
 * those with nd_store_field).  Strings are borrowed from the cursor until
 * its next step or close; ptr NULL = unknown. */
typedef struct nd_row {
    int64_t id;
    int64_t duplicate_of;    /* the first copy of a near-duplicate, 0 = none */
    nd_str hash, date, date_text, source, author, url, lang, title;
    double score;            /* with q->match and q->score: the bm25 score */
    nd_str snippet;          /* with q->match and q->mark_open.ptr */
} nd_row;

/* A cursor over the rows of a selection; opaque, owned by the caller. */
typedef struct nd_cursor nd_cursor;

/* Select the articles of q (order, limit, score and snippet as nd_query
 * says).  *cur is NULL on failure (message on db); close it with
 * nd_cursor_close before closing db.  ND_OK, ND_ENOMEM, ND_EINVAL, ND_EDB. */
ND_API int nd_store_select(nd_store *db, const nd_query *q, nd_cursor **cur);

/* Step cur: 1 with *row filled, 0 after the last row, or a negative ND_E*
 * code (message on the store).  *row is zeroed first. */
ND_API int nd_cursor_next(nd_cursor *cur, nd_row *row);

/* Free a cursor; NULL is harmless. */
ND_API void nd_cursor_close(nd_cursor *cur);

/* A filter over stored mentions (all set fields must hold). */
typedef struct nd_mention_query {
    nd_str entity, type;     /* equality */
    int64_t article;         /* > 0: only this article */
    nd_str since, until, source;  /* of the article, as in nd_query */
} nd_mention_query;


/* Fetch one stored field of article `id` ("body", "raw" or "meta"; any
 * metadata column name too) into out, replacing its contents.  *isnull is
 * set when the field is NULL.  ND_ENOTFOUND for an unknown article,
 * ND_EINVAL for an unknown field name. */
ND_API int nd_store_field(nd_store *db, int64_t id, const char *field, nd_buf *out, int *isnull);



/* ---- merging stores ------------------------------------------------------ */

typedef struct nd_merge_progress {
    uint64_t done, total;        /* articles and tagging records of the other
                                    store read so far / in all */
    uint64_t added, mentions;    /* so far, as in nd_merge_stats */
} nd_merge_progress;

typedef struct nd_merge_opts {
    /* Called every 256 records and at the end; a non-zero return stops the
     * merge (ND_ERROR, message "interrupted"). */
    int (*progress)(void *ud, const nd_merge_progress *p);
    void *progress_ud;
} nd_merge_opts;

typedef struct nd_merge_stats {  /* added to by each call; zero it first */
    uint64_t articles;           /* articles read from the other store */
    uint64_t added;              /* stored here as new (near-duplicates included) */
    uint64_t duplicates;         /* exact duplicates of an article already here */
    uint64_t near_duplicates;    /* stored, linked (duplicate_of) to an article here */
    uint64_t tagged;             /* (article, rule set) tagging records carried over */
    uint64_t mentions;           /* mentions carried with them */
    uint64_t untagged;           /* tagging records left behind: the article here is an
                                    exact duplicate stored with other bytes (case,
                                    spacing), so the offsets would not fit */
} nd_merge_stats;

/* Add every article of the store file `path` to db, as nd_store_add adds
 * them (exact duplicates not stored again, near-duplicates linked to the
 * first copy here, the full-text index written by this library), in the
 * other store's id order; then carry over its tagging records with their
 * mentions, for each (article, rule set) not tagged here yet.  The other
 * store is only read (opened read-only, so it must be a newsdesk store of
 * this schema: ND_EINVAL otherwise, the message naming path).  Commits
 * every 1000 articles, or joins the caller's open transaction.  Running it
 * again with the same file adds nothing: safe to re-run after a failure.
 * o may be NULL.  ND_OK, ND_EINVAL (db read-only, path is db's own file),
 * ND_EDB, ND_ENOMEM, ND_ERROR (stopped by progress). */
ND_API int nd_store_merge(nd_store *db, const char *path, const nd_merge_opts *o, nd_merge_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* ND_STORE_H */
