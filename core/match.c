/*
 * match.c — scanning a text with a rule set: the key stream, the trie walk
 * at every token start (names, apostrophe and Turkish suffixes), fuzzy
 * names through the deletion index, token patterns, and overlap resolution.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "rules_internal.h"
#include "text_internal.h"

typedef struct tok {
    size_t ks, kstem, ke;        /* key range; kstem = end of the stem */
    size_t start, stem_stop, stop, suffix_start;   /* original offsets */
    int hard;                    /* punctuation between this token and the previous */
} tok;

typedef struct cand {
    nd_match m;                  /* first: nd_scan_candidate returns &c->m */
    size_t idoff;                /* pattern id in sc->ids, or SIZE_MAX */
} cand;

struct nd_scan {
    nd_buf fold, key, ids, q;
    nd_buf spaced;               /* the text with dropped partings as spaces */
    nd_offmap *map;
    size_t *kmap, kcap;          /* per key byte: its folded offset */
    size_t *khint;               /* &khint_at: the fold map piece of the last
                                    orig() (written through a const nd_scan) */
    size_t khint_at;
    cand *c; size_t nc, capc;
    nd_match **order; size_t caporder;
    size_t *taken; size_t ntaken, captaken;
    uint32_t *owner; size_t capowner;
    tok *toks; size_t ntok, captok;
    size_t *starts; size_t capstarts;   /* key positions of token starts */
    uint32_t *seen; size_t nseen, capseen;
    uint64_t *fzh; size_t capfzh;   /* fuzzy hashes of one span */
    struct sufmemo *sufmemo;     /* Turkish suffix answers (suffix_ok), made on first use */
    const nd_rules *r;
    const char *s;
    size_t len;
    unsigned flags;
    int resolved;
};


/* ---- key stream -------------------------------------------------------- */

enum { C_WORD = 1, C_SPACE, C_JOIN, C_PUNCT };

/* The key stream's classes from the tokenizer's (nd__char_class, the one
 * classifier): letters, digits and marks make words; ' and - join them;
 * spaces and controls part them as white space, the rest as punctuation.
 * The fold writes every apostrophe and hyphen the tokenizer knows as ASCII
 * ' and -, so only those join; joiners (soft hyphen, ZWJ) are dropped by
 * the fold. */
static const unsigned char key_class[] = {
    [ND__C_OTHER] = C_PUNCT, [ND__C_LETTER] = C_WORD, [ND__C_DIGIT] = C_WORD, [ND__C_NUMBER] = C_WORD,
    [ND__C_MARK] = C_WORD, [ND__C_JOINER] = C_PUNCT, [ND__C_APOS] = C_JOIN, [ND__C_HYPHEN] = C_JOIN,
    [ND__C_SPACE] = C_SPACE,
};

static inline int ascii_key_class(unsigned char b)
{
    return key_class[nd__ascii_class[b]];
}

/* Class of the character at f[i]; *n receives its byte length. */
static int char_class(const char *f, size_t len, size_t i, size_t *n)
{
    unsigned char b = (unsigned char)f[i];
    utf8proc_int32_t cp;
    utf8proc_ssize_t k;
    int c;
    if (b < 0x80) {
        *n = 1;
        return ascii_key_class(b);
    }
    if (b >= 0xC2 && b < 0xE0 && i + 1 < len && ((unsigned char)f[i + 1] & 0xC0) == 0x80) {
        /* two bytes (Latin, Greek, Cyrillic letters) decoded here, as
         * utf8proc_iterate would: most of the key stream's calls */
        cp = (utf8proc_int32_t)((b & 0x1Fu) << 6 | ((unsigned char)f[i + 1] & 0x3Fu));
        k = 2;
    } else {
        k = utf8proc_iterate((const utf8proc_uint8_t *)f + i, (utf8proc_ssize_t)(len - i), &cp);
    }
    if (k < 1) {
        *n = 1;
        return C_PUNCT;
    }
    *n = (size_t)k;
    c = nd__char_class(cp);
    return c == ND__C_APOS || c == ND__C_HYPHEN ? C_PUNCT : key_class[c];
}

/* Whether f[i] starts a letter (not a digit or a mark): what an apostrophe
 * suffix starts with, for the tokenizer. */
static int letter_at(const char *f, size_t len, size_t i)
{
    unsigned char b = (unsigned char)f[i];
    utf8proc_int32_t cp;
    if (b < 0x80)
        return nd__ascii_class[b] == ND__C_LETTER;
    if (utf8proc_iterate((const utf8proc_uint8_t *)f + i, (utf8proc_ssize_t)(len - i), &cp) < 1)
        return 0;
    return nd__char_class(cp) == ND__C_LETTER;
}

static int ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether the folded bytes f[a, b) stand unchanged in the original text
 * (always, without a map).  The tokenizer reads numbers on the original
 * characters, and a fullwidth digit or colon folds into ASCII. */
static int unfolded(const char *f, size_t a, size_t b, const char *orig, const nd_offmap *map, size_t *hint)
{
    size_t oa, ob;
    if (!map) return 1;
    if (nd__offmap_span(map, a, b, &oa, &ob, hint) != ND_OK) return 0;
    return ob - oa == b - a && memcmp(orig + oa, f + a, b - a) == 0;
}

/* Whether the two bytes at f[i] (i + 1 < n) are a letter, digit or mark of
 * two UTF-8 bytes: a word character, as char_class would say. */
static inline int two_byte_word(const char *f, size_t i)
{
    unsigned char b = (unsigned char)f[i], b1 = (unsigned char)f[i + 1];
    int32_t cp;
    if (b < 0xC2 || b >= 0xE0 || (b1 & 0xC0) != 0x80) return 0;
    cp = (int32_t)((b & 0x1Fu) << 6 | (b1 & 0x3Fu));
    if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x400 && cp <= 0x47F))
        return 1;                                  /* Latin and Cyrillic letters, without the call */
    return key_class[nd__char_class(cp)] == C_WORD;
}

/* The rest of a word from f[i] on, appended to key at k (and its folded
 * offsets to km): ASCII word bytes, lower-case letters eight bytes a step,
 * and word characters of two bytes, with no gap and no new word among
 * them, so none of the key stream's other tests apply.  Returns the new
 * k; *end receives where the word stops in f.  *digits stays set while the
 * word is ASCII digits. */
static inline size_t word_rest(const char *f, size_t n, size_t i, char *key, size_t k, size_t *km, int *digits,
                               size_t *end)
{
    unsigned char b;
    for (;;) {
        /* lower-case letters, most of a folded text's words, go eight
         * bytes a step (those before the first other byte): they are
         * word bytes and not digits */
        while (i + 8 <= n) {
            uint64_t w = nd__load64((const unsigned char *)f + i), x = w & ~ND_HIGHS, other;
            size_t run, j;
            other = ~((x + ND_ONES * (0x80 - 'a')) & ~(x + ND_ONES * (0x80 - 'z' - 1)) & ~w) & ND_HIGHS;
            run = other ? nd__first_byte(other) : 8;
            if (!run) break;
            memcpy(key + k, f + i, 8);           /* k <= i: within the n + 1 reserved */
            if (km)
                for (j = 0; j < run; j++) km[k + j] = i + j;
            k += run;
            i += run;
            *digits = 0;
            if (run < 8) break;
        }
        if (i >= n) break;
        b = (unsigned char)f[i];
        if (b < 0x80) {
            if (ascii_key_class(b) != C_WORD) break;
            *digits = *digits && ascii_digit((char)b);
            if (km) km[k] = i;
            key[k++] = (char)b;
            i++;
        } else if (i + 1 < n && two_byte_word(f, i)) {
            if (km) {
                km[k] = i;
                km[k + 1] = i + 1;
            }
            key[k++] = (char)b;
            key[k++] = f[i + 1];
            i += 2;
            *digits = 0;
        } else {
            break;
        }
    }
    *end = i;
    return k;
}

/* Words are joined as the tokenizer joins them: across an apostrophe only
 * before a letter ("2024'te", not "C'2"), a hyphen not between two numbers
 * ("F-16", not "2023-2024"), and a number's '.', ',' or ':' before a digit
 * ("1.5", "3,000", "15:25").  A number is a word that starts with ASCII
 * digits in the original text (orig, through map; both NULL when f is the
 * original). */
/* nd__rules_keystream, also listing the token starts (the key positions of
 * word bytes that come first or after a gap, where the trie walks start) in
 * starts (room for n / 2 + 2: each start but the first follows a gap) when
 * it is not NULL: the scan then need not pass over the key again for them. */
static inline int key_stream(const char *f, size_t n, const char *orig, const nd_offmap *map, nd_buf *key,
                             size_t **kmap, size_t *kcap, size_t *starts, size_t *nstarts)
{
    size_t i = 0, k = 0, clen, ns = 0, *km;
    int last = 0;             /* 0 nothing yet, 1 word, 2 joiner */
    int digits = 0;           /* the word so far is ASCII digits and separators: a number */
    size_t num = 0;           /* where that number starts in f */
    char gap = 0;
    size_t gappos = 0;
    size_t hint = 0;          /* unfolded's place in the map: numbers come in text order */
    key->len = 0;
    if (nd_buf_reserve(key, n + 1) != ND_OK) return ND_ENOMEM;
    if (kmap && nd__grow((void **)kmap, kcap, n + 1, sizeof **kmap) != ND_OK) return ND_ENOMEM;
    km = kmap ? *kmap : NULL;
    while (i < n) {
        unsigned char b = (unsigned char)f[i];
        int cls;
        if (b < 0x80 && ascii_key_class(b) == C_WORD) {
            if (gap || last == 0)
                num = i;
            digits = (gap || last == 0 || digits) && ascii_digit((char)b);
            if (gap && last == 1) {
                if (km) km[k] = gappos;
                key->ptr[k++] = gap;
            }
            gap = 0;
            if (starts && (k == 0 || KEY_IS_GAP(key->ptr[k - 1]))) starts[ns++] = k;
            if (km) km[k] = i;
            key->ptr[k++] = (char)b;
            last = 1;
            i++;
            for (;;) {
                k = word_rest(f, n, i, key->ptr, k, km, &digits, &i);
                /* one space and an ASCII word byte, the usual way a word
                 * ends and the next starts: the gap, the token start and
                 * the first byte written here, as the main loop would
                 * over two turns (gap and last stay as they are) */
                if (i + 1 >= n || f[i] != ' ' || (unsigned char)f[i + 1] >= 0x80 ||
                    ascii_key_class((unsigned char)f[i + 1]) != C_WORD)
                    break;
                if (km) km[k] = i;
                key->ptr[k++] = ' ';
                if (starts) starts[ns++] = k;
                num = ++i;
                digits = ascii_digit(f[i]);
                if (km) km[k] = i;
                key->ptr[k++] = f[i++];
            }
            continue;
        }
        if (digits && !gap && (b == '.' || b == ',' || b == ':') && i + 1 < n && ascii_digit(f[i + 1]) &&
            unfolded(f, num, i + 2, orig, map, &hint)) {
            if (km) km[k] = i;
            key->ptr[k++] = (char)b;
            i++;
            continue;
        }
        if (b < 0x80) {                        /* spaces and punctuation, without the call */
            cls = ascii_key_class(b);
            clen = 1;
        } else {
            cls = char_class(f, n, i, &clen);
        }
        if (cls == C_WORD) {
            size_t j;
            digits = 0;
            if (gap && last == 1) {
                if (km) km[k] = gappos;
                key->ptr[k++] = gap;
            }
            gap = 0;
            if (starts && (k == 0 || KEY_IS_GAP(key->ptr[k - 1]))) starts[ns++] = k;
            for (j = 0; j < clen; j++) {
                if (km) km[k] = i + j;
                key->ptr[k++] = f[i + j];
            }
            last = 1;
        } else if (cls == C_JOIN && last == 1 && !gap && i + 1 < n) {
            size_t nl;
            int join = char_class(f, n, i + 1, &nl) == C_WORD;
            if (b == '\'')
                join = join && letter_at(f, n, i + 1);
            else
                join = join && !(digits && ascii_digit(f[i + 1]) && unfolded(f, num, i + 2, orig, map, &hint));
            if (join) {
                if (km) km[k] = i;
                key->ptr[k++] = (char)b;
                last = 2;
            } else {
                gap = '|';
                gappos = i;
            }
        } else if (cls == C_SPACE) {
            if (!gap) {
                gap = ' ';
                gappos = i;
            }
        } else {
            if (gap != '|') gappos = i;
            gap = '|';
        }
        i += clen;
    }
    if (gap && last == 1) {                    /* a final gap marks the end of a word */
        if (km) km[k] = gappos;
        key->ptr[k++] = gap;
    }
    key->len = k;
    key->ptr[k] = '\0';
    if (nstarts) *nstarts = ns;
    return ND_OK;
}

int nd__rules_keystream(const char *f, size_t n, const char *orig, const nd_offmap *map, nd_buf *key,
                        size_t **kmap, size_t *kcap)
{
    return key_stream(f, n, orig, map, key, kmap, kcap, NULL, NULL);
}

/* Word boundaries in the folded text must be the tokenizer's.  Two kinds of
 * character would move them:
 * - A character outside words that folds into letters ("⼙" -> "卜", "™" ->
 *   "tm") would glue the words around it together.  Its folded bytes
 *   become punctuation.
 * - A format character the fold drops where the tokenizer parts words
 *   (parts_dropped: bidi controls, zero-width space, U+FEFF, tags) leaves
 *   nothing to mark.  These are counted, and the scan then folds a copy of
 *   the text with each of them as spaces, of the same byte length.
 * Below U+20A8 ("₨" -> "rs") no character folds into letters, and the
 * dropped partings are U+061C, U+180E and some of U+200B..U+206F
 * (test_rules.c checks both), so letters of most scripts and the usual
 * punctuation cost a byte test or two. */
#define FIRST_GLUING 0x20A8

/* A character the fold drops (a default ignorable) where the tokenizer
 * parts words: a format character other than its joiners, or an
 * unassigned ignorable.  The ignorable letters and marks (Hangul fillers,
 * variation selectors) stay inside words in both. */
static int parts_dropped(int32_t cp)
{
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    return p->ignorable && (p->category == UTF8PROC_CATEGORY_CF || p->category == UTF8PROC_CATEGORY_CN) &&
           !nd__tok_joiner(cp);
}

/* Nonzero when one of the 8 bytes of w is 0xD8 or above: the high bit set
 * and the low seven bits at least 0x58 (the sum stays inside its byte). */
static inline uint64_t at_or_above_d8(uint64_t w)
{
    return ((w & ~ND_HIGHS) + ND_ONES * 0x28) & w & ND_HIGHS;
}

/* Mark the gluing symbols; return the number of dropped partings. */
static size_t unglue_symbols(nd_scan *sc)
{
    const unsigned char *s = (const unsigned char *)sc->s;
    size_t i, j, n, out, oe, parting = 0;
    int32_t cp;
    for (i = 0; i < sc->len; i += n) {
        n = 1;
        if (s[i] < 0xD8) {
            /* ASCII, a continuation byte or a two-byte lead below U+0600:
             * nothing to mark, and the same goes for the next 8 bytes
             * while none of them is 0xD8 or above (most Latin, Greek and
             * Cyrillic text passes 8 bytes a step, not only ASCII) */
            while (i + 8 < sc->len && !at_or_above_d8(nd__load64(s + i + 1))) i += 8;
            continue;
        }
        if (s[i] < 0xE0) {
            if (s[i] == 0xD8 && i + 1 < sc->len && s[i + 1] == 0x9C)   /* U+061C */
                parting++;
            continue;
        }
        if (s[i] < 0xF0 && i + 2 < sc->len && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80 &&
            (cp = (int32_t)((s[i] & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu))) < FIRST_GLUING) {
            n = 3;
            if ((cp == 0x180E || (cp >= 0x200B && cp <= 0x206F)) && parts_dropped(cp))
                parting++;
            continue;
        }
        if (char_class(sc->s, sc->len, i, &n) != C_PUNCT) continue;
        if (utf8proc_iterate(s + i, (utf8proc_ssize_t)n, &cp) > 0 && parts_dropped(cp)) {
            parting++;
            continue;
        }
        if (!nd__offmap_folded(sc->map, i, &out, &oe)) continue;
        for (j = out; j < oe; j += n)
            if (char_class(sc->fold.ptr, sc->fold.len, j, &n) == C_WORD) break;
        if (j < oe) memset(sc->fold.ptr + out, '#', oe - out);
        n = 1;                                   /* n was the folded length */
    }
    return parting;
}

/* Fold the copy of the text with every dropped parting as spaces (same
 * offsets), and scan that copy from here on. */
static int fold_spaced(nd_scan *sc)
{
    const unsigned char *s = (const unsigned char *)sc->s;
    size_t i;
    utf8proc_ssize_t n;
    int32_t cp;
    int rc;
    sc->spaced.len = 0;
    if ((rc = nd_buf_append(&sc->spaced, sc->s, sc->len)) != ND_OK) return rc;
    for (i = 0; i < sc->len; i += (size_t)n) {
        n = 1;
        if (s[i] < 0x80) continue;
        n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(sc->len - i), &cp);
        if (n < 1) n = 1;
        else if (parts_dropped(cp)) memset(sc->spaced.ptr + i, ' ', (size_t)n);
    }
    sc->s = sc->spaced.ptr;
    if ((rc = nd_text_fold(&sc->fold, sc->s, sc->len, 0, sc->map)) != ND_OK) return rc;
    unglue_symbols(sc);
    return ND_OK;
}

/* ---- scan object ----------------------------------------------------------- */

int nd_scan_new(nd_scan **out)
{
    nd_scan *sc;
    *out = NULL;
    sc = nd__calloc(1, sizeof *sc);
    if (!sc) return ND_ENOMEM;
    sc->map = nd_offmap_new();
    sc->khint = &sc->khint_at;
    if (!sc->map) {
        nd_free(sc);
        return ND_ENOMEM;
    }
    *out = sc;
    return ND_OK;
}

void nd_scan_free(nd_scan *sc)
{
    if (!sc) return;
    nd_buf_free(&sc->fold);
    nd_buf_free(&sc->spaced);
    nd_buf_free(&sc->key);
    nd_buf_free(&sc->ids);
    nd_buf_free(&sc->q);
    nd_offmap_free(sc->map);
    nd_free(sc->kmap);
    nd_free(sc->c);
    nd_free(sc->order);
    nd_free(sc->taken);
    nd_free(sc->owner);
    nd_free(sc->toks);
    nd_free(sc->starts);
    nd_free(sc->seen);
    nd_free(sc->fzh);
    nd_free(sc->sufmemo);
    nd_free(sc);
}

/* Original range of key range [ka, kb): the start of its first byte, the
 * end of its last.  Asked only where a name ends or a token is built, a
 * few times per match, through the fold map from the piece of the last
 * question: callers go in text order, so that is a step or two, where
 * translating every key byte up front was a fifth of a dense scan. */
static void orig(const nd_scan *sc, size_t ka, size_t kb, size_t *oa, size_t *ob)
{
    if (nd__offmap_span(sc->map, sc->kmap[ka], sc->kmap[kb - 1] + 1, oa, ob, sc->khint) != ND_OK)
        *oa = *ob = sc->len;                     /* not reached: key bytes lie inside the fold */
}

static int add_cand(nd_scan *sc, size_t start, size_t stop, size_t suffix_start,
                    unsigned ri, unsigned ent, unsigned edits, int status)
{
    const nd_rules *r = sc->r;
    const rule *ru = &r->rules[ri];
    const entry *e = ent != ND_NO_ENTRY ? &r->entries[ent] : NULL;
    cand *c;
    /* a dense scan adds a candidate every few dozen bytes: the growth
     * call only when full, and the fields set once */
    if (sc->nc == sc->capc && GROW(sc->c, sc->capc, sc->nc + 1) != ND_OK) return ND_ENOMEM;
    c = &sc->c[sc->nc++];
    memset(c, 0, sizeof *c);
    c->m.start = start;
    c->m.stop = stop;
    c->m.suffix_start = suffix_start;
    c->m.rule_index = ri;
    c->m.entry = ent;
    c->m.rule = ru->name;
    c->m.priority = ru->priority;
    c->m.edits = edits;
    c->m.status = status;
    if (e) {                                         /* nd__entry_type, nd__entry_id */
        c->m.type = e->own_type ? e->own_type : r->rules[e->rule].type;
        c->m.id = e->own_id ? e->own_id : r->rules[e->rule].id;
    } else {
        c->m.type = ru->type;
        c->m.id = ru->id;
    }
    c->idoff = SIZE_MAX;
    return ND_OK;
}

/* End of the word part starting at key position j: the next gap or apostrophe. */
static size_t word_end(const nd_scan *sc, size_t j)
{
    const char *k = sc->key.ptr;
    while (j < sc->key.len && !KEY_IS_GAP(k[j]) && k[j] != '\'') j++;
    return j;
}

/* Iterate the entries of payload chain *p, or the single entry *one when it
 * is not ND_NO_ENTRY. */
static int next_entry(const nd_rules *r, uint32_t *p, unsigned *one, unsigned *ent)
{
    if (*one != ND_NO_ENTRY) {
        *ent = *one;
        *one = ND_NO_ENTRY;
        *p = 0;
        return 1;
    }
    if (!*p) return 0;
    *ent = r->pay[*p - 1].entry;
    *p = r->pay[*p - 1].next;
    return 1;
}

static int capitalized(const nd_scan *sc, size_t k);

/* 1 when the original text s[a, b) holds no lower-case letter. */
static int no_lower(const char *s, size_t a, size_t b)
{
    while (a < b) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + a, (utf8proc_ssize_t)(b - a), &cp);
        if (n < 1) n = 1;
        else if (utf8proc_category(cp) == UTF8PROC_CATEGORY_LL) return 0;
        a += (size_t)n;
    }
    return 1;
}

/* 0 when entry ent's rule wants capitals the name's text [os, oe) (key
 * position ks) lacks; cap[0] and cap[1] cache the two tests (-1 = not
 * made yet). */
static int cap_ok(nd_scan *sc, unsigned ent, size_t ks, size_t os, size_t oe, int cap[2])
{
    unsigned f = sc->r->rules[sc->r->entries[ent].rule].flags;
    if ((f & ND_RULE_CAPITALIZED) && (cap[0] < 0 ? (cap[0] = capitalized(sc, ks)) : cap[0]) == 0) return 0;
    if ((f & ND_RULE_UPPERCASE) && (cap[1] < 0 ? (cap[1] = no_lower(sc->s, os, oe)) : cap[1]) == 0) return 0;
    return 1;
}

/* nd__tr_suffix_ok remembered by its exact arguments, the stem's text and
 * the rest of the word: in a dense scan a name is often the start of a
 * longer word, and the chain search (every suffix template at every
 * position of the rest) cost some 8,000 instructions a call, most of a
 * Turkish rule set's scan.  The key is the whole argument text, not some
 * state derived from it, so the answers stay right whatever
 * rules_suffix.c comes to look at.  Direct-mapped and kept across the
 * texts of one scan object (the answer depends on the arguments alone); a
 * pair too long for a slot is asked every time. */
#define SUFMEMO_SLOTS 2048            /* a power of two: 128 KB */
#define SUFMEMO_BYTES 56

typedef struct sufmemo {
    uint32_t tag;                     /* high hash bits | 1; 0: empty */
    uint8_t stemlen, restlen, ok, unused;
    char bytes[SUFMEMO_BYTES];        /* the stem, then the rest */
} sufmemo;

static int suffix_ok(nd_scan *sc, const char *stem, size_t stemlen, const char *rest, size_t restlen)
{
    uint64_t h;
    sufmemo *e;
    int ok;
    if (stemlen + restlen > SUFMEMO_BYTES) return nd__tr_suffix_ok(stem, stemlen, rest, restlen);
    if (!sc->sufmemo && !(sc->sufmemo = nd__calloc(SUFMEMO_SLOTS, sizeof *sc->sufmemo)))
        return nd__tr_suffix_ok(stem, stemlen, rest, restlen);
    h = nd__hash_bytes(rest, restlen, nd__hash_bytes(stem, stemlen, stemlen));
    e = &sc->sufmemo[h & (SUFMEMO_SLOTS - 1)];
    if (e->tag == ((uint32_t)(h >> 32) | 1) && e->stemlen == stemlen && e->restlen == restlen &&
        memcmp(e->bytes, stem, stemlen) == 0 && memcmp(e->bytes + stemlen, rest, restlen) == 0)
        return e->ok;
    ok = nd__tr_suffix_ok(stem, stemlen, rest, restlen);
    e->tag = (uint32_t)(h >> 32) | 1;
    e->stemlen = (uint8_t)stemlen;
    e->restlen = (uint8_t)restlen;
    e->ok = (uint8_t)(ok != 0);
    memcpy(e->bytes, stem, stemlen);
    memcpy(e->bytes + stemlen, rest, restlen);
    return ok;
}

/* A name ending at key position k (stem [ks, k)) with the entries of
 * payload chain p0 (or the single entry one0): add candidates for whatever
 * follows. */
static int at_terminal(nd_scan *sc, size_t ks, size_t k, uint32_t p0, unsigned one0, unsigned edits)
{
    uint32_t p = p0;
    unsigned one = one0, ent;
    const nd_rules *r = sc->r;
    const char *key = sc->key.ptr;
    size_t klen = sc->key.len, os, oe;
    char nx = k < klen ? key[k] : ' ';
    int cap[2] = { -1, -1 };
    /* the name's original range is asked for below, once a candidate can
     * follow: a dense scan ends most names inside a longer word */
    if (KEY_IS_GAP(nx)) {
        orig(sc, ks, k, &os, &oe);
        while (next_entry(r, &p, &one, &ent))
            if (cap_ok(sc, ent, ks, os, oe, cap) && add_cand(sc, os, oe, oe, r->entries[ent].rule, ent, edits,
                         ND_MATCH_CANDIDATE) != ND_OK)
                return ND_ENOMEM;
    } else if (nx == '\'') {
        size_t j = word_end(sc, k + 1), ss, se;
        if (j == k + 1) return ND_OK;
        orig(sc, ks, k, &os, &oe);
        orig(sc, k + 1, j, &ss, &se);
        while (next_entry(r, &p, &one, &ent))
            if (cap_ok(sc, ent, ks, os, oe, cap) && add_cand(sc, os, se, ss, r->entries[ent].rule, ent, edits,
                         ND_MATCH_CANDIDATE) != ND_OK)
                return ND_ENOMEM;
    } else if (r->any_tr && !edits) {
        size_t j = word_end(sc, k), ss = 0, se = 0;
        int okc = -1, asked = 0;
        if (j < klen && key[j] == '\'') return ND_OK;
        while (next_entry(r, &p, &one, &ent)) {
            unsigned ri = r->entries[ent].rule;
            if (!(r->rules[ri].flags & ND_RULE_SUFFIXES_TR)) continue;
            if (!asked) {
                orig(sc, ks, k, &os, &oe);
                orig(sc, k, j, &ss, &se);
                asked = 1;
            }
            if (!cap_ok(sc, ent, ks, os, oe, cap)) continue;
            if (okc < 0) okc = suffix_ok(sc, sc->s + os, oe - os, sc->s + ss, se - ss);
            if (!okc && !(sc->flags & ND_SCAN_EXPLAIN)) continue;
            if (add_cand(sc, os, se, ss, ri, ent, 0,
                         okc ? ND_MATCH_CANDIDATE : ND_MATCH_BADSUFFIX) != ND_OK)
                return ND_ENOMEM;
        }
    }
    return ND_OK;
}

/* The trie's byte for key byte c: a hyphen walks as a space. */
static inline unsigned walk_byte(unsigned char c)
{
    return c == '-' ? ' ' : c;
}

/* Walk the trie from token start ks.  The first two steps read the direct
 * tables and the three-byte filter; the deep steps then run in a loop of
 * their own, which tries a node's first edge before the rest (most deep
 * nodes have one child): a dense scan takes a dozen steps per token
 * start, and the depth tests made every step pay for the first ones. */
static int walk(nd_scan *sc, size_t ks)
{
    const nd_rules *r = sc->r;
    const unsigned char *key = (const unsigned char *)sc->key.ptr;
    size_t klen = sc->key.len, k = ks + 1;
    uint32_t v, t;
    unsigned c0, c1, c;
    c0 = walk_byte(key[ks]);
    if (!(v = r->root[c0])) return ND_OK;
    if ((v & TRIE_TERM) && at_terminal(sc, ks, k, r->term[v & TRIE_NODE], ND_NO_ENTRY, 0) != ND_OK)
        return ND_ENOMEM;
    if (k >= klen) return ND_OK;
    c1 = walk_byte(key[k]);
    if (!(v = r->root2[c0 << 8 | c1])) return ND_OK;
    k++;
    if ((v & TRIE_TERM) && at_terminal(sc, ks, k, r->term[v & TRIE_NODE], ND_NO_ENTRY, 0) != ND_OK)
        return ND_ENOMEM;
    if (k >= klen) return ND_OK;
    c = walk_byte(key[k]);
    t = c0 << 16 | c1 << 8 | c;
    if (!(r->tri[t >> 3] & (1u << (t & 7)))) return ND_OK;
    for (;;) {
        v = nd__deep_get(r, v & TRIE_NODE, c);   /* node's line; rarely the deep table */
        if (!v) break;
        k++;
        if ((v & TRIE_TERM) && at_terminal(sc, ks, k, r->term[v & TRIE_NODE], ND_NO_ENTRY, 0) != ND_OK)
            return ND_ENOMEM;
        if (k >= klen) break;
        c = walk_byte(key[k]);
    }
    return ND_OK;
}

/* ---- fuzzy names ------------------------------------------------------------ */

/* 1 when a and b differ by exactly one insertion, deletion, substitution or
 * transposition of adjacent bytes. */
static int one_edit(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0;
    if (na + 1 < nb || nb + 1 < na) return 0;
    while (i < na && i < nb && a[i] == b[i]) i++;
    if (na == nb) {
        if (i == na) return 0;
        if (memcmp(a + i + 1, b + i + 1, na - i - 1) == 0) return 1;
        return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               memcmp(a + i + 2, b + i + 2, na - i - 2) == 0;
    }
    if (na > nb) return memcmp(a + i + 1, b + i, na - i - 1) == 0;
    return memcmp(a + i, b + i + 1, nb - i - 1) == 0;
}

/* 1 unless the text at key position k starts with a lower-case letter: a
 * misspelt name is still written with a capital ("Borrel", not "melon"). */
static int capitalized(const nd_scan *sc, size_t k)
{
    size_t o = 0, oe, n;
    utf8proc_int32_t cp;
    orig(sc, k, k + 1, &o, &oe);
    n = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)sc->s + o, (utf8proc_ssize_t)(sc->len - o), &cp);
    return n < 1 || n > 4 || utf8proc_category(cp) != UTF8PROC_CATEGORY_LL;
}

static int fuzzy_at(nd_scan *sc, size_t ks)
{
    const nd_rules *r = sc->r;
    const char *key = sc->key.ptr;
    size_t klen = sc->key.len, j = ks, words = 0;
    int cap = -1;                                   /* capitalized(sc, ks), once asked */
    while (j < klen && words < 32) {
        size_t je = word_end(sc, j), n, i;
        char *q;
        words++;
        if (je - ks > r->fz_maxlen + 1) break;
        if ((r->fz_ntok >> (words - 1)) & 1u && je - ks + 1 >= r->fz_minlen &&
            je - ks >= ND_RULES_FUZZY_MIN && (cap < 0 ? (cap = capitalized(sc, ks)) : cap)) {
            n = je - ks;
            sc->q.len = 0;
            if (nd_buf_append(&sc->q, key + ks, n) != ND_OK) return ND_ENOMEM;
            q = sc->q.ptr;
            for (i = 0; i < n; i++)
                if (q[i] == '-') q[i] = ' ';
            sc->nseen = 0;
            if (GROW(sc->fzh, sc->capfzh, 3 * (n + 1)) != ND_OK) return ND_ENOMEM;
            nd__fz_hashes(q, n, sc->fzh + n + 1, sc->fzh + 2 * (n + 1), sc->fzh);
            for (i = 0; i <= n; i++) {
                uint32_t l;
                if (i < n && i > 0 && q[i] == q[i - 1]) continue;
                for (l = nd__map_get(&r->fzmap, sc->fzh[i]); l; l = r->fzl[l - 1].next) {
                    const fz_name *fz = &r->fz[r->fzl[l - 1].name];
                    size_t s;
                    for (s = 0; s < sc->nseen; s++)
                        if (sc->seen[s] == r->fzl[l - 1].name) break;
                    if (s < sc->nseen) continue;
                    if (GROW(sc->seen, sc->capseen, sc->nseen + 1) != ND_OK) return ND_ENOMEM;
                    sc->seen[sc->nseen++] = r->fzl[l - 1].name;
                    if (q[0] != r->fzkeys.ptr[fz->off] || !one_edit(q, n, r->fzkeys.ptr + fz->off, fz->len))
                        continue;
                    if (at_terminal(sc, ks, je, 0, fz->entry, 1) != ND_OK) return ND_ENOMEM;
                }
            }
        }
        if (je >= klen || key[je] == '\'' || key[je] == '|') break;
        j = je + 1;
    }
    return ND_OK;
}

/* ---- tokens and patterns ---------------------------------------------------- */

static int build_tokens(nd_scan *sc)
{
    const char *key = sc->key.ptr;
    size_t klen = sc->key.len, k = 0;
    int hard = 0;
    sc->ntok = 0;
    while (k < klen) {
        tok *t;
        size_t e;
        if (key[k] == ' ' || key[k] == '|') {
            if (key[k] == '|') hard = 1;
            k++;
            continue;
        }
        if (GROW(sc->toks, sc->captok, sc->ntok + 1) != ND_OK) return ND_ENOMEM;
        t = &sc->toks[sc->ntok++];
        t->ks = k;
        t->hard = hard;
        hard = 0;
        e = k;
        while (e < klen && key[e] != ' ' && key[e] != '|') e++;
        t->ke = e;
        t->kstem = k;
        while (t->kstem < e && key[t->kstem] != '\'') t->kstem++;
        orig(sc, k, t->kstem, &t->start, &t->stem_stop);
        if (t->kstem < e)
            orig(sc, t->kstem + 1, e, &t->suffix_start, &t->stop);
        else
            t->stop = t->suffix_start = t->stem_stop;
        if (sc->ntok > 1 && t->start < t[-1].stop) {
            /* a character that folds into several tokens ("½" -> "1⁄2") maps
             * them back onto the same bytes: keep one token, so patterns never
             * see a piece of text twice and spans never overlap */
            tok *p = t - 1;
            p->ke = t->ke;
            p->kstem = t->kstem;
            if (t->stem_stop > p->stem_stop) p->stem_stop = t->stem_stop;
            if (t->stop > p->stop) p->stop = t->stop;
            if (t->kstem < t->ke) p->suffix_start = t->suffix_start;
            else p->stem_stop = p->suffix_start = p->stop;
            sc->ntok--;
            k = e;
            continue;
        }
        if (sc->ntok > 1 && !t->hard) {                 /* a line break also ends a pattern */
            size_t b;
            for (b = t[-1].stop; b < t->start; b++)
                if (sc->s[b] == '\n' || sc->s[b] == '\r') t->hard = 1;
        }
        k = e;
    }
    return ND_OK;
}

static utf8proc_category_t first_cat(const nd_scan *sc, size_t off, size_t stop, size_t *n)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)sc->s + off,
                                          (utf8proc_ssize_t)(stop - off), &cp);
    *n = k < 1 ? 1 : (size_t)k;
    return k < 1 ? UTF8PROC_CATEGORY_CN : utf8proc_category(cp);
}

static int is_letter(utf8proc_category_t c)
{
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static int class_test(const nd_scan *sc, int test, const tok *t)
{
    size_t n, off, letters = 0;
    utf8proc_category_t c;
    switch (test) {
    case ND_TEST_ANY:
        return 1;
    case ND_TEST_CAP:
        c = first_cat(sc, t->start, t->stem_stop, &n);
        return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
    case ND_TEST_NUMBER:
        return first_cat(sc, t->start, t->stem_stop, &n) == UTF8PROC_CATEGORY_ND;
    case ND_TEST_UPPER:
    case ND_TEST_WORD:
        for (off = t->start; off < t->stem_stop; off += n) {
            c = first_cat(sc, off, t->stem_stop, &n);
            if (!is_letter(c)) continue;
            if (test == ND_TEST_WORD) return 1;
            if (c == UTF8PROC_CATEGORY_LL) return 0;
            letters++;
        }
        return letters >= 2;
    default:
        return 0;
    }
}

/* Tokens from t matching literal key a[0..n) ("dişişleri bakani"); word w
 * of the literal with bit w of caps set must be capitalized in the text.
 * Returns the token after the last one, or 0 when it does not match. */
static size_t lit_walk(const nd_scan *sc, const char *a, size_t n, uint64_t caps, size_t t)
{
    const char *key = sc->key.ptr;
    size_t i = 0, t0 = t, w = 0;
    while (t < sc->ntok) {
        const tok *tk = &sc->toks[t];
        size_t k;
        if (t > t0 && tk->hard) return 0;
        for (k = tk->ks; k < tk->kstem; k++, i++) {
            char c = key[k] == '-' ? ' ' : key[k];
            if (i >= n || a[i] != c) return 0;
            if ((i == 0 || a[i - 1] == ' ') && w < 64 && ((caps >> w++) & 1) && !capitalized(sc, k))
                return 0;
        }
        t++;
        if (i == n) return t;
        if (a[i] != ' ' || tk->kstem < tk->ke) return 0;
        i++;
    }
    return 0;
}

/* 0 when literal a[0..n) cannot match from token t on: its first two
 * bytes against the stem's first two key bytes (a stem of one byte checks
 * the first only).  Most alternatives of a long list go here, before a
 * call to lit_match. */
static int lit_may_start(const nd_scan *sc, const char *a, size_t n, size_t t)
{
    const tok *tk = &sc->toks[t];
    const char *k = sc->key.ptr + tk->ks;
    if (a[0] != k[0]) return 0;                      /* a token starts with a word byte, never '-' */
    return tk->kstem < tk->ks + 2 || (n >= 2 && a[1] == (k[1] == '-' ? ' ' : k[1]));
}

/* lit_walk, asking about capitals (a look at the original text through
 * the offset map) only once the keys match: most tries fail on a key byte. */
static size_t lit_match(const nd_scan *sc, const char *a, size_t n, uint64_t caps, size_t t)
{
    size_t end = lit_walk(sc, a, n, 0, t);
    return end && caps ? lit_walk(sc, a, n, caps, t) : end;
}

/* 1 when token t is one of the element's exceptions. */
#define FIRST_IN(set, b) ((set)[(unsigned char)(b) >> 3] & (1u << ((unsigned char)(b) & 7)))

static int excepted(const nd_scan *sc, const pelem *e, size_t t)
{
    size_t a;
    if (!e->nexcept || !FIRST_IN(e->exfirst, sc->key.ptr[sc->toks[t].ks])) return 0;
    for (a = e->nalts; a < e->nalts + e->nexcept; a++)
        if (lit_may_start(sc, e->alts[a], e->altlen[a], t) && lit_match(sc, e->alts[a], e->altlen[a], 0, t) == t + 1)
            return 1;
    return 0;
}

typedef struct pctx {
    const nd_scan *sc;
    const rule *ru;
    size_t t0, end, mlo, mhi;
    long budget;
} pctx;

static int pmatch(pctx *p, size_t ei, size_t t, unsigned reps, int sealed)
{
    const pelem *e;
    size_t te;
    const nd_scan *sc = p->sc;
    if (--p->budget < 0) return 0;
    if (ei == p->ru->nelems) {
        p->end = t;
        return 1;
    }
    e = &p->ru->elems[ei];
    te = t;
    if (reps < e->max && !sealed && t < sc->ntok && (t == p->t0 || !sc->toks[t].hard)) {
        if (e->test == ND_TEST_LITERAL) {
            size_t a;
            unsigned char b0 = (unsigned char)sc->key.ptr[sc->toks[t].ks];
            for (a = 0; a < e->nalts && FIRST_IN(e->altfirst, b0); a++) {
                size_t t2;
                if (!lit_may_start(sc, e->alts[a], e->altlen[a], t)) continue;
                t2 = lit_match(sc, e->alts[a], e->altlen[a], e->altcaps[a], t);
                if (t2 && pmatch(p, ei, t2, reps + 1, sc->toks[t2 - 1].kstem < sc->toks[t2 - 1].ke)) {
                    te = t2;
                    goto found;
                }
            }
        } else if (class_test(sc, e->test, &sc->toks[t]) && !excepted(sc, e, t)) {
            te = t + 1;
            if (pmatch(p, ei, te, reps + 1, sc->toks[t].kstem < sc->toks[t].ke))
                goto found;
        }
    }
    if (reps >= e->min) return pmatch(p, ei + 1, t, 0, sealed);
    return 0;
found:
    /* the instance of element ei started at token t and is on the winning path */
    if (e->mark) {
        if (t < p->mlo) p->mlo = t;
        if (te > p->mhi) p->mhi = te;
    }
    return 1;
}

/* Add the key bytes of tokens [a, b) (stems joined by spaces) to sc->ids. */
static int add_id(nd_scan *sc, size_t a, size_t b, size_t *off)
{
    size_t t;
    *off = sc->ids.len;
    for (t = a; t < b; t++) {
        const tok *tk = &sc->toks[t];
        size_t k;
        if (t > a && nd_buf_append(&sc->ids, " ", 1) != ND_OK) return ND_ENOMEM;
        for (k = tk->ks; k < tk->kstem; k++) {
            char c = sc->key.ptr[k] == '-' ? ' ' : sc->key.ptr[k];
            if (nd_buf_append(&sc->ids, &c, 1) != ND_OK) return ND_ENOMEM;
        }
    }
    return nd_buf_append(&sc->ids, "", 1);
}

/* Give pattern candidate c the entity of the longest gazetteer candidate
 * among c[0..nnames) (the names, sorted by start) of the same type that
 * lies inside it and ends where it ends: "Cumhurbaşkanı Tayyip Erdoğan'ın"
 * names the entity of "Erdoğan'ın", so both count as one.  A name ending
 * before the end ("Avrupa Birliği Komisyonu") is another entity. */
static void adopt_entity(nd_scan *sc, cand *c, size_t nnames)
{
    const nd_rules *r = sc->r;
    size_t lo = 0, hi = nnames, best = SIZE_MAX;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->c[mid].m.start < c->m.start) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < nnames && sc->c[lo].m.start < c->m.stop; lo++) {
        const nd_match *g = &sc->c[lo].m;
        if (g->stop != c->m.stop || g->status != ND_MATCH_CANDIDATE || strcmp(g->type, c->m.type) != 0)
            continue;
        if (best == SIZE_MAX || g->stop - g->start > sc->c[best].m.stop - sc->c[best].m.start) best = lo;
    }
    if (best == SIZE_MAX) return;
    c->m.entry = sc->c[best].m.entry;
    c->m.id = nd__entry_id(r, &r->entries[c->m.entry]);
    c->idoff = SIZE_MAX;
}

/* The marked tokens [lo, hi) of a pattern of type `type` without their
 * last words where those are a name of another type ("Genel Sekreteri
 * Rutte Ankara'da": the capitalised run ends before the city).  At least
 * one token stays.  Returns the new hi. */
static size_t trim_names(const nd_scan *sc, size_t lo, size_t hi, size_t nnames, const char *type)
{
    while (hi > lo + 1) {
        size_t a = 0, b = nnames, cut = hi;
        const tok *last = &sc->toks[hi - 1];
        while (a < b) {                              /* first name starting at or after lo + 1 */
            size_t mid = a + (b - a) / 2;
            if (sc->c[mid].m.start < sc->toks[lo + 1].start) a = mid + 1;
            else b = mid;
        }
        for (; a < nnames && sc->c[a].m.start <= last->start; a++) {
            const nd_match *g = &sc->c[a].m;
            size_t t;
            if (g->stop != last->stop || g->status != ND_MATCH_CANDIDATE || strcmp(g->type, type) == 0)
                continue;
            t = nd_scan_token_at(sc, g->start);
            if (t > lo && t < hi && sc->toks[t].start == g->start && t < cut) cut = t;
        }
        if (cut == hi) break;
        hi = cut;
    }
    return hi;
}

static int scan_patterns(nd_scan *sc)
{
    const nd_rules *r = sc->r;
    size_t ri, t, nnames = sc->nc;
    for (ri = 0; ri < r->nrules; ri++) {
        const rule *ru = &r->rules[ri];
        size_t last_lo = 0, last_hi = 0;
        if (!ru->elems) continue;
        for (t = 0; t < sc->ntok; t++) {
            pctx p = { sc, ru, t, 0, SIZE_MAX, 0, 20000 };
            size_t lo, hi, i;
            const tok *a, *b;
            unsigned char k0 = (unsigned char)sc->key.ptr[sc->toks[t].ks], o0;
            if (!(ru->first[k0 >> 3] & (1u << (k0 & 7)))) continue;
            o0 = (unsigned char)sc->s[sc->toks[t].start];
            if (ru->first_cap && o0 < 0x80 && !(o0 >= 'A' && o0 <= 'Z')) continue;
            if (!pmatch(&p, 0, t, 0, 0)) continue;
            if (p.mlo == SIZE_MAX) {
                int any_mark = 0;
                for (i = 0; i < ru->nelems; i++) any_mark |= ru->elems[i].mark;
                if (any_mark) continue;             /* the marked part matched nothing */
                lo = t;
                hi = p.end;
            } else {
                lo = p.mlo;
                hi = p.mhi;
            }
            if (hi <= lo) continue;
            if (!ru->id) hi = trim_names(sc, lo, hi, nnames, ru->type);
            if (lo >= last_lo && hi <= last_hi) continue;   /* inside the previous one */
            last_lo = lo;
            last_hi = hi;
            a = &sc->toks[lo];
            b = &sc->toks[hi - 1];
            if (add_cand(sc, a->start, b->stop, b->suffix_start, (unsigned)ri, ND_NO_ENTRY, 0,
                         ND_MATCH_CANDIDATE) != ND_OK)
                return ND_ENOMEM;
            if (!ru->id && add_id(sc, lo, hi, &sc->c[sc->nc - 1].idoff) != ND_OK) return ND_ENOMEM;
            if (!ru->id) adopt_entity(sc, &sc->c[sc->nc - 1], nnames);
        }
    }
    return ND_OK;
}

/* ---- scanning and resolution ------------------------------------------------- */

static int by_start(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->m.start != b->m.start) return a->m.start < b->m.start ? -1 : 1;
    if (a->m.stop != b->m.stop) return a->m.stop > b->m.stop ? -1 : 1;
    if (a->m.rule_index != b->m.rule_index) return a->m.rule_index < b->m.rule_index ? -1 : 1;
    if (a->m.entry != b->m.entry) return a->m.entry < b->m.entry ? -1 : 1;
    return 0;
}

/* Sort the candidates by start (by_start).  Names come by start already,
 * but the walk from one start finds the shorter names first, so nearly
 * every text is out of order in small runs, and sorting them all with
 * qsort (a merge sort copying whole candidates) was a third of a dense
 * scan.  Insertion fixes those runs in place; patterns (whole rules after
 * the names) can be far out of order, so after INSERT_BUDGET moves a
 * candidate, qsort takes the rest.  Both keep equal candidates in their
 * order (glibc's qsort is a merge sort), so either ends in qsort's order. */
#define INSERT_BUDGET(n) (4 * (n) + 64)

static void sort_cands(nd_scan *sc)
{
    size_t i, moves = 0;
    for (i = 1; i < sc->nc; i++) {
        cand m;
        size_t j = i;
        if (by_start(&sc->c[i - 1], &sc->c[i]) <= 0) continue;
        m = sc->c[i];
        for (; j > 0 && by_start(&sc->c[j - 1], &m) > 0; j--) {
            if (++moves > INSERT_BUDGET(sc->nc)) {
                sc->c[j] = m;
                qsort(sc->c, sc->nc, sizeof *sc->c, by_start);
                return;
            }
            sc->c[j] = sc->c[j - 1];
        }
        sc->c[j] = m;
    }
}

/* 1 when s may hold a URL or an e-mail address: an '@', "://" or "www."
 * (any case), the places where the tokenizer can find one. */
static int may_hold_address(const char *s, size_t len)
{
    const char *p, *end = s + len;
    if (memchr(s, '@', len)) return 1;
    for (p = s; (p = memchr(p, ':', (size_t)(end - p))) != NULL; p++)
        if (end - p > 2 && p[1] == '/' && p[2] == '/') return 1;
    for (p = s; (p = memchr(p, '.', (size_t)(end - p))) != NULL; p++)   /* "www." */
        if (p - s >= 3 && (p[-1] | 0x20) == 'w' && (p[-2] | 0x20) == 'w' && (p[-3] | 0x20) == 'w') return 1;
    return 0;
}

/* Drop the candidates that overlap a URL or an e-mail address of the
 * original text, found by the tokenizer so both agree on where one ends.
 * Candidates are sorted by start. */
static void drop_addresses(nd_scan *sc, const char *s, size_t len)
{
    nd_tokenizer tz;
    nd_token tk;
    size_t i = 0;
    nd_tokenizer_init(&tz, s, len);
    while (i < sc->nc && nd_tokenizer_next(&tz, &tk)) {
        if (tk.kind != ND_TOKEN_URL && tk.kind != ND_TOKEN_EMAIL) continue;
        while (i < sc->nc && sc->c[i].m.stop <= tk.start) i++;
        for (; i < sc->nc && sc->c[i].m.start < tk.stop; i++)
            if (sc->c[i].m.stop > tk.start) sc->c[i].m.status = ND_MATCH_ADDRESS;
    }
}

/* The walk from a token start misses the cache at its first deep steps
 * (the depth-2 node's line and deep edge, the three-byte filter): ask for them
 * a few token starts early, so the misses overlap the walks between. */
#define PREFETCH_AHEAD 4

static void prefetch_walk(const nd_scan *sc, size_t ks)
{
    const nd_rules *r = sc->r;
    const unsigned char *key = (const unsigned char *)sc->key.ptr;
    uint32_t v, node, c0 = key[ks], c1, c2, t;
    if (ks + 2 >= sc->key.len) return;
    c1 = key[ks + 1] == '-' ? ' ' : key[ks + 1];
    c2 = key[ks + 2] == '-' ? ' ' : key[ks + 2];
    v = r->root2[c0 << 8 | c1];
    if (!v) return;
    node = v & TRIE_NODE;
    t = c0 << 16 | c1 << 8 | c2;
    __builtin_prefetch(&r->tri[t >> 3]);
    __builtin_prefetch(&r->tnode[node]);
    if (r->edges.cap) __builtin_prefetch(&r->edges.slot[edge_hash(node << 8 | c2, r->edges.cap - 1)]);
}

int nd_rules_scan(const nd_rules *r, nd_scan *sc, const char *s, size_t len, unsigned flags)
{
    size_t k, i, nstarts;
    int rc;
    sc->r = r;
    sc->s = s;
    sc->len = len;
    sc->flags = flags;
    sc->nc = sc->ntaken = sc->ntok = 0;
    sc->ids.len = 0;
    sc->resolved = 0;
    rc = nd_text_fold(&sc->fold, s, len, 0, sc->map);
    if (rc != ND_OK) return rc;
    if (unglue_symbols(sc) && (rc = fold_spaced(sc)) != ND_OK) return rc;
    if (GROW(sc->starts, sc->capstarts, sc->fold.len / 2 + 2) != ND_OK) return ND_ENOMEM;
    rc = key_stream(sc->fold.ptr ? sc->fold.ptr : "", sc->fold.len, sc->s, sc->map, &sc->key, &sc->kmap,
                    &sc->kcap, sc->starts, &nstarts);
    if (rc != ND_OK) return rc;
    sc->khint_at = 0;
    for (i = 0; i < nstarts; i++) {
        k = sc->starts[i];
        if (r->root2) {
            if (i + PREFETCH_AHEAD < nstarts) prefetch_walk(sc, sc->starts[i + PREFETCH_AHEAD]);
            if ((rc = walk(sc, k)) != ND_OK) return rc;
        }
        if (r->nfz && (rc = fuzzy_at(sc, k)) != ND_OK) return rc;
    }
    if (r->npatterns || (flags & ND_SCAN_TOKENS)) {
        if ((rc = build_tokens(sc)) != ND_OK) return rc;
        if (r->npatterns && (rc = scan_patterns(sc)) != ND_OK) return rc;
    }
    sort_cands(sc);
    if (sc->nc && may_hold_address(s, len)) drop_addresses(sc, s, len);
    for (i = 0; i < sc->nc; i++)
        if (sc->c[i].idoff != SIZE_MAX) sc->c[i].m.id = sc->ids.ptr + sc->c[i].idoff;
    if (flags & ND_SCAN_DEFER) return ND_OK;
    return nd_scan_resolve(sc);
}

size_t nd_scan_ncandidates(const nd_scan *sc) { return sc->nc; }

const nd_match *nd_scan_candidate(const nd_scan *sc, size_t i)
{
    return i < sc->nc ? &sc->c[i].m : NULL;
}

void nd_scan_reject(nd_scan *sc, size_t i)
{
    if (i < sc->nc && (sc->c[i].m.status == ND_MATCH_CANDIDATE || sc->c[i].m.status == ND_MATCH_TAKEN ||
                       sc->c[i].m.status == ND_MATCH_OVERLAP))
        sc->c[i].m.status = ND_MATCH_REJECTED;
}

/* Overlap rank (see nd_rules.h): longer, exact, longer name, higher
 * priority, earlier rule, earlier start. */
static int by_rank(const void *x, const void *y)
{
    const nd_match *a = *(const nd_match *const *)x, *b = *(const nd_match *const *)y;
    size_t la = a->stop - a->start, lb = b->stop - b->start;
    if (la != lb) return la > lb ? -1 : 1;
    if (a->edits != b->edits) return a->edits < b->edits ? -1 : 1;
    if (a->suffix_start - a->start != b->suffix_start - b->start)
        return a->suffix_start - a->start > b->suffix_start - b->start ? -1 : 1;
    if (a->priority != b->priority) return a->priority > b->priority ? -1 : 1;
    if (a->rule_index != b->rule_index) return a->rule_index < b->rule_index ? -1 : 1;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->entry != b->entry) return a->entry < b->entry ? -1 : 1;
    return a < b ? -1 : a > b;                       /* the earlier candidate */
}

/* Candidates are sorted by start, so the ones that overlap each other come
 * in runs (a candidate overlaps the run before it when it starts before
 * the run's furthest stop).  The overlap rank decides only inside a run: a
 * run of one is taken as it is, a run of a few is sorted and resolved
 * against what it took, a longer one on its own span of the owner array.
 * Dense matches are mostly alone, and the sort of every candidate of the
 * text was the scan's largest cost. */
static void resolve_owner(nd_scan *sc, nd_match **ord, size_t n, size_t lo, size_t hi);

/* A run of up to RUN_FEW candidates is resolved against the list of those
 * it has taken so far (they own disjoint spans): a candidate that meets
 * one is shadowed by the one starting first, which owns the first of its
 * bytes that is owned.  That answers as the owner array does, without
 * clearing and marking every byte of the run. */
#define RUN_FEW 32

static void resolve_run(nd_scan *sc, nd_match **ord, size_t n, size_t lo, size_t hi)
{
    const nd_match *took[RUN_FEW];
    size_t i, j, ntook = 0;
    if (n == 1) {
        ord[0]->status = ND_MATCH_TAKEN;
        return;
    }
    if (n > RUN_FEW) {
        resolve_owner(sc, ord, n, lo, hi);
        return;
    }
    for (i = 1; i < n; i++) {                        /* the usual few: insertion */
        nd_match *m = ord[i];
        for (j = i; j > 0 && by_rank(&m, &ord[j - 1]) < 0; j--) ord[j] = ord[j - 1];
        ord[j] = m;
    }
    for (i = 0; i < n; i++) {
        nd_match *m = ord[i];
        const nd_match *first = NULL;
        for (j = 0; j < ntook && m->start < m->stop; j++)
            if (took[j]->start < m->stop && m->start < took[j]->stop && (!first || took[j]->start < first->start))
                first = took[j];
        if (first) {
            m->status = ND_MATCH_OVERLAP;
            m->shadowed_by = (size_t)((const cand *)(const void *)first - sc->c);
            continue;
        }
        m->status = ND_MATCH_TAKEN;
        if (m->start < m->stop) took[ntook++] = m;   /* an empty one owns no byte */
    }
}

/* A longer run: sorted, and resolved on its own span of the owner array. */
static void resolve_owner(nd_scan *sc, nd_match **ord, size_t n, size_t lo, size_t hi)
{
    size_t i;
    memset(sc->owner + lo, 0, (hi - lo) * sizeof *sc->owner);
    qsort(ord, n, sizeof *ord, by_rank);
    for (i = 0; i < n; i++) {
        nd_match *m = ord[i];
        size_t b, idx = (size_t)((const cand *)(const void *)m - sc->c);
        for (b = m->start; b < m->stop; b++)
            if (sc->owner[b]) break;
        if (b < m->stop) {
            m->status = ND_MATCH_OVERLAP;
            m->shadowed_by = sc->owner[b] - 1;
            continue;
        }
        m->status = ND_MATCH_TAKEN;
        for (b = m->start; b < m->stop; b++) sc->owner[b] = (uint32_t)idx + 1;
    }
}

int nd_scan_resolve(nd_scan *sc)
{
    size_t i, n = 0, lo = 0, hi = 0;
    nd_match **ord;
    if (GROW(sc->order, sc->caporder, sc->nc + 1) != ND_OK) return ND_ENOMEM;
    if (GROW(sc->taken, sc->captaken, sc->nc + 1) != ND_OK) return ND_ENOMEM;
    if (GROW(sc->owner, sc->capowner, sc->len + 1) != ND_OK) return ND_ENOMEM;
    ord = sc->order;
    for (i = 0; i < sc->nc; i++) {
        nd_match *m = &sc->c[i].m;
        if (m->status == ND_MATCH_TAKEN || m->status == ND_MATCH_OVERLAP) m->status = ND_MATCH_CANDIDATE;
        if (m->status != ND_MATCH_CANDIDATE) continue;
        if (n && m->start >= hi) {                    /* the run before ends here */
            resolve_run(sc, ord, n, lo, hi);
            n = 0;
        }
        if (!n) lo = m->start, hi = m->stop;
        if (m->stop > hi) hi = m->stop;
        ord[n++] = m;
    }
    if (n) resolve_run(sc, ord, n, lo, hi);
    sc->ntaken = 0;
    for (i = 0; i < sc->nc; i++)
        if (sc->c[i].m.status == ND_MATCH_TAKEN) sc->taken[sc->ntaken++] = i;
    sc->resolved = 1;
    return ND_OK;
}

size_t nd_scan_count(const nd_scan *sc) { return sc->ntaken; }

const nd_match *nd_scan_match(const nd_scan *sc, size_t i)
{
    return i < sc->ntaken ? &sc->c[sc->taken[i]].m : NULL;
}

size_t nd_scan_ntokens(const nd_scan *sc) { return sc->ntok; }

void nd_scan_token(const nd_scan *sc, size_t i, size_t *start, size_t *stop)
{
    *start = i < sc->ntok ? sc->toks[i].start : sc->len;
    *stop = i < sc->ntok ? sc->toks[i].stop : sc->len;
}

size_t nd_scan_token_at(const nd_scan *sc, size_t offset)
{
    size_t lo = 0, hi = sc->ntok;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->toks[mid].stop > offset) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

int nd_rules_tr_suffix(const char *stem, size_t stemlen, const char *rest, size_t restlen)
{
    return nd__tr_suffix_ok(stem, stemlen, rest, restlen);
}
