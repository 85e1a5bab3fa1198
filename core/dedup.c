/*
 * dedup.c — fingerprints for exact and near-duplicate articles.
 *
 * Both work on the folded term stream of fts.c, so case, diacritics,
 * apostrophe suffix spelling, punctuation and spacing never make two
 * copies of a story look different.
 *
 * Exact: a 64-bit hash (two mixed 64-bit lanes) of the folded terms of
 * title and body.
 * Near: a one-permutation MinHash (ND__SIG_BINS bins) of the word
 * 3-shingles of title+body.  The fraction of equal bins estimates the
 * Jaccard similarity of the two shingle sets.  For lookup, the signature is
 * cut into ND__SIG_BANDS bands of 4 bins; a table in memory (nd__lsh, built
 * from the stored signatures on the first add of a handle) maps each band
 * value to the first article that had it.  Two articles become candidates
 * when one band is equal (probability 1-(1-J^4)^8: 0.98 at J=0.8, 0.89 at
 * J=0.7, 0.40 at J=0.5), and are near-duplicates when the estimate reaches
 * the threshold in store.c.
 */
#include <stdlib.h>
#include <string.h>

#include "nd_text.h"
#include "store_internal.h"

#define M1 0x9E3779B97F4A7C15ULL
#define M2 0xC2B2AE3D27D4EB4FULL

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    x ^= x >> 33;
    return x;
}

/* FNV-1a of one folded term, finished with a mixer.  fts.c computes it
 * while it folds the term (ND__TERM_HASH_STEP) and stores it with the term,
 * so the exact hash and the shingles share it. */
uint64_t nd__term_hash(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = ND__TERM_HASH_INIT;
    size_t k;
    for (k = 0; k < n; k++)
        h = ND__TERM_HASH_STEP(h, p[k]);
    return mix64(h);
}

uint64_t nd__term_hash_finish(uint64_t h)
{
    return mix64(h);
}

static uint64_t term_hash(const nd__terms *t, size_t i)
{
    return t->v[i].hash;
}

static void hash_terms(const nd__terms *t, uint64_t *h1, uint64_t *h2)
{
    size_t i;
    for (i = 0; i < t->n; i++) {
        uint64_t th = term_hash(t, i);
        *h1 = mix64(*h1 ^ th) + M1;
        *h2 = (*h2 ^ (th * M2)) * M1 + (uint64_t)i;
    }
}

void nd__terms_hash(const nd__terms *title, const nd__terms *body, char hex[17])
{
    static const char digits[] = "0123456789abcdef";
    uint64_t h[2] = { M1, M2 }, x;
    int i;
    hash_terms(title, &h[0], &h[1]);
    h[0] = mix64(h[0] ^ 0x7469746C65ULL);          /* separates title from body */
    h[1] = mix64(h[1] + 0x626F6479ULL);
    hash_terms(body, &h[0], &h[1]);
    x = mix64(h[0] ^ mix64(h[1]));
    for (i = 0; i < 16; i++)
        hex[i] = digits[(x >> (60 - 4 * i)) & 0xF];
    hex[16] = '\0';
}

/* Each shingle hash drops into bin (top bits) and keeps the least value
 * (low bits).  Empty bins borrow from the next filled one, offset by the
 * distance, so that sparse texts still compare bin by bin. */
static void add_shingle(nd__sig *sig, uint64_t h)
{
    unsigned bin = (unsigned)(h >> 59);             /* 32 bins */
    uint32_t v = (uint32_t)h;
    if (v < sig->bin[bin])
        sig->bin[bin] = v;
}

void nd__sig_compute(nd__sig *sig, const nd__terms *t)
{
    uint64_t a = 0, b = 0, c;
    size_t i, n = 0;
    unsigned j, k;
    for (j = 0; j < ND__SIG_BINS; j++)
        sig->bin[j] = UINT32_MAX;
    for (i = 0; i < t->n; i++) {
        c = term_hash(t, i);
        if (i >= 2) {
            add_shingle(sig, mix64(a * M1 + b * M2 + c));
            n++;
        }
        a = b;
        b = c;
    }
    if (t->n > 0 && t->n < 3) {
        add_shingle(sig, mix64(a * M1 + b * M2));
        n++;
    }
    sig->empty = n == 0;
    sig->count = n;
    if (sig->empty)
        return;
    for (j = 0; j < ND__SIG_BINS; j++) {
        if (sig->bin[j] != UINT32_MAX)
            continue;
        for (k = 1; k < ND__SIG_BINS; k++) {
            uint32_t v = sig->bin[(j + k) % ND__SIG_BINS];
            if (v != UINT32_MAX) {
                sig->bin[j] = (uint32_t)mix64((uint64_t)v * 31 + k) | 1u;
                break;
            }
        }
    }
}

double nd__sig_similarity(const nd__sig *a, const nd__sig *b)
{
    unsigned j, same = 0;
    if (a->empty || b->empty)
        return 0.0;
    for (j = 0; j < ND__SIG_BINS; j++)
        same += a->bin[j] == b->bin[j];
    return (double)same / ND__SIG_BINS;
}

uint32_t nd__sig_band(const nd__sig *sig, unsigned band)
{
    const unsigned per = ND__SIG_BINS / ND__SIG_BANDS;
    uint64_t h = mix64((uint64_t)band + 1);
    unsigned j;
    for (j = 0; j < per; j++)
        h = mix64(h ^ (sig->bin[band * per + j] + M1 * (j + 1)));
    return (uint32_t)h | 1u;                        /* never 0, the empty slot */
}

/* ---- LSH table: band key -> first article id seen with it ---------------- */

#define CHUNK_BITS 13
#define CHUNK (1u << CHUNK_BITS)
#define DIR 65536u                      /* directory slots: the top 16 key bits */
#define MIN_FRESH 512u                  /* fewest recent entries before a merge */

struct nd__lsh_chunk {
    uint32_t id[CHUNK];
    uint16_t lo[CHUNK];                 /* low 16 bits of the key */
};

static uint32_t *run_id(const nd__lsh *t, size_t i)
{
    return &t->chunk[i >> CHUNK_BITS]->id[i & (CHUNK - 1)];
}

static uint16_t *run_lo(const nd__lsh *t, size_t i)
{
    return &t->chunk[i >> CHUNK_BITS]->lo[i & (CHUNK - 1)];
}

static int run_find(const nd__lsh *t, uint32_t key, size_t *at)
{
    size_t lo, hi;
    uint16_t want = (uint16_t)key;
    if (!t->dir)
        return 0;
    lo = t->dir[key >> 16];
    hi = t->dir[(key >> 16) + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint16_t v = *run_lo(t, mid);
        if (v == want) {
            *at = mid;
            return 1;
        }
        if (v < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int nd__lsh_get(const nd__lsh *t, uint32_t key, uint32_t *id)
{
    size_t at;
    if ((*id = nd__map_get(&t->fresh, key)) != 0)
        return 1;
    if (run_find(t, key, &at)) {
        *id = *run_id(t, at);
        return 1;
    }
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Move the recent table into the run: sort its entries, extend the run by
 * whole chunks, and merge from the back, so each entry moves at most once
 * and the run is never copied. */
static int merge(nd__lsh *t)
{
    size_t m = t->fresh.n, need = t->n + m, i, j, w, k, b;
    uint64_t *tmp;
    if (!t->dir && !(t->dir = nd__calloc(DIR + 1, sizeof *t->dir)))
        return ND_ENOMEM;
    while (t->nchunks * CHUNK < need) {
        if (t->nchunks == t->chunk_cap &&
            nd__grow((void **)&t->chunk, &t->chunk_cap, t->nchunks + 1, sizeof *t->chunk) != ND_OK)
            return ND_ENOMEM;
        if (!(t->chunk[t->nchunks] = nd__malloc(sizeof **t->chunk)))
            return ND_ENOMEM;
        t->nchunks++;
    }
    if (!(tmp = nd__malloc(m * sizeof *tmp)))
        return ND_ENOMEM;
    for (i = k = 0; i < t->fresh.cap; i++)
        if (t->fresh.keys[i])
            tmp[k++] = t->fresh.keys[i] << 32 | t->fresh.vals[i];
    qsort(tmp, m, sizeof *tmp, cmp_u64);

    /* Old entry i-1 lies in directory bucket b: dir[b] <= i-1 < dir[b+1]. */
    for (i = t->n, j = m, w = need, b = DIR - 1; j > 0; w--) {
        uint32_t key = (uint32_t)(tmp[j - 1] >> 32);
        if (i > 0) {
            while (t->dir[b] > i - 1)
                b--;
            if ((uint32_t)(b << 16 | *run_lo(t, i - 1)) > key) {
                *run_lo(t, w - 1) = *run_lo(t, i - 1);
                *run_id(t, w - 1) = *run_id(t, i - 1);
                i--;
                continue;
            }
        }
        *run_lo(t, w - 1) = (uint16_t)key;
        *run_id(t, w - 1) = (uint32_t)tmp[j - 1];
        j--;
    }
    /* Each bucket now starts later by the new entries of the buckets before. */
    for (b = 0, k = 0; b <= DIR; b++) {
        while (k < m && (tmp[k] >> 48) < b)
            k++;
        t->dir[b] += (uint32_t)k;
    }
    nd__free(tmp);
    t->n = need;
    nd__map_clear(&t->fresh);
    return ND_OK;
}

int nd__lsh_put(nd__lsh *t, uint32_t key, uint32_t id, int replace)
{
    size_t at;
    int rc;
    if (nd__map_get(&t->fresh, key))
        return replace ? nd__map_put(&t->fresh, key, id) : ND_OK;
    if (run_find(t, key, &at)) {
        if (replace)
            *run_id(t, at) = id;
        return ND_OK;
    }
    if ((rc = nd__map_put(&t->fresh, key, id)) != ND_OK)
        return rc;
    /* merges stay rare: the recent map holds a sixteenth of the run */
    if (t->fresh.n >= MIN_FRESH && t->fresh.n >= t->n / 16)
        return merge(t);
    return ND_OK;
}

void nd__lsh_clear(nd__lsh *t)
{
    size_t i;
    for (i = 0; i < t->nchunks; i++)
        nd__free(t->chunk[i]);
    nd__free(t->chunk);
    nd__free(t->dir);
    nd__map_free(&t->fresh);
    memset(t, 0, sizeof *t);
}

/* ---- signatures for texts outside a store (nd_text.h) ------------------------ */

#if ND_SIGNATURE_BINS != ND__SIG_BINS || ND_SIGNATURE_BANDS != ND__SIG_BANDS
#error "nd_signature and nd__sig disagree"
#endif

struct nd_signer {
    nd__folder *folder;
    nd__terms terms;
};

int nd_signer_new(nd_signer **out)
{
    nd_signer *s = nd__calloc(1, sizeof *s);
    int rc;
    *out = NULL;
    if (!s)
        return ND_ENOMEM;
    rc = nd__folder_new(&s->folder);
    if (rc != ND_OK) {
        nd_signer_free(s);
        return rc;
    }
    *out = s;
    return ND_OK;
}

void nd_signer_free(nd_signer *s)
{
    if (!s)
        return;
    nd__folder_free(s->folder);
    nd__terms_free(&s->terms);
    nd__free(s);
}

int nd_signer_sign(nd_signer *s, const char *text, size_t len, nd_signature *sig)
{
    nd__sig in;
    unsigned j;
    int rc;
    memset(sig, 0, sizeof *sig);
    nd__terms_clear(&s->terms);
    rc = nd__tokenize(s->folder, &s->terms, text, len, -1);   /* no stems: the signature reads terms only */
    if (rc != ND_OK)
        return rc;
    nd__sig_compute(&in, &s->terms);
    memcpy(sig->bin, in.bin, sizeof sig->bin);
    sig->shingles = in.count;
    for (j = 0; j < ND__SIG_BANDS; j++)
        sig->band[j] = nd__sig_band(&in, j);
    return ND_OK;
}

double nd_signature_similarity(const nd_signature *a, const nd_signature *b)
{
    nd__sig x, y;
    memcpy(x.bin, a->bin, sizeof x.bin);
    memcpy(y.bin, b->bin, sizeof y.bin);
    x.empty = a->shingles == 0;
    y.empty = b->shingles == 0;
    x.count = a->shingles;
    y.count = b->shingles;
    return nd__sig_similarity(&x, &y);
}
