/*
 * fts.c — the store's word tokenizer and the FTS5 tokenizer "newsdesk".
 *
 * Words are cut by the text layer (nd_tokenizer_next) and folded with the
 * text layer's match key (nd_text_fold, flags 0).  Each word becomes index
 * terms as follows:
 *   - a word with an apostrophe suffix is indexed by its stem only:
 *     "Rusya'ya", "Rusya’nın" -> rusya;
 *   - a hyphenated word is indexed as its parts at consecutive positions:
 *     "Kim Jong-un" -> kim jong un, so the phrase "kim jong un" finds it;
 *   - every term reports the byte range of the original text it came from
 *     (a part its own range, the last part up to the end of the suffix), so
 *     snippet() and highlight() mark the words as they were written.
 * The same function tokenizes documents and queries, so a query is folded
 * exactly as the text was.
 */
#include <string.h>

#include "nd_text.h"
#include "store_internal.h"

/* ---- folding ------------------------------------------------------------ */

#define FAST_LIMIT 0x800        /* code points below this use the table */
#define FAST_SLOW 0xFF          /* entry length meaning "use nd_text_fold" */
#define FAST_MAX 7

struct nd__folder {
    unsigned char len[FAST_LIMIT];
    unsigned char plain[FAST_LIMIT];    /* folds to ASCII a-z 0-9 only */
    char bytes[FAST_LIMIT][FAST_MAX];
    nd_buf tmp;
};

static size_t encode_utf8(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
}

static int plain_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Build the table by folding each code point alone with nd_text_fold. */
int nd__folder_new(nd__folder **out)
{
    nd__folder *f = nd__calloc(1, sizeof *f);
    int rc = ND_OK;
    unsigned cp;
    *out = NULL;
    if (!f)
        return ND_ENOMEM;
    for (cp = 0; cp < FAST_LIMIT; cp++) {
        char src[2];
        size_t n = encode_utf8(cp, src);
        rc = nd_text_fold(&f->tmp, src, n, 0, NULL);
        if (rc != ND_OK)
            goto done;
        if (f->tmp.len <= FAST_MAX) {
            size_t k;
            f->len[cp] = (unsigned char)f->tmp.len;
            if (f->tmp.len)
                memcpy(f->bytes[cp], f->tmp.ptr, f->tmp.len);
            f->plain[cp] = 1;
            for (k = 0; k < f->tmp.len; k++)
                f->plain[cp] &= (unsigned char)plain_byte((unsigned char)f->tmp.ptr[k]);
        } else {
            f->len[cp] = FAST_SLOW;
        }
    }
    *out = f;
    f = NULL;
done:
    nd__folder_free(f);
    return rc;
}

void nd__folder_free(nd__folder *f)
{
    if (!f)
        return;
    nd_buf_free(&f->tmp);
    nd__free(f);
}

/* Append the fold key of s[a,b) to out, and set *h to the term hash of the
 * appended bytes (before nd__term_hash_finish) and *plain to whether they
 * are all ASCII lower-case letters and digits, which need no second
 * tokenizing.  Characters of one or two UTF-8 bytes go through the table;
 * anything else folds the range with nd_text_fold (which handles context
 * such as combining sequences). */
static int fold_range(nd__folder *f, nd_buf *out, const char *s, size_t a, size_t b, uint64_t *h, int *plain)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t mark = out->len, i = a, k, len;
    uint64_t hh = ND__TERM_HASH_INIT;
    int pl = 1, rc = ND_OK;
    char *o;
    /* At the top of the loop there is room for two bytes per input byte
     * left plus the NUL: ASCII writes one byte per byte, and the two-byte
     * branch makes room for what it writes and for the rest.  The output
     * length lives in len (a byte store could alias out->len). */
    if (out->len + (b - a) * 2 + 1 > out->cap && (rc = nd_buf_reserve(out, (b - a) * 2)) != ND_OK)
        return rc;
    o = out->ptr;
    len = out->len;
    while (i < b) {
        unsigned cp;
        size_t n;
        if (u[i] < 0x80) {
            cp = u[i];
            if (f->len[cp] == 1) {      /* fast path: ASCII to one byte */
                unsigned char c = (unsigned char)f->bytes[cp][0];
                o[len++] = (char)c;
                hh = ND__TERM_HASH_STEP(hh, c);
                pl &= f->plain[cp];
                i++;
                continue;
            }
            i++;
        } else if ((u[i] & 0xE0) == 0xC0 && u[i] >= 0xC2 && i + 1 < b && (u[i + 1] & 0xC0) == 0x80) {
            cp = ((unsigned)(u[i] & 0x1F) << 6) | (u[i + 1] & 0x3Fu);
            i += 2;
        } else {
            goto slow;
        }
        n = f->len[cp];
        if (n == FAST_SLOW)
            goto slow;
        if (len + n + (b - i) * 2 + 1 > out->cap) {
            out->len = len;
            if ((rc = nd_buf_reserve(out, n + (b - i) * 2)) != ND_OK)
                return rc;
            o = out->ptr;
        }
        for (k = 0; k < n; k++) {
            unsigned char c = (unsigned char)f->bytes[cp][k];
            o[len++] = (char)c;
            hh = ND__TERM_HASH_STEP(hh, c);
        }
        pl &= f->plain[cp];
    }
    out->len = len;
    if (o)
        o[len] = '\0';
    *h = hh;
    *plain = pl;
    return ND_OK;
slow:
    out->len = mark;
    rc = nd_text_fold(&f->tmp, s + a, b - a, 0, NULL);
    if (rc == ND_OK)
        rc = nd_buf_append(out, f->tmp.ptr, f->tmp.len);
    for (k = mark, hh = ND__TERM_HASH_INIT, pl = 1; rc == ND_OK && k < out->len; k++) {
        hh = ND__TERM_HASH_STEP(hh, (unsigned char)out->ptr[k]);
        pl &= plain_byte((unsigned char)out->ptr[k]);
    }
    *h = hh;
    *plain = pl;
    return rc;
}

/* ---- terms -------------------------------------------------------------- */

/* Record the folded bytes text[off, end), whose nd__term_hash is hash, as
 * one term for original [ostart, ostop). */
static int add_term(nd__terms *t, size_t off, size_t end, uint64_t hash, size_t ostart, size_t ostop)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        nd__term *v = nd__realloc(t->v, cap * sizeof *v);
        if (!v)
            return ND_ENOMEM;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n].off = (uint32_t)off;
    t->v[t->n].len = (uint32_t)(end - off);
    t->v[t->n].start = (uint32_t)ostart;
    t->v[t->n].stop = (uint32_t)ostop;
    t->v[t->n].hash = hash;
    t->n++;
    return ND_OK;
}

/* Part k of the token tok of s, cut at the end of the stem: [*ps, *pe).
 * 0 when the token has no part k or it lies wholly in the suffix. */
static int stem_part(const char *s, const nd_token *tok, unsigned k, size_t *ps, size_t *pe)
{
    if (nd_token_part(s, tok, k, ps, pe) != ND_OK)
        return 0;
    if (*pe > tok->stem_stop)
        *pe = tok->stem_stop;
    return *ps < *pe;
}

/* Fold s[a, b) and add it as a term for original [ostart, ostop).  A fold
 * can bring in characters that separate tokens ("⅕" -> "1⁄5"), hyphens or
 * apostrophes ("ŉ" -> "'n"): then the folded text is indexed as a text
 * holding it would be (each token's parts, without a suffix), all mapped to
 * the same original span, so a query holding the folded text finds the
 * article.  A word that folds to no word ("ͺ" -> " ") adds no term. */
static int push_term(nd__folder *f, nd__terms *t, const char *s, size_t a, size_t b, size_t ostart, size_t ostop)
{
    size_t off = t->text.len, end;
    nd_tokenizer tz;
    nd_token tok;
    uint64_t h;
    int plain, rc = fold_range(f, &t->text, s, a, b, &h, &plain);
    if (rc != ND_OK)
        return rc;
    end = t->text.len;
    if (end == off)
        return ND_OK;                   /* folded to nothing */
    h = nd__term_hash_finish(h);
    if (plain)
        return add_term(t, off, end, h, ostart, ostop);
    nd_tokenizer_init(&tz, t->text.ptr + off, end - off);
    if (!nd_tokenizer_next(&tz, &tok)) {    /* folded to no word ("ͺ" -> " "): */
        t->text.len = off;                  /* nothing to search for, as above */
        t->text.ptr[off] = '\0';
        return ND_OK;
    }
    if (tok.start == 0 && tok.stop == end - off && tok.stem_stop == tok.stop && tok.nparts == 1)
        return add_term(t, off, end, h, ostart, ostop);    /* one plain word */
    do {                                /* as nd__tokenize indexes a text: parts of stems */
        const char *ft = t->text.ptr + off;
        unsigned k;
        size_t ps, pe;
        for (k = 0; k < tok.nparts; k++)
            if (stem_part(ft, &tok, k, &ps, &pe) &&
                (rc = add_term(t, off + ps, off + pe, nd__term_hash(ft + ps, pe - ps), ostart, ostop)) != ND_OK)
                return rc;
    } while (nd_tokenizer_next(&tz, &tok));
    return ND_OK;
}

int nd__tokenize(nd__folder *f, nd__terms *t, const char *s, size_t len)
{
    nd_tokenizer tz;
    nd_token tok;
    int rc = ND_OK;
    if (len > UINT32_MAX)
        return ND_ELIMIT;
    nd_tokenizer_init(&tz, s, len);
    while (rc == ND_OK && nd_tokenizer_next(&tz, &tok)) {
        size_t stem = tok.stem_stop;
        unsigned k;
        if (tok.nparts <= 1) {
            rc = push_term(f, t, s, tok.start, stem, tok.start, tok.stop);
            continue;
        }
        for (k = 0; k < tok.nparts && rc == ND_OK; k++) {
            size_t ps, pe;
            if (stem_part(s, &tok, k, &ps, &pe))
                rc = push_term(f, t, s, ps, pe, ps, k + 1 == tok.nparts ? tok.stop : pe);
        }
    }
    return rc;
}

void nd__terms_clear(nd__terms *t)
{
    t->n = 0;
    t->text.len = 0;
}

void nd__terms_free(nd__terms *t)
{
    nd__free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
    nd_buf_free(&t->text);
}

/* ---- FTS5 tokenizer ----------------------------------------------------- */

typedef struct tokenizer {
    nd_store *db;
    nd__terms terms;
} tokenizer;

static int tok_create(void *ud, const char **argv, int argc, Fts5Tokenizer **out)
{
    tokenizer *t;
    (void)argv;
    *out = NULL;
    if (argc > 0)
        return SQLITE_ERROR;            /* the tokenizer takes no options */
    t = nd__calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    t->db = ud;
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    tokenizer *t = (tokenizer *)p;
    if (!t)
        return;
    nd__terms_free(&t->terms);
    nd__free(t);
}

static int emit(const nd__terms *terms, void *ctx,
                int (*xToken)(void *, int, const char *, int, int, int))
{
    size_t i;
    int rc = SQLITE_OK;
    for (i = 0; i < terms->n && rc == SQLITE_OK; i++) {
        const nd__term *m = &terms->v[i];
        rc = xToken(ctx, 0, terms->text.ptr + m->off, (int)m->len, (int)m->start, (int)m->stop);
    }
    return rc;
}

/* A document being added by nd_store_add was tokenized already: reuse its
 * terms when FTS5 hands us exactly the same text. */
static const nd__terms *replayable(nd_store *db, const char *text, int n)
{
    if (!db->replay)
        return NULL;
    if (db->replay_title.ptr && (size_t)n == db->replay_title.len &&
        (n == 0 || memcmp(text, db->replay_title.ptr, (size_t)n) == 0))
        return &db->title_terms;
    if (db->replay_body.ptr && (size_t)n == db->replay_body.len &&
        (n == 0 || memcmp(text, db->replay_body.ptr, (size_t)n) == 0))
        return &db->body_terms;
    return NULL;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                        int (*xToken)(void *, int, const char *, int, int, int))
{
    tokenizer *t = (tokenizer *)p;
    const nd__terms *done = NULL;
    int rc;
    if (n <= 0)
        return SQLITE_OK;
    if (flags & FTS5_TOKENIZE_DOCUMENT)
        done = replayable(t->db, text, n);
    if (done)
        return emit(done, ctx, xToken);
    if (!t->db->folder && nd__folder_new(&t->db->folder) != ND_OK)
        return SQLITE_NOMEM;
    nd__terms_clear(&t->terms);
    rc = nd__tokenize(t->db->folder, &t->terms, text, (size_t)n);
    if (rc != ND_OK)
        return rc == ND_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
    return emit(&t->terms, ctx, xToken);
}

int nd__fts_register(nd_store *db)
{
    fts5_tokenizer methods = { tok_create, tok_delete, tok_tokenize };   /* copied by FTS5 */
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int src;
    src = sqlite3_prepare_v2(db->db, "SELECT fts5(?1)", -1, &st, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
        src = sqlite3_step(st);
        src = src == SQLITE_ROW ? SQLITE_OK : src;
    }
    sqlite3_finalize(st);
    if (src != SQLITE_OK)
        return nd__store_dberr(db, src);
    if (!api)
        return nd__store_fail(db, ND_EDB, "this SQLite has no FTS5");
    src = api->xCreateTokenizer(api, "newsdesk", db, &methods, NULL);
    return src == SQLITE_OK ? ND_OK : nd__store_dberr(db, src);
}

/* ---- queries ------------------------------------------------------------ */

static int word_needs_quotes(const char *w, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (w[i] == ':' || w[i] == '{' || w[i] == '}')
            return 0;                   /* column filter syntax: leave it */
    for (i = 0; i < n; i++)
        if (strchr("'-.@/;!?&%$#=~`|\\<>[]", w[i]))
            return 1;
    return 0;
}

int nd__fts_query(nd_buf *out, const char *q, size_t len)
{
    size_t i = 0;
    int rc = ND_OK;
    out->len = 0;
    rc = nd_buf_reserve(out, len + 16);
    while (rc == ND_OK && i < len) {
        char c = q[i];
        size_t j = i + 1;
        if (c == '"') {                  /* a quoted phrase: copy as is */
            while (j < len && q[j] != '"')
                j++;
            j = j < len ? j + 1 : len;
            rc = nd_buf_append(out, q + i, j - i);
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')') {
            rc = nd_buf_append(out, q + i, 1);
        } else {
            size_t n, star = 0;
            while (j < len && !strchr(" \t\n\r()\"", q[j]))
                j++;
            n = j - i;
            while (star < n && q[i + n - 1 - star] == '*')
                star++;
            if (n > star && word_needs_quotes(q + i, n - star)) {
                rc = nd_buf_append(out, "\"", 1);
                if (rc == ND_OK)
                    rc = nd_buf_append(out, q + i, n - star);
                if (rc == ND_OK)
                    rc = nd_buf_append(out, "\"", 1);
                if (rc == ND_OK)
                    rc = nd_buf_append(out, q + i + n - star, star);
            } else {
                rc = nd_buf_append(out, q + i, n);
            }
        }
        i = j;
    }
    return rc;
}
