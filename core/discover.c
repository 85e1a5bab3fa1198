/*
 * discover.c — names nobody listed: capitalised runs, acronyms, suffixes
 * and cue words turned into typed mentions (nd_discover in nd_rules.h).
 *
 * One run over a text:
 *   1. tokens: words with their fold keys, capitalisation, whether they
 *      start a sentence and whether only spaces part them from the last;
 *   2. runs: consecutive capitalised words (connectors such as "of" or
 *      "von" allowed inside), cut at stop words and titles; a word with an
 *      apostrophe suffix ends a run; lower-case demonyms are runs of their own;
 *   3. each run is trimmed (title modifiers before a title, unconfirmed
 *      sentence openers), typed from its evidence and given an id;
 *   4. variants: a word that is a name seen elsewhere plus a suffix
 *      ("Rusyaya", "Путина") gets that name's base and id, a lone surname
 *      the id and type of the full name;
 *   5. runs without enough evidence are dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hunspell.h>
#include <utf8proc.h>

#include "rules_internal.h"

/* ---- evidence ---------------------------------------------------------- */

enum {
    W_KNOWN = 1u << 0, W_HEAD = 1u << 1, W_TITLE = 1u << 2, W_OWNER = 1u << 3,
    W_GIVEN = 1u << 4, W_ACRONYM = 1u << 5, W_DEMONYM = 1u << 6, W_LOCATIVE = 1u << 7,
    W_PLACE = 1u << 8, W_MULTI = 1u << 9, W_SEEN = 1u << 10, W_APOS = 1u << 11,
    W_VARIANT = 1u << 12, W_SURNAME = 1u << 13, W_RARE = 1u << 14, W_LISTED = 1u << 15
};
static const char *const why_names[] = {
    "known name", "head word", "title before", "owner of a title", "given name", "acronym",
    "demonym", "locative suffix", "place word before", "multi-word", "capitalised elsewhere",
    "apostrophe suffix", "variant of a name in the text", "surname of a name in the text",
    "not a common word", "listed with a name"
};
/* Evidence that makes a lone capitalised word a name where every noun is
 * capitalised. */
#define W_STRONG (W_KNOWN | W_HEAD | W_TITLE | W_GIVEN | W_ACRONYM | W_DEMONYM | W_PLACE | W_VARIANT | W_SURNAME)

#define NCUE 16                      /* cue kinds + 1 */
#define AMBIG 0xffffffffu            /* index entry: two different names */

typedef struct cue {
    char *key;
    unsigned bits;                   /* 1 << ND_CUE_* */
    int caps_only;                   /* a known name written in capitals ("AB")
                                        names only words in capitals */
    char *head_type, *known_type;
} cue;

typedef struct dtok {
    size_t start, stop, stem_stop, suffix_start;
    size_t key, keylen;              /* fold key of the stem in d->keys */
    uint32_t cue;                    /* index + 1 into d->cues, or 0 */
    int kind;
    unsigned char cap, upper, initial, joined, letters;
    unsigned char abbr;              /* only "." and spaces since a title or an
                                        initial ("Dr. Ali", "B. Hakan") */
} dtok;

typedef struct cand {
    size_t a, b;                     /* first and last token */
    size_t start, stem_stop, suffix_start, stop;
    size_t key;                      /* base key in d->keys (NUL-terminated) */
    const char *type;
    unsigned why;
    int weak_type;                   /* typed by default only */
    size_t id;                       /* offset of the id in d->keys */
    int drop;
} cand;

struct nd_discover {
    unsigned flags;
    cue *cues; size_t ncues, capcues;
    nd__map map;                     /* hash of key -> cue index + 1 */
    char **lists[NCUE]; size_t nlist[NCUE], caplist[NCUE];   /* endings, stems */
    dtok *toks; size_t ntoks, captoks;
    cand *cands; size_t ncands, capcands;
    nd_found *found; size_t nfound, capfound;
    nd_buf keys, tmp, tmp2, why;
    nd__map seen;                    /* keys of capitalised non-initial words */
    nd__map stems;                   /* stem of a known name -> cue index + 1 */
    struct hsuf { char *end, *type; } *hsuf;   /* head endings ("-spor" ORG) */
    size_t nhsuf, caphsuf;
    int stems_built;
    int oom;                         /* a helper ran out of memory in this run */
    nd__map by_key, by_strong, by_last, by_evidence;   /* indexes over the
                                        candidates of a run (see name_index) */
    nd__map by_first, by_end;        /* token index + 1 -> candidate index + 1
                                        of the names that start / end there */
    Hunhandle *hun;                  /* common words, or NULL */
    char hun_lang[4];                /* casing for the lower-case form */
};

#define SEED 0x6e64646973636f76ull

static uint64_t hkey(const char *k, size_t n)
{
    uint64_t h = nd__hash_bytes(k, n, SEED);
    return h ? h : 1;
}

int nd_discover_new(nd_discover **d, unsigned flags)
{
    *d = nd__calloc(1, sizeof **d);
    if (!*d) return ND_ENOMEM;
    (*d)->flags = flags;
    return ND_OK;
}

void nd_discover_free(nd_discover *d)
{
    size_t i, k;
    if (!d) return;
    for (i = 0; i < d->ncues; i++) {
        nd_free(d->cues[i].key);
        nd_free(d->cues[i].head_type);
        nd_free(d->cues[i].known_type);
    }
    nd_free(d->cues);
    for (i = 0; i < d->nhsuf; i++) {
        nd_free(d->hsuf[i].end);
        nd_free(d->hsuf[i].type);
    }
    nd_free(d->hsuf);
    for (k = 0; k < NCUE; k++) {
        for (i = 0; i < d->nlist[k]; i++) nd_free(d->lists[k][i]);
        nd_free(d->lists[k]);
    }
    nd__map_free(&d->map);
    nd__map_free(&d->seen);
    nd__map_free(&d->stems);
    nd__map_free(&d->by_key);
    nd__map_free(&d->by_strong);
    nd__map_free(&d->by_last);
    nd__map_free(&d->by_evidence);
    nd__map_free(&d->by_first);
    nd__map_free(&d->by_end);
    if (d->hun) Hunspell_destroy(d->hun);
    nd_free(d->toks);
    nd_free(d->cands);
    nd_free(d->found);
    nd_buf_free(&d->keys);
    nd_buf_free(&d->tmp);
    nd_buf_free(&d->tmp2);
    nd_buf_free(&d->why);
    nd_free(d);
}

static const cue *find_cue(const nd_discover *d, const char *k, size_t n)
{
    uint32_t v = nd__map_get(&d->map, hkey(k, n));
    if (!v) return NULL;
    if (strlen(d->cues[v - 1].key) != n || memcmp(d->cues[v - 1].key, k, n) != 0) return NULL;
    return &d->cues[v - 1];
}

static int has(const cue *c, int kind)
{
    return c && (c->bits & (1u << kind));
}

/* Length of key k (n bytes) without ending number e (or with e == the
 * number of endings, the whole key); 0 when k does not end so or fewer
 * than three characters would be left.  Languages with Turkish suffixes
 * check them another way and have no endings here. */
static size_t strip_ending(const nd_discover *d, const char *k, size_t n, size_t e)
{
    size_t m, j, chars = 0;
    const char *x;
    if (e == d->nlist[ND_CUE_ENDING]) return n;
    x = d->lists[ND_CUE_ENDING][e];
    m = strlen(x);
    if ((d->flags & ND_DISCOVER_TR) || m >= n || memcmp(k + n - m, x, m) != 0) return 0;
    for (j = 0; j < n - m; j++) chars += ((unsigned char)k[j] & 0xC0) != 0x80;
    return chars >= 3 ? n - m : 0;
}

/* Every stem of every known name (the name less one of the endings). */
static int build_stems(nd_discover *d)
{
    size_t i, e;
    nd__map_clear(&d->stems);
    for (i = 0; i < d->ncues; i++) {
        const char *k = d->cues[i].key;
        size_t n = strlen(k), m;
        if (!(d->cues[i].bits & (1u << ND_CUE_KNOWN)) || memchr(k, ' ', n)) continue;
        for (e = 0; e < d->nlist[ND_CUE_ENDING]; e++)
            if ((m = strip_ending(d, k, n, e)) && nd__map_put(&d->stems, hkey(k, m), (uint32_t)i + 1) != ND_OK)
                return ND_ENOMEM;
    }
    d->stems_built = 1;
    return ND_OK;
}

/* The known-name cue for key k: exact, or (languages with endings) a known
 * one-word name with the same stem ("России" ~ "Россия", "Путина" ~ "Путин"). */
static const cue *find_known(const nd_discover *d, const char *k, size_t n)
{
    const cue *c = find_cue(d, k, n);
    size_t e, m;
    if (c && (c->bits & (1u << ND_CUE_KNOWN))) return c;
    if ((d->flags & ND_DISCOVER_TR) || memchr(k, ' ', n)) return NULL;
    for (e = 0; e < d->nlist[ND_CUE_ENDING]; e++) {
        uint32_t v;
        if (!(m = strip_ending(d, k, n, e))) continue;
        if ((c = find_cue(d, k, m)) && (c->bits & (1u << ND_CUE_KNOWN))) return c;
        if ((v = nd__map_get(&d->stems, hkey(k, m))) != 0) return &d->cues[v - 1];
    }
    return NULL;
}

static void letters(const char *s, size_t n, unsigned *count, int *allup);

int nd_discover_add(nd_discover *d, int kind, const char *type, const char *word, size_t len)
{
    int rc;
    uint32_t v;
    cue *c;
    if (kind < ND_CUE_STOP || kind >= NCUE) return ND_EINVAL;
    if ((kind == ND_CUE_HEAD || kind == ND_CUE_KNOWN) && (!type || !*type)) return ND_EINVAL;
    rc = nd_rules_entity_id(&d->tmp, word, len);
    if (rc != ND_OK) return rc;
    if (kind == ND_CUE_HEAD && len > 1 && word[0] == '-') {     /* a head ending: "-spor" */
        struct hsuf *h;
        if (GROW(d->hsuf, d->caphsuf, d->nhsuf + 1) != ND_OK) return ND_ENOMEM;
        h = &d->hsuf[d->nhsuf];
        h->end = nd__strndup(d->tmp.ptr, d->tmp.len);
        h->type = nd__strndup(type, strlen(type));
        if (!h->end || !h->type) {
            nd_free(h->end);
            nd_free(h->type);
            return ND_ENOMEM;
        }
        d->nhsuf++;
        return ND_OK;
    }
    if (kind == ND_CUE_ENDING || kind == ND_CUE_DEMONYM || kind == ND_CUE_NOUN_ENDING || kind == ND_CUE_DERIVED) {
        char *s;
        if (GROW(d->lists[kind], d->caplist[kind], d->nlist[kind] + 1) != ND_OK) return ND_ENOMEM;
        if (!(s = nd__strndup(d->tmp.ptr, d->tmp.len))) return ND_ENOMEM;
        d->lists[kind][d->nlist[kind]++] = s;
        if (kind != ND_CUE_DEMONYM) return ND_OK;   /* a demonym is a word too */
    }
    v = nd__map_get(&d->map, hkey(d->tmp.ptr, d->tmp.len));
    if (v && strcmp(d->cues[v - 1].key, d->tmp.ptr) != 0) return ND_OK;  /* 64-bit clash: drop */
    if (!v) {
        if (GROW(d->cues, d->capcues, d->ncues + 1) != ND_OK) return ND_ENOMEM;
        c = &d->cues[d->ncues];
        memset(c, 0, sizeof *c);
        if (!(c->key = nd__strndup(d->tmp.ptr, d->tmp.len))) return ND_ENOMEM;
        if (nd__map_put(&d->map, hkey(d->tmp.ptr, d->tmp.len), (uint32_t)d->ncues + 1) != ND_OK) {
            nd_free(c->key);
            return ND_ENOMEM;
        }
        d->ncues++;
    } else {
        c = &d->cues[v - 1];
    }
    c->bits |= 1u << kind;
    d->stems_built = 0;
    if (kind == ND_CUE_KNOWN) {
        unsigned nl;
        int up;
        letters(word, len, &nl, &up);
        c->caps_only = up && nl >= 2 && !memchr(d->tmp.ptr, ' ', d->tmp.len);
    }
    if (kind == ND_CUE_HEAD || kind == ND_CUE_KNOWN) {
        char **slot = kind == ND_CUE_HEAD ? &c->head_type : &c->known_type;
        char *t = nd__strndup(type, strlen(type));
        if (!t) return ND_ENOMEM;
        nd_free(*slot);
        *slot = t;
    }
    return ND_OK;
}

static int readable(const char *path)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (f) fclose(f);
    return f != NULL;
}

/* Hunspell keeps its own memory (outside nd_set_allocator). */
int nd_discover_dictionary(nd_discover *d, const char *aff_path, const char *dic_path, const char *lang)
{
    Hunhandle *h;
    if (!readable(aff_path) || !readable(dic_path)) return ND_EIO;
    h = Hunspell_create(aff_path, dic_path);
    if (!h) return ND_ENOMEM;
    if (d->hun) Hunspell_destroy(d->hun);
    d->hun = h;
    d->hun_lang[0] = '\0';
    if (lang && nd_text_turkic(lang)) memcpy(d->hun_lang, "tr", 3);
    return ND_OK;
}

/* ---- tokens -------------------------------------------------------------- */

static int32_t first_cp(const char *s, size_t n)
{
    utf8proc_int32_t c = -1;
    if (n) utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c);
    return c;
}

static int is_upper_cp(int32_t c)
{
    utf8proc_category_t k = c < 0 ? UTF8PROC_CATEGORY_CN : utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT;
}

/* Letters in s[0..n), and whether every letter is upper case. */
static void letters(const char *s, size_t n, unsigned *count, int *allup)
{
    size_t i = 0;
    *count = 0;
    *allup = 1;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
        utf8proc_category_t cat;
        if (k < 1) { i++; continue; }
        i += (size_t)k;
        cat = utf8proc_category(c);
        if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
            ++*count;
            if (cat != UTF8PROC_CATEGORY_LU && cat != UTF8PROC_CATEGORY_LT) *allup = 0;
        }
    }
}

/* Whether the gap s[0..n) between two tokens ends a sentence. */
static int gap_ends_sentence(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '\n' || c == '\r' || c == '"') return 1;
        if (c == '\'' && (i == 0 || s[i - 1] == ' ')) return 1;        /* an opening quote */
        if (i + 2 < n && (unsigned char)c == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0xA6 || (unsigned char)s[i + 2] == 0xA2 ||      /* … • */
             (unsigned char)s[i + 2] == 0x9C || (unsigned char)s[i + 2] == 0x9E)) return 1; /* “ „ */
        if (i + 1 < n && (unsigned char)c == 0xC2 && (unsigned char)s[i + 1] == 0xAB) return 1;  /* « */
    }
    return 0;
}

static int gap_is_space(const char *s, size_t n)
{
    size_t i;
    if (!n) return 0;
    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t') return 0;
    return 1;
}

/* Append the entity id of s[0..n) to d->keys, NUL-terminated; *off is
 * where it starts.  ND_EINVAL when s has no letter or digit. */
/* nd_rules_entity_id into b for the helpers that only ask "is there a key":
 * 0 when there is none, and running out of memory is remembered for
 * nd_discover_run to report. */
static int key_of(nd_discover *d, nd_buf *b, const char *s, size_t n)
{
    int rc = nd_rules_entity_id(b, s, n);
    if (rc == ND_ENOMEM) d->oom = 1;
    return rc == ND_OK;
}

static int push_key(nd_discover *d, const char *s, size_t n, size_t *off)
{
    int rc = nd_rules_entity_id(&d->tmp, s, n);
    if (rc != ND_OK) return rc;
    *off = d->keys.len;
    return nd_buf_append(&d->keys, d->tmp.ptr, d->tmp.len + 1);
}

static const cue *tcue(const nd_discover *d, const dtok *t)
{
    return t->cue ? &d->cues[t->cue - 1] : NULL;
}

static int tokenize(nd_discover *d, const char *s, size_t len)
{
    nd_tokenizer tz;
    nd_token t;
    size_t prev_stop = 0;
    int prev_kind = 0, rc;
    d->ntoks = 0;
    nd_tokenizer_init(&tz, s, len);
    while (nd_tokenizer_next(&tz, &t)) {
        dtok *k;
        unsigned n;
        int up;
        const char *gap = s + prev_stop;
        size_t gaplen = t.start - prev_stop;
        if (GROW(d->toks, d->captoks, d->ntoks + 1) != ND_OK) return ND_ENOMEM;
        k = &d->toks[d->ntoks];
        memset(k, 0, sizeof *k);
        k->start = t.start;
        k->stop = t.stop;
        k->stem_stop = t.stem_stop;
        k->suffix_start = t.suffix_start;
        k->kind = t.kind;
        k->initial = d->ntoks == 0 || gap_ends_sentence(gap, gaplen);
        if (k->initial && prev_kind == ND_TOKEN_NUMBER && gaplen >= 1 && gap[0] == '.' &&
            !gap_ends_sentence(gap + 1, gaplen - 1))
            k->initial = 0;                      /* "20. Jahrhundert", "1. FC" */
        k->joined = d->ntoks > 0 && gap_is_space(gap, gaplen);
        if (d->ntoks > 0 && gaplen >= 2 && ((gap[0] == '.' && gap_is_space(gap + 1, gaplen - 1)) ||
                                            (gaplen >= 3 && gap[0] == ' ' && gap[1] == '.' &&
                                             gap_is_space(gap + 2, gaplen - 2)))) {
            const dtok *p = &d->toks[d->ntoks - 1];
            if (p->kind == ND_TOKEN_WORD && ((p->cap && p->letters == 1) || has(tcue(d, p), ND_CUE_TITLE))) {
                k->abbr = 1;
                k->initial = 0;
            }
        }
        prev_stop = t.stop;
        prev_kind = t.kind;
        if (t.kind != ND_TOKEN_WORD) {
            d->ntoks++;
            continue;
        }
        letters(s + t.start, t.stem_stop - t.start, &n, &up);
        k->letters = (unsigned char)(n > 255 ? 255 : n);
        k->cap = is_upper_cp(first_cp(s + t.start, t.stem_stop - t.start));
        k->upper = k->cap && up && n >= 2;
        rc = push_key(d, s + t.start, t.stem_stop - t.start, &k->key);
        if (rc == ND_ENOMEM) return rc;
        if (rc == ND_OK) {
            const cue *c;
            k->keylen = strlen(d->keys.ptr + k->key);
            c = find_cue(d, d->keys.ptr + k->key, k->keylen);
            k->cue = c ? (uint32_t)(c - d->cues) + 1 : 0;
        } else {
            k->kind = 0;                         /* no letter: not a word */
        }
        d->ntoks++;
    }
    return ND_OK;
}


static const char *tkey(const nd_discover *d, const dtok *t)
{
    return d->keys.ptr + t->key;
}

/* Is word t, in lower case, a common word of the dictionary?  Where every
 * noun is capitalised (ND_DISCOVER_NOUNS) the word is looked up as written:
 * the dictionary knows "Zeitung", not "Begrich". */
static int common_word(nd_discover *d, const char *s, const dtok *t)
{
    if (!d->hun || t->kind != ND_TOKEN_WORD) return 0;
    if (d->flags & ND_DISCOVER_NOUNS) {
        if (nd_buf_reserve(&d->tmp2, t->stem_stop - t->start + 1) != ND_OK) {
            d->oom = 1;
            return 0;
        }
        memcpy(d->tmp2.ptr, s + t->start, t->stem_stop - t->start);
        d->tmp2.len = t->stem_stop - t->start;
        d->tmp2.ptr[d->tmp2.len] = '\0';
        return Hunspell_spell(d->hun, d->tmp2.ptr) != 0;
    }
    if (nd_text_lower(&d->tmp2, s + t->start, t->stem_stop - t->start, d->hun_lang[0] ? d->hun_lang : NULL) != ND_OK) {
        d->oom = 1;
        return 0;
    }
    if (!d->tmp2.len) return 0;
    return Hunspell_spell(d->hun, d->tmp2.ptr) != 0;
}

/* ---- runs ---------------------------------------------------------------- */

/* A word that can be part of a name run. */
static int name_word(const nd_discover *d, const dtok *t)
{
    const cue *c = tcue(d, t);
    if (t->kind != ND_TOKEN_WORD || !t->cap) return 0;
    if (has(c, ND_CUE_TITLE) || has(c, ND_CUE_TITLE_AFTER) || (has(c, ND_CUE_STOP) && !has(c, ND_CUE_KNOWN)))
        return 0;
    return 1;
}

/* Does key k (n bytes) end with `end`? */
static int ends_with(const char *k, size_t n, const char *end)
{
    size_t m = strlen(end);
    return m < n && memcmp(k + n - m, end, m) == 0;
}

/* Bytes of the last `chars` characters of s[0..n). */
static size_t tail_bytes(const char *s, size_t n, size_t chars)
{
    size_t i = n;
    while (i > 0 && chars) {
        i--;
        if (((unsigned char)s[i] & 0xC0) != 0x80) chars--;
    }
    return n - i;
}

static size_t count_chars(const char *s, size_t n)
{
    size_t i, c = 0;
    for (i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Is word t a demonym stem plus an ending?  *stem gets the bytes of the
 * stem in the original word.  With ND_DISCOVER_TR the rest after the stem
 * is a Turkish suffix chain, checked on the original text. */
static int demonym(const nd_discover *d, const char *s, const dtok *t, size_t *stem)
{
    const char *k = tkey(d, t), *w = s + t->start;
    size_t i, j, n = t->keylen, wn = t->stem_stop - t->start;
    for (i = 0; i < d->nlist[ND_CUE_DEMONYM]; i++) {
        const char *st = d->lists[ND_CUE_DEMONYM][i];
        size_t m = strlen(st);
        if (m > n || memcmp(k, st, m) != 0) continue;
        if (m == n) {
            *stem = wn;
            return 1;
        }
        if (d->flags & ND_DISCOVER_TR) {
            size_t sb = wn - tail_bytes(w, wn, count_chars(k + m, n - m));
            if (nd__tr_suffix_ok(w, sb, w + sb, wn - sb)) {
                *stem = sb;
                return 1;
            }
            continue;
        }
        for (j = 0; j < d->nlist[ND_CUE_ENDING]; j++)
            if (strcmp(k + m, d->lists[ND_CUE_ENDING][j]) == 0) {
                *stem = wn - tail_bytes(w, wn, count_chars(k + m, n - m));
                return 1;
            }
    }
    return 0;
}

/* Turkish: the word is a known place plus -lI and maybe more suffixes
 * ("Suriyeli", "Ankaralılar"); *stem gets the bytes through -lI. */
static int tr_demonym(nd_discover *d, const char *s, const dtok *t, size_t *stem)
{
    size_t p;
    const char *w = s + t->start;
    size_t n = t->stem_stop - t->start;
    for (p = n; p > 1; p--) {
        const cue *c;
        if (w[p - 1] != 'l' || p >= n) continue;
        if (!key_of(d, &d->tmp2, w, p - 1)) continue;
        c = find_cue(d, d->tmp2.ptr, d->tmp2.len);
        if (!has(c, ND_CUE_KNOWN) || !c->known_type || strcmp(c->known_type, "LOC") != 0) continue;
        if (nd__tr_suffix_ok(w, p - 1, w + p - 1, n - p + 1)) {
            size_t q = p + 1;
            while (q < n && ((unsigned char)w[q] & 0xC0) == 0x80) q++;
            *stem = q;
            return 1;
        }
    }
    return 0;
}

static int add_cand(nd_discover *d, size_t a, size_t b)
{
    cand *c;
    if (GROW(d->cands, d->capcands, d->ncands + 1) != ND_OK) return ND_ENOMEM;
    c = &d->cands[d->ncands++];
    memset(c, 0, sizeof *c);
    c->a = a;
    c->b = b;
    return ND_OK;
}

static int range_known(nd_discover *d, const char *s, size_t x, size_t y, const char **type);

/* Does a word of tokens a..b type a name (ND_CUE_HEAD)? */
static int has_head(const nd_discover *d, size_t a, size_t b)
{
    size_t i;
    for (i = a; i <= b; i++)
        if (has(tcue(d, &d->toks[i]), ND_CUE_HEAD)) return 1;
    return 0;
}

/* Does a capitalised stop word at token i start a known name of two or
 * three words ("Yeni Delhi", "Yeni Zelanda")? */
static int starts_known(nd_discover *d, const char *s, size_t i)
{
    const dtok *T = d->toks;
    const char *type;
    size_t k;
    if (T[i].kind != ND_TOKEN_WORD || !T[i].cap || !has(tcue(d, &T[i]), ND_CUE_STOP)) return 0;
    for (k = i + 1; k < d->ntoks && k <= i + 2; k++) {
        if (!T[k].joined || !name_word(d, &T[k]) || T[k - 1].suffix_start < T[k - 1].stop) return 0;
        if (range_known(d, s, i, k, &type)) return 1;
    }
    return 0;
}

static int find_runs(nd_discover *d, const char *s)
{
    size_t i = 0, n = d->ntoks;
    d->ncands = 0;
    while (i < n) {
        size_t j, last, num;
        if (!name_word(d, &d->toks[i]) && !starts_known(d, s, i)) {
            const dtok *t = &d->toks[i];
            size_t stem;
            if (t->kind == ND_TOKEN_WORD && !t->cap && demonym(d, s, t, &stem) &&
                add_cand(d, i, i) != ND_OK) return ND_ENOMEM;
            i++;
            continue;
        }
        last = i;
        j = i + 1;
        num = 0;
        while (d->toks[last].suffix_start == d->toks[last].stop && j < n) {
            const dtok *t = &d->toks[j];
            /* a number inside a name that a head word ends ("Çanakkale 18 Mart
             * Üniversitesi"); without the head word the run stops before it */
            if (t->joined && t->kind == ND_TOKEN_NUMBER && j + 1 < n && d->toks[j + 1].joined &&
                d->toks[j + 1].kind == ND_TOKEN_WORD && d->toks[j + 1].cap &&
                !has(tcue(d, &d->toks[j + 1]), ND_CUE_TITLE)) {
                if (!num) num = j;
                last = j + 1;
                j += 2;
                continue;
            }
            /* "B. Hakan": an initial and the name after it are one name */
            if (!t->joined && !(t->abbr && d->toks[last].letters == 1 && j == last + 1)) break;
            if (name_word(d, t)) {
                last = j++;
                continue;
            }
            if (t->kind == ND_TOKEN_WORD && !t->cap && has(tcue(d, t), ND_CUE_CONNECT) && j + 1 < n &&
                d->toks[j + 1].joined && name_word(d, &d->toks[j + 1])) {
                last = j + 1;
                j += 2;
                continue;
            }
            break;
        }
        if (num && !has_head(d, num, last)) last = num - 1;
        /* a lower-case head word right after the run closes it: "Курской области" */
        if (last + 1 < n && d->toks[last].suffix_start == d->toks[last].stop && d->toks[last + 1].joined &&
            d->toks[last + 1].kind == ND_TOKEN_WORD && !d->toks[last + 1].cap &&
            has(tcue(d, &d->toks[last + 1]), ND_CUE_HEAD))
            last++;
        if (add_cand(d, i, last) != ND_OK) return ND_ENOMEM;
        i = last + 1;
    }
    return ND_OK;
}

/* ---- two names in one run --------------------------------------------- */

/* Is [x..y] a known name?  With ND_DISCOVER_TR its last word may carry
 * suffixes with no apostrophe ("Rusyaya").  *type receives its type. */
static int range_known(nd_discover *d, const char *s, size_t x, size_t y, const char **type)
{
    const dtok *X = &d->toks[x], *Y = &d->toks[y];
    const cue *c;
    size_t p, n = Y->stem_stop - Y->start;
    if (!key_of(d, &d->tmp2, s + X->start, Y->stem_stop - X->start)) return 0;
    if ((c = find_known(d, d->tmp2.ptr, d->tmp2.len)) != NULL) {
        *type = c->known_type;
        return 1;
    }
    if (!(d->flags & ND_DISCOVER_TR) || Y->suffix_start < Y->stop || Y->upper) return 0;
    for (p = n - 1; p >= 2; p--) {
        const char *w = s + Y->start;
        if (((unsigned char)w[p] & 0xC0) == 0x80) continue;
        if (!key_of(d, &d->tmp2, s + X->start, Y->start + p - X->start)) continue;
        c = find_cue(d, d->tmp2.ptr, d->tmp2.len);
        if (has(c, ND_CUE_KNOWN) && nd__tr_suffix_ok(w, p, w + p, n - p)) {
            *type = c->known_type;
            return 1;
        }
    }
    return 0;
}

/* Cut a run that holds two names: a known name, then a known name or a
 * given name ("Erdoğan Rusyaya", "России Владимир Путин"), or a given
 * name, then a known place or organisation; outside Turkish (where "Türk
 * Telekom" is one name) a demonym before two or more words no head word
 * types ("German Dietmar Beiersdorfer").  A run known as a whole stays. */
static int split_runs(nd_discover *d, const char *s)
{
    size_t i, j, n0 = d->ncands;
    for (i = 0; i < n0; i++) {
        size_t a = d->cands[i].a, b = d->cands[i].b;
        const char *t1, *t2;
        if (b == a || !d->toks[a].cap || range_known(d, s, a, b, &t1)) continue;
        if (!(d->flags & ND_DISCOVER_TR) && b >= a + 2 && demonym(d, s, &d->toks[a], &j) && !has_head(d, a, b)) {
            if (add_cand(d, a + 1, b) != ND_OK) return ND_ENOMEM;    /* "German Dietmar Beiersdorfer" */
            d->cands[i].b = a;
            continue;
        }
        for (j = a + 1; j <= b; j++) {
            int p = range_known(d, s, a, j - 1, &t1), q = range_known(d, s, j, b, &t2);
            int gp = has(tcue(d, &d->toks[a]), ND_CUE_GIVEN), gs = has(tcue(d, &d->toks[j]), ND_CUE_GIVEN);
            if ((p && (q || gs)) || (q && gp && strcmp(t2, "PERSON") != 0)) {
                if (add_cand(d, j, b) != ND_OK) return ND_ENOMEM;
                d->cands[i].b = j - 1;
                break;
            }
        }
    }
    return ND_OK;
}

/* ---- typing -------------------------------------------------------------- */

static int is_title_at(const nd_discover *d, size_t i)
{
    return i < d->ntoks && d->toks[i].kind == ND_TOKEN_WORD && has(tcue(d, &d->toks[i]), ND_CUE_TITLE);
}

/* Fill c's byte span and base key from its tokens. */
static int span_key(nd_discover *d, const char *s, cand *c)
{
    const dtok *A = &d->toks[c->a], *B = &d->toks[c->b];
    c->start = A->start;
    c->stop = B->stop;
    c->stem_stop = B->stem_stop;
    c->suffix_start = B->suffix_start;
    return push_key(d, s + c->start, c->stem_stop - c->start, &c->key);
}

static int confirmed(nd_discover *d, const char *s, const dtok *t)
{
    const cue *c = tcue(d, t);
    size_t i;
    if (has(c, ND_CUE_KNOWN) || has(c, ND_CUE_GIVEN) || has(c, ND_CUE_DEMONYM))
        return 1;
    if ((d->flags & ND_DISCOVER_APOS) && t->suffix_start < t->stop) return 1;
    if (t->upper && t->letters <= 5) return 1;
    for (i = 0; i < d->nhsuf; i++)
        if (ends_with(tkey(d, t), t->keylen, d->hsuf[i].end)) return 1;
    if (demonym(d, s, t, &i)) return 1;
    return nd__map_get(&d->seen, hkey(tkey(d, t), t->keylen)) != 0;
}

/* Trim and type candidate c.  Sets c->drop for a run with no name left. */
static int type_cand(nd_discover *d, const char *s, cand *c)
{
    const dtok *T = d->toks;
    const cue *k;
    size_t i;
    int rc;
    /* a run before a title: its trailing title modifiers are no name */
    if (T[c->a].cap && is_title_at(d, c->b + 1)) {
        while (has(tcue(d, &T[c->b]), ND_CUE_TITLE_MOD)) {
            if (c->b == c->a) { c->drop = 1; return ND_OK; }
            c->b--;
        }
        c->why |= W_OWNER;
    }
    /* stop words never start a name */
    while (c->a < c->b && has(tcue(d, &T[c->a]), ND_CUE_STOP) && !starts_known(d, s, c->a)) c->a++;
    /* a sentence opener counts only when the text confirms it: alone it is
     * dropped, before confirmed words it is cut off ("Bugün ABD'de"), before
     * unconfirmed ones the run stays whole ("Helmut Kohl'ün") */
    if (T[c->a].initial && T[c->a].cap) {
        if (confirmed(d, s, &T[c->a])) {
            if (nd__map_get(&d->seen, hkey(tkey(d, &T[c->a]), T[c->a].keylen))) c->why |= W_SEEN;
        } else if (c->a == c->b) {
            int honorific = c->b + 1 < d->ntoks && T[c->b + 1].joined && T[c->b + 1].kind == ND_TOKEN_WORD &&
                            has(tcue(d, &T[c->b + 1]), ND_CUE_TITLE_AFTER);
            if (!honorific && (!d->hun || common_word(d, s, &T[c->a]) || T[c->a].upper)) {
                c->drop = 1;
                return ND_OK;
            }
            c->why |= W_RARE;             /* capitalised, and no common word */
        } else {
            for (i = c->a + 1; i <= c->b; i++) {
                const cue *w = tcue(d, &T[i]);
                if (has(w, ND_CUE_KNOWN) || has(w, ND_CUE_GIVEN) ||
                    ((d->flags & ND_DISCOVER_APOS) && T[i].suffix_start < T[i].stop))
                    break;
            }
            /* "Cenk BAŞLAMIŞ": a given name and a surname in capitals (a byline) */
            if (c->b == c->a + 1 && T[c->b].upper && !T[c->a].upper && T[c->b].letters > 3) i = c->b + 1;
            else if (common_word(d, s, &T[c->a])) i = c->a;
            /* a confirmed word later cuts off an opener the dictionary knows
             * ("Dün Ankara'da"), not a rare one ("Abdi İpekçi Salonu'nda") */
            if (i == c->a || (i <= c->b && (!d->hun || common_word(d, s, &T[c->a])))) c->a++;
        }
    }
    if ((rc = span_key(d, s, c)) != ND_OK) return rc;
    if (c->a > 0 && T[c->a - 1].kind == ND_TOKEN_WORD && (T[c->a].joined || T[c->a].abbr)) {
        const cue *p = tcue(d, &T[c->a - 1]);
        if (has(p, ND_CUE_TITLE)) c->why |= W_TITLE;
        if (has(p, ND_CUE_PLACE_BEFORE) && !T[c->a - 1].cap) c->why |= W_PLACE;
    }
    if (c->b > c->a) c->why |= W_MULTI;
    if ((d->flags & ND_DISCOVER_APOS) && T[c->b].suffix_start < T[c->b].stop) c->why |= W_APOS;

    /* the type, strongest evidence first */
    k = find_known(d, d->keys.ptr + c->key, strlen(d->keys.ptr + c->key));
    if (k && k->caps_only && !T[c->a].upper) k = NULL;        /* "Ab 9 Uhr" is not the EU */
    if (k) {
        c->type = k->known_type;
        c->why |= W_KNOWN;
        if (strcmp(k->key, d->keys.ptr + c->key) != 0) {     /* an inflected form: the known id */
            c->key = d->keys.len;
            if (nd_buf_append(&d->keys, k->key, strlen(k->key) + 1) != ND_OK) return ND_ENOMEM;
        }
        return ND_OK;
    }
    if (c->a == c->b && (demonym(d, s, &T[c->a], &i) ||
                         ((d->flags & ND_DISCOVER_TR) && T[c->a].cap && tr_demonym(d, s, &T[c->a], &i)))) {
        c->type = "NORP";
        c->why |= W_DEMONYM;
        if (T[c->a].suffix_start == T[c->a].stop && T[c->a].start + i < c->stem_stop) {
            c->stem_stop = c->suffix_start = T[c->a].start + i;
            if ((rc = push_key(d, s + c->start, c->stem_stop - c->start, &c->key)) != ND_OK) return rc;
        }
        return ND_OK;
    }
    if (c->a == c->b && has(tcue(d, &T[c->a]), ND_CUE_HEAD) && !T[c->a].upper) {
        c->drop = 1;                          /* a head word alone: "Partisi", "Zeitung" */
        return ND_OK;
    }
    for (i = c->b + 1; i-- > c->a;) {
        const cue *h = tcue(d, &T[i]);
        size_t j;
        if (has(h, ND_CUE_HEAD)) {
            c->type = h->head_type;
            c->why |= W_HEAD;
            return ND_OK;
        }
        for (j = 0; j < d->nhsuf; j++)
            if (ends_with(tkey(d, &T[i]), T[i].keylen, d->hsuf[j].end)) {
                c->type = d->hsuf[j].type;
                c->why |= W_HEAD;
                return ND_OK;
            }
    }
    if (c->b + 1 < d->ntoks && T[c->b + 1].joined && T[c->b].suffix_start == T[c->b].stop &&
        T[c->b + 1].kind == ND_TOKEN_WORD && has(tcue(d, &T[c->b + 1]), ND_CUE_TITLE_AFTER))
        c->why |= W_TITLE;                    /* "Nedim Abi", "Abdi Bey" */
    if (c->why & W_TITLE) {
        c->type = "PERSON";
        return ND_OK;
    }
    if (has(tcue(d, &T[c->a]), ND_CUE_GIVEN) && !T[c->a].upper) {
        c->type = "PERSON";
        c->why |= W_GIVEN;
        return ND_OK;
    }
    if (c->a == c->b && T[c->a].upper && T[c->a].letters <= 5) {
        c->type = "ORG";
        c->why |= W_ACRONYM;
        return ND_OK;
    }
    if (c->why & W_OWNER) {
        c->type = "ORG";
        return ND_OK;
    }
    if (c->why & W_PLACE) {
        c->type = "LOC";
        return ND_OK;
    }
    if ((d->flags & ND_DISCOVER_TR) && T[c->b].suffix_start < T[c->b].stop) {
        const char *x = s + T[c->b].suffix_start;
        size_t xn = T[c->b].stop - T[c->b].suffix_start;
        if (xn >= 2 && (x[0] == 'd' || x[0] == 't') && (x[1] == 'a' || x[1] == 'e')) {
            c->type = "LOC";
            c->why |= W_LOCATIVE;
            return ND_OK;
        }
    }
    c->type = "PERSON";
    c->weak_type = 1;
    return ND_OK;
}

/* ---- variants ------------------------------------------------------------ */

static int known_or_found(nd_discover *d, const char *k, size_t n, const cand *self, const char **type)
{
    size_t i;
    const cue *c = find_known(d, k, n);
    if (c) {
        *type = c->known_type;
        return 1;
    }
    i = nd__map_get(&d->by_key, hkey(k, n));
    if (i && i != AMBIG && &d->cands[i - 1] != self && !d->cands[i - 1].drop &&
        strlen(d->keys.ptr + d->cands[i - 1].key) == n && memcmp(d->keys.ptr + d->cands[i - 1].key, k, n) == 0) {
        *type = d->cands[i - 1].type;
        return 1;
    }
    return 0;
}

/* Does suffix x (n bytes) start with a derivational suffix
 * (ND_CUE_DERIVED), which makes a new word of a name: "Beşiktaşlı"? */
static int derived(nd_discover *d, const char *x, size_t n)
{
    size_t j;
    if (!d->nlist[ND_CUE_DERIVED] || !key_of(d, &d->tmp, x, n)) return 0;
    for (j = 0; j < d->nlist[ND_CUE_DERIVED]; j++) {
        const char *e = d->lists[ND_CUE_DERIVED][j];
        if (strncmp(d->tmp.ptr, e, strlen(e)) == 0) return 1;
    }
    return 0;
}

/* A last word with no apostrophe suffix may be a name in the text (or a
 * known one) plus a suffix: "Rusyaya", "Путина", "Merkels". */
static int split_variant(nd_discover *d, const char *s, cand *c)
{
    const dtok *B = &d->toks[c->b];
    size_t p, n = B->stem_stop - B->start;
    const char *w = s + B->start;
    if (B->suffix_start < B->stop || B->upper || strcmp(c->type, "NORP") == 0 || (c->why & W_KNOWN)) return ND_OK;
    for (p = n - 1; p >= 2; p--) {
        const char *type;
        size_t j;
        int ok = 0;
        if (((unsigned char)w[p] & 0xC0) == 0x80) continue;
        if (!key_of(d, &d->tmp2, s + c->start, (size_t)(w + p - (s + c->start)))) continue;
        if (!known_or_found(d, d->tmp2.ptr, d->tmp2.len, c, &type)) continue;
        if (d->flags & ND_DISCOVER_TR) {
            ok = nd__tr_suffix_ok(w, p, w + p, n - p);
            if (ok && derived(d, w + p, n - p)) {   /* "Beşiktaşlı": of the club, not the club */
                c->drop = 1;
                return ND_OK;
            }
        } else if (key_of(d, &d->tmp, w + p, n - p)) {
            for (j = 0; j < d->nlist[ND_CUE_ENDING] && !ok; j++)
                ok = strcmp(d->tmp.ptr, d->lists[ND_CUE_ENDING][j]) == 0;
        }
        if (!ok) continue;
        c->stem_stop = B->start + p;
        c->suffix_start = B->start + p;
        c->key = d->keys.len;
        if (nd_buf_append(&d->keys, d->tmp2.ptr, d->tmp2.len + 1) != ND_OK) return ND_ENOMEM;
        c->why |= W_VARIANT;
        if (c->weak_type || (c->why & W_LOCATIVE)) {
            c->type = type;
            c->weak_type = 0;
        }
        return ND_OK;
    }
    return ND_OK;
}

/* Put candidate idx into m under key k (n bytes) and, in languages with
 * endings, under each stem of k.  The first candidate stays; with
 * ambiguous = 1 a second one with another key marks the entry AMBIG. */
static int index_put(nd_discover *d, nd__map *m, const char *k, size_t n, size_t idx, int ambiguous)
{
    size_t e, ne = d->nlist[ND_CUE_ENDING];
    for (e = 0; e <= ne; e++) {
        size_t len = strip_ending(d, k, n, e);
        uint64_t h;
        uint32_t old;
        if (!len) continue;
        h = hkey(k, len);
        old = nd__map_get(m, h);
        if (!old) {
            if (nd__map_put(m, h, (uint32_t)idx + 1) != ND_OK) return ND_ENOMEM;
        } else if (ambiguous && old != AMBIG &&
                   strcmp(d->keys.ptr + d->cands[old - 1].key, d->keys.ptr + d->cands[idx].key) != 0) {
            if (nd__map_put(m, h, AMBIG) != ND_OK) return ND_ENOMEM;
        }
    }
    return ND_OK;
}

/* The entry of key k in m: the whole key first, then its stems; 0 if none. */
static uint32_t index_get(const nd_discover *d, const nd__map *m, const char *k, size_t n)
{
    size_t e, ne = d->nlist[ND_CUE_ENDING];
    uint32_t v = nd__map_get(m, hkey(k, n));
    for (e = 0; !v && e < ne; e++) {
        size_t len = strip_ending(d, k, n, e);
        if (len) v = nd__map_get(m, hkey(k, len));
    }
    return v;
}

/* A lone word that is the last word of exactly one longer PERSON name in
 * the text is that person; a weakly typed name seen with a strong type
 * elsewhere takes that type.  Indexes keep it linear in the names. */
static int merge_names(nd_discover *d)
{
    size_t i;
    nd__map_clear(&d->by_strong);
    nd__map_clear(&d->by_last);
    for (i = 0; i < d->ncands; i++) {
        const cand *o = &d->cands[i];
        const char *k = d->keys.ptr + o->key, *last;
        if (o->drop) continue;
        if (!o->weak_type && index_put(d, &d->by_strong, k, strlen(k), i, 0) != ND_OK) return ND_ENOMEM;
        if (o->b > o->a && strcmp(o->type, "PERSON") == 0 && (last = strrchr(k, ' ')) != NULL &&
            index_put(d, &d->by_last, last + 1, strlen(last + 1), i, 1) != ND_OK)
            return ND_ENOMEM;
    }
    for (i = 0; i < d->ncands; i++) {
        cand *c = &d->cands[i];
        const char *k = d->keys.ptr + c->key;
        size_t n = strlen(k);
        uint32_t v;
        c->id = c->key;
        if (c->drop) continue;
        if (c->weak_type && (v = index_get(d, &d->by_strong, k, n)) != 0 && v != i + 1) {
            c->type = d->cands[v - 1].type;
            c->weak_type = 0;
        }
        if (c->a == c->b && (c->weak_type || strcmp(c->type, "PERSON") == 0) &&
            (v = index_get(d, &d->by_last, k, n)) != 0 && v != AMBIG) {
            c->id = d->cands[v - 1].key;
            c->type = "PERSON";
            c->weak_type = 0;
            c->why |= W_SURNAME;
        }
    }
    return ND_OK;
}

/* ---- the run ------------------------------------------------------------- */

/* Is c's name written elsewhere in the text with evidence of its own (an
 * apostrophe suffix, a title, a known name...)?  Then "Sergen" alone is the
 * same name, though "sergen" is also a word.  (d->by_evidence) */
static int named_elsewhere(const nd_discover *d, const cand *c)
{
    const char *k = d->keys.ptr + c->key;
    return nd__map_get(&d->by_evidence, hkey(k, strlen(k))) != 0;
}

/* Is the gap s[x..y) a comma between spaces? */
static int gap_is_comma(const char *s, size_t x, size_t y)
{
    int commas = 0;
    for (; x < y; x++) {
        if (s[x] == ',') commas++;
        else if (s[x] != ' ') return 0;
    }
    return commas == 1;
}

/* The candidate (not dropped for good) that ends (end = 1) or starts at
 * token t, or NULL. */
static cand *cand_at(nd_discover *d, size_t t, int end)
{
    uint32_t v = nd__map_get(end ? &d->by_end : &d->by_first, (uint64_t)t + 1);
    return v && d->cands[v - 1].drop != 1 ? &d->cands[v - 1] : NULL;
}

/* The list neighbour of candidate c before (after = 0) or after it: the
 * name a comma or a list word (ND_CUE_LIST_AND) parts from it, or NULL. */
static cand *list_neighbour(nd_discover *d, const char *s, const cand *c, int after)
{
    const dtok *T = d->toks;
    size_t x, y;
    if (!after) {
        if (c->a == 0) return NULL;
        x = c->a - 1;
        if (gap_is_comma(s, T[x].stop, T[c->a].start)) return cand_at(d, x, 1);
        if (T[c->a].joined && T[x].kind == ND_TOKEN_WORD && !T[x].cap && has(tcue(d, &T[x]), ND_CUE_LIST_AND) &&
            x > 0 && T[x].joined)
            return cand_at(d, x - 1, 1);
        return NULL;
    }
    y = c->b + 1;
    if (y >= d->ntoks || T[c->b].suffix_start < T[c->b].stop) return NULL;
    if (gap_is_comma(s, T[c->b].stop, T[y].start)) return cand_at(d, y, 0);
    if (T[y].joined && T[y].kind == ND_TOKEN_WORD && !T[y].cap && has(tcue(d, &T[y]), ND_CUE_LIST_AND) &&
        y + 1 < d->ntoks && T[y + 1].joined)
        return cand_at(d, y + 1, 0);
    return NULL;
}

/* Candidates marked drop = 2 (a lone common word) stay when they stand in a
 * list beside a name that stays ("Hagi, Suat, Tugay ve Okan"): they take
 * its type.  The others are dropped (drop = 1). */
static int keep_listed(nd_discover *d, const char *s)
{
    size_t i;
    nd__map_clear(&d->by_first);
    nd__map_clear(&d->by_end);
    for (i = 0; i < d->ncands; i++) {
        const cand *c = &d->cands[i];
        if (c->drop == 1) continue;
        if (nd__map_put(&d->by_first, (uint64_t)c->a + 1, (uint32_t)i + 1) != ND_OK ||
            nd__map_put(&d->by_end, (uint64_t)c->b + 1, (uint32_t)i + 1) != ND_OK)
            return ND_ENOMEM;
    }
    for (i = 0; i < d->ncands; i++) {
        cand *c = &d->cands[i];
        const cand *n;
        int side;
        if (c->drop != 2) continue;
        c->drop = 1;
        if (!d->by_first.n) continue;
        for (side = 0; side < 2 && c->drop; side++) {
            n = list_neighbour(d, s, c, side);
            if (n && !n->drop && strcmp(n->type, "NORP") != 0) {
                c->drop = 0;
                c->type = n->type;
                c->weak_type = 0;
                c->why |= W_LISTED;
            }
        }
    }
    return ND_OK;
}

/* Where every noun is capitalised, a run needs evidence beyond its capitals;
 * a lone word the dictionary does not know is such evidence. */
static int noun_like(nd_discover *d, const char *s, cand *c)
{
    const dtok *T = d->toks;
    size_t i, j;
    if (c->why & (W_STRONG | W_RARE)) return 0;
    if (c->a > 0 && T[c->a - 1].kind == ND_TOKEN_WORD && !T[c->a - 1].cap &&
        has(tcue(d, &T[c->a - 1]), ND_CUE_DETERMINER))
        return 1;
    for (i = c->a; i <= c->b; i++)
        for (j = 0; j < d->nlist[ND_CUE_NOUN_ENDING]; j++)
            if (ends_with(tkey(d, &T[i]), T[i].keylen, d->lists[ND_CUE_NOUN_ENDING][j])) return 1;
    if (c->a == c->b && d->hun && !T[c->a].upper && !common_word(d, s, &T[c->a])) {
        c->why |= W_RARE;
        return 0;
    }
    return c->a == c->b;
}

static int by_start(const void *x, const void *y)
{
    const nd_found *a = x, *b = y;
    return a->start < b->start ? -1 : a->start > b->start;
}

int nd_discover_run(nd_discover *d, const char *s, size_t len, const nd_found **found, size_t *n)
{
    size_t i, b;
    int rc;
    *found = NULL;
    *n = 0;
    d->keys.len = 0;
    d->nfound = 0;
    d->oom = 0;
    nd__map_clear(&d->seen);
    if ((rc = tokenize(d, s, len)) != ND_OK) return rc;
    for (i = 0; i < d->ntoks; i++) {
        const dtok *t = &d->toks[i];
        if (t->kind == ND_TOKEN_WORD && t->cap && !t->initial &&
            nd__map_put(&d->seen, hkey(tkey(d, t), t->keylen), 1) != ND_OK)
            return ND_ENOMEM;
    }
    if (!d->stems_built && (rc = build_stems(d)) != ND_OK) return rc;
    if ((rc = find_runs(d, s)) != ND_OK) return rc;
    if ((rc = split_runs(d, s)) != ND_OK) return rc;
    for (i = 0; i < d->ncands; i++) {
        cand *c = &d->cands[i];
        if (d->toks[c->a].kind != ND_TOKEN_WORD) { c->drop = 1; continue; }
        rc = type_cand(d, s, c);
        if (rc == ND_EINVAL) c->drop = 1;
        else if (rc != ND_OK) return rc;
    }
    nd__map_clear(&d->by_key);
    for (i = 0; i < d->ncands; i++) {
        const char *k = d->keys.ptr + d->cands[i].key;
        if (!d->cands[i].drop && !nd__map_get(&d->by_key, hkey(k, strlen(k))) &&
            nd__map_put(&d->by_key, hkey(k, strlen(k)), (uint32_t)i + 1) != ND_OK)
            return ND_ENOMEM;
    }
    for (i = 0; i < d->ncands; i++)
        if (!d->cands[i].drop && (rc = split_variant(d, s, &d->cands[i])) != ND_OK) return rc;
    if ((rc = merge_names(d)) != ND_OK) return rc;
    nd__map_clear(&d->by_evidence);
    for (i = 0; i < d->ncands; i++) {
        const char *k = d->keys.ptr + d->cands[i].key;
        if (!d->cands[i].drop && (d->cands[i].why & (W_STRONG | W_APOS)) &&
            nd__map_put(&d->by_evidence, hkey(k, strlen(k)), 1) != ND_OK)
            return ND_ENOMEM;
    }
    for (i = 0; i < d->ncands; i++) {      /* a lone common word with nothing else for it */
        cand *c = &d->cands[i];
        if (!c->drop && c->a == c->b && !(c->why & (W_STRONG | W_APOS | W_RARE)) &&
            !(d->flags & ND_DISCOVER_NOUNS) && !named_elsewhere(d, c) && common_word(d, s, &d->toks[c->a]))
            c->drop = 2;                   /* unless it stands in a list of names */
    }
    if ((rc = keep_listed(d, s)) != ND_OK) return rc;
    if (d->flags & ND_DISCOVER_NOUNS)
        for (i = 0; i < d->ncands; i++)
            if (!d->cands[i].drop && noun_like(d, s, &d->cands[i])) d->cands[i].drop = 1;
    /* results: why strings first (the buffer may move), then pointers */
    d->why.len = 0;
    for (i = 0; i < d->ncands; i++) {
        cand *c = &d->cands[i];
        nd_found *f;
        int score = 0;
        if (c->drop) continue;
        if (GROW(d->found, d->capfound, d->nfound + 1) != ND_OK) return ND_ENOMEM;
        f = &d->found[d->nfound++];
        f->start = c->start;
        f->stop = c->stop;
        f->suffix_start = c->suffix_start;
        f->type = c->type;
        f->id = (const char *)(uintptr_t)c->id;
        f->why = (const char *)(uintptr_t)d->why.len;
        for (b = 0; b < ND_ARRAY_LEN(why_names); b++) {
            if (!(c->why & (1u << b))) continue;
            if ((score && nd_buf_append(&d->why, ", ", 2) != ND_OK) ||
                nd_buf_append(&d->why, why_names[b], strlen(why_names[b])) != ND_OK)
                return ND_ENOMEM;
            score++;
        }
        if (!score && nd_buf_append(&d->why, "capitalised", 11) != ND_OK) return ND_ENOMEM;
        if (nd_buf_append(&d->why, "", 1) != ND_OK) return ND_ENOMEM;
        f->score = score;
    }
    if (d->oom) {                          /* some evidence could not be looked at */
        d->nfound = 0;
        return ND_ENOMEM;
    }
    if (d->nfound > 1) qsort(d->found, d->nfound, sizeof *d->found, by_start);
    for (i = 0; i < d->nfound; i++) {
        d->found[i].id = d->keys.ptr + (size_t)(uintptr_t)d->found[i].id;
        d->found[i].why = d->why.ptr + (size_t)(uintptr_t)d->found[i].why;
    }
    *found = d->found;
    *n = d->nfound;
    return ND_OK;
}
