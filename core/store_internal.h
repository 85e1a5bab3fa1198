/*
 * store_internal.h — what store.c, fts.c and dedup.c share.  Not installed.
 */
#ifndef ND_STORE_INTERNAL_H
#define ND_STORE_INTERNAL_H

#include <sqlite3.h>

#include "internal.h"
#include "nd_store.h"
#include "glue/nd_store_sql.h"   /* statements on the connection */

/* ---- word tokens (fts.c) ---------------------------------------------------
 * The one tokenizer of the store: T's nd_tokenizer cuts words, each word is
 * folded (nd_text_fold key) and split as the FTS index wants it.  The same
 * stream feeds the index, the exact-duplicate hash and the near-duplicate
 * shingles, so an article is tokenized once per nd_store_add. */

typedef struct nd__term {
    uint32_t off, len;        /* folded bytes in nd__terms.text */
    uint32_t start, stop;     /* byte range in the original */
    uint64_t hash;            /* nd__term_hash of the folded bytes */
    uint32_t word_stop;       /* a word a stemmer may read: original [start, word_stop);
                                 0 for numbers, fold splits and apostrophe stems */
    uint32_t soff, slen;      /* its stem term ("~" + stem key) in nd__terms.text; slen 0: none */
} nd__term;

typedef struct nd__terms {
    nd__term *v;
    size_t n, cap;
    nd_buf text;              /* folded bytes of every term */
} nd__terms;

/* Per-connection folding state: fast table for 1- and 2-byte UTF-8, built
 * from nd_text_fold itself so both always agree. */
typedef struct nd__folder nd__folder;

int nd__folder_new(nd__folder **f);
void nd__folder_free(nd__folder *f);

/* The languages with a stemmer (an index into the tokenizer's table). */
enum { ND__LANG_TR, ND__LANG_EN, ND__LANG_DE, ND__LANG_RU, ND__LANG_FR, ND__LANG_ES, ND__LANG_UK, ND__NLANG };

/* The stems newsdesk's own stemmers give a word (stem.c): n strings,
 * each buf[off[i], off[i] + len[i]). */
#define ND__STEMS_MAX 4
#define ND__STEMS_WORD 96       /* a longer word gets no stem */
typedef struct nd__stems {
    char buf[4 * ND__STEMS_WORD];
    size_t off[ND__STEMS_MAX], len[ND__STEMS_MAX];
    int n;
} nd__stems;
/* The light stems of the lower-case word w[0,n) (UTF-8, diacritics kept):
 * Ukrainian cases and numbers (nd__stem_uk), English plurals, -ed and -ing
 * (nd__stem_en).  out->n is 0 for a word they do not stem. */
void nd__stem_uk(const char *w, size_t n, nd__stems *out);
void nd__stem_en(const char *w, size_t n, nd__stems *out);
/* The noun reading of the Russian word w[0,n): its longest noun ending cut
 * (one stem, or none for a word of three letters or less). */
void nd__stem_ru_noun(const char *w, size_t n, nd__stems *out);
/* 1 if the two bytes at p are a Russian vowel letter (lower case). */
int nd__ru_vowel(const char *p);
/* The language of code s[0,n) ("tr", "tr-TR", "RU"), or -1 for one
 * without a stemmer (or NULL). */
int nd__fts_lang(const char *s, size_t n);
/* A bit (1 << lang) for each language the text of query q is probably in. */
unsigned nd__fts_guess_langs(const char *q, size_t len);

/* Append the terms of s[0,len) to t (keeping what is there).  With lang >= 0
 * each word also gets its stem in that language (nd__term soff, slen);
 * the terms themselves, which the duplicate checks read, are the same for
 * every lang. */
int nd__tokenize(nd__folder *f, nd__terms *t, const char *s, size_t len, int lang);
void nd__terms_clear(nd__terms *t);
void nd__terms_free(nd__terms *t);

/* How a query's words are matched. */
typedef struct nd__qopts {
    int exact;                /* every word as written */
    int derive;               /* Turkish derivations: 0 none, 1 -lı, 2 also -ca -laş */
    unsigned langs;           /* stem in these languages (bits 1 << ND__LANG_*) */
    int known;                /* the language was given, not guessed */
} nd__qopts;

/* Check the query q (see fts.c for the language) and, with out != NULL,
 * write it to out as FTS5 syntax for the "newsdesk" tokenizer matching
 * words as o says.  ND_OK; ND_ESYNTAX with what is wrong and where in err;
 * ND_ENOMEM. */
int nd__fts_query(nd_buf *out, const char *q, size_t len, const nd__qopts *o, nd_buf *err);

/* Version of the terms the tokenizer gives a text.  Raise it with any change
 * that gives some text other terms: a store records the version its
 * full-text index was built with (store_info 'fts_tokenizer') and rebuilds
 * the index when next opened read-write by a library of another version. */
#define ND__FTS_TOKENIZER_VERSION 9

/* Register the "newsdesk" FTS5 tokenizer on db's connection. */
int nd__fts_register(nd_store *db);

/* ---- near duplicates (dedup.c) ------------------------------------------ */

#define ND__SIG_BINS 32        /* one-permutation MinHash bins */
#define ND__SIG_BANDS 8        /* LSH bands of ND__SIG_BINS / ND__SIG_BANDS bins */

typedef struct nd__sig {
    uint32_t bin[ND__SIG_BINS];
    int empty;                 /* no shingle at all */
    size_t count;              /* shingles seen */
} nd__sig;

void nd__sig_compute(nd__sig *sig, const nd__terms *t);
double nd__sig_similarity(const nd__sig *a, const nd__sig *b);
/* Key of band `band` of sig (never 0). */
uint32_t nd__sig_band(const nd__sig *sig, unsigned band);

/* Map band key -> first article id (ids are never 0; ids above UINT32_MAX
 * are not indexed), small enough for stores of millions of articles.  Most
 * entries sit in a run sorted by key, kept in fixed-size chunks at 6 bytes
 * an entry (the top 16 key bits are implied by a directory of offsets); new
 * entries go to a small hash map that is merged into the run, in place,
 * once it holds a sixteenth as many.  Growing never holds two copies of
 * the run.  Zeroed = empty. */
struct nd__lsh_chunk;
typedef struct nd__lsh {
    struct nd__lsh_chunk **chunk;   /* the sorted run */
    size_t nchunks, chunk_cap, n;   /* n: entries in the run */
    uint32_t *dir;                  /* 65537 offsets into the run by top key bits */
    nd__map fresh;                  /* the recent entries */
    int64_t known_max;         /* highest article id loaded into it */
    int loaded;                /* synced with the database in this transaction */
} nd__lsh;

int nd__lsh_get(const nd__lsh *t, uint32_t key, uint32_t *id);
int nd__lsh_put(nd__lsh *t, uint32_t key, uint32_t id, int replace);
void nd__lsh_clear(nd__lsh *t);
/* 64-bit hash of the folded term sequence as 16 lowercase hex digits + NUL. */
uint64_t nd__term_hash(const char *s, size_t n);
/* nd__term_hash a byte at a time: start from ND__TERM_HASH_INIT, step each
 * byte c, then nd__term_hash_finish. */
#define ND__TERM_HASH_INIT 0xCBF29CE484222325ULL
#define ND__TERM_HASH_STEP(h, c) (((h) ^ (uint64_t)(c)) * 0x100000001B3ULL)
uint64_t nd__term_hash_finish(uint64_t h);
void nd__terms_hash(const nd__terms *title, const nd__terms *body, char hex[17]);

/* ---- adding in two steps ------------------------------------------------------
 * nd_store_add is nd__store_prepare (everything that needs no database:
 * checks, terms with stems, exact hash, near-duplicate signature) then
 * nd__store_add_prepared (lookups and writes).  Ingest runs the first on
 * worker threads, each with a folder of its own, and the second in order
 * on the thread that owns the store. */
typedef struct nd__prep {
    nd__terms title, body;
    char hash[17];
    nd__sig sig;
    nd_buf err;                /* the message when prepare fails */
    int utf8_known;            /* set by the caller: a's text fields are valid
                                  UTF-8 already (checked or repaired input), so
                                  nd__store_prepare does not check them again */
} nd__prep;

/* Prepare a for adding, with f (used by one thread at a time).  ND_OK;
 * ND_EINVAL, ND_EUTF8 (something about this article) or ND_ELIMIT, ND_ENOMEM
 * with the message in p->err. */
int nd__store_prepare(nd__folder *f, const nd_article *a, nd__prep *p);
/* Add a, prepared into p by nd__store_prepare, as nd_store_add does. */
int nd__store_add_prepared(nd_store *db, const nd_article *a, const nd__prep *p, int64_t *id, int *status);
void nd__prep_free(nd__prep *p);

/* ---- the handle ------------------------------------------------------------ */

enum {
    ST_FIND_HASH, ST_INSERT_ARTICLE, ST_INSERT_TEXT, ST_INSERT_FTS,
    ST_LOAD_SIGS, ST_GET_SIG, ST_GET, ST_GET_BODY, ST_GET_RAW, ST_GET_META,
    ST_DELETE_FTS, ST_DELETE_TEXT, ST_DELETE_ARTICLE, ST_DELETE_MENTIONS,
    ST_DELETE_TAGGED, ST_PROMOTE_DUPS, ST_PUT_MENTIONS_CLEAR, ST_PUT_MENTION,
    ST_PUT_TAGGED, ST_TAGGED, ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
    ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
    ST__COUNT
};

struct nd_store {
    sqlite3 *db;
    unsigned flags;
    nd_buf err;
    sqlite3_stmt *st[ST__COUNT];
    nd__folder *folder;
    nd__lsh lsh;                         /* near-duplicate lookup */
    nd__prep prep;                       /* of the article nd_store_add adds */
    const nd__prep *replay;              /* the FTS tokenizer may reuse its terms */
    int doc_lang;                        /* ND__LANG_* of documents FTS5 tokenizes, or -1 */
    nd_str replay_title, replay_body;    /* for texts equal to these */
    sqlite3_stmt *term_st;               /* is a term in the index (fts.c); NULL: not known */
    sqlite3_stmt *stem_get_st;           /* the words of a stem (fts.c); NULL: not known */
    sqlite3_stmt *stem_put_st;           /* record a word's stem (fts.c) */
    nd__map stems_seen;                  /* hashes of the (word, stems) this connection wrote */
    int stems_stale;                     /* a rollback may have taken some of them back */
    nd_buf scratch;
};

/* Set the handle's message (printf-style) and return rc. */
int nd__store_fail(nd_store *db, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Map an SQLite result to an ND_ code, taking the connection's message. */
int nd__store_dberr(nd_store *db, int src);
/* The cached statement `which`, prepared on first use; NULL on failure
 * (message set). */
sqlite3_stmt *nd__store_stmt(nd_store *db, int which);
/* Make the look-ups of index terms and stems that query synonyms come
 * from (fts.c).  Failure is not an error: without the first a query keeps
 * every synonym, without the second a word finds its own form only. */
void nd__fts_terms_open(nd_store *db);
/* Finalize them, and forget the stems written. */
void nd__fts_terms_close(nd_store *db);

#endif /* ND_STORE_INTERNAL_H */
