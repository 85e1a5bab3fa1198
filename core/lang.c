/*
 * lang.c — nd_lang_detect and nd_lang_scores (see include/nd_dates.h).
 *
 * Naive Bayes over character n-grams (n = 1..3) with the model of
 * lang_model.h: 39 languages written in Latin, Cyrillic or Arabic script,
 * of which nd_lang_detect names 14 (NAMED in core/langgen/gen_lang.py) and
 * answers "und" for the others.  One pass over the text: letters are counted by script, every
 * word's n-grams add their bonuses to the classes that have seen them, and
 * the pass stops early once one language leads by far.  A class then loses
 * what its marker letters (lang_model.h) say when the text lacks them: n
 * letters of its script without a letter it writes at rate r cost n * r
 * nats, so a long Cyrillic text with no ы is unlikely Russian, one with no
 * ъ unlikely Bulgarian.  Then the decision:
 * the script that holds most letters picks the competing classes; the best
 * one wins if it is named, leads the runner-up by a margin, and the text
 * has none of the letters that language does not write.  No allocation, no
 * global state.
 */
#include <stdlib.h>
#include <string.h>

#include "lang_model.h"
#include "nd_dates.h"
#include "text_internal.h"

/* Decision constants, tuned on the dev half of tests/data/lang
 * (build/lang/lang_eval --split dev), in nats: a named language's head
 * start over the others, and how far the winner must lead its runner-up:
 * MARGIN_NATS, and MARGIN_MILLI thousandths of a nat per letter read, up
 * to SETTLED_NATS (short texts decide on less). */
#define PRIOR_NATS   8
#define WORD_NATS    3          /* per function word of a named language (gen_lang.py) */
#define SOLE_WORD_NATS 16      /* ...that no other class lists (lang_model.h) */
#define MARGIN_NATS  2
#define MARGIN_MILLI 140
#define MIN_LETTERS  10          /* fewer letters: "und" */
#define SETTLED_NATS 50          /* a lead that more text will not overturn... */
#define SETTLED_LETTERS 100      /* ...once this many letters are read */
#define RESCUE_NATS  10          /* see decide() */
#define MARKER_PERCENT 100       /* weight of a missing marker letter's cost */

/* Stands in foreign[] for a Cyrillic letter, an apostrophe (' U+2019 U+02BC)
 * and a lower-case я or ю, as in Ukrainian м'ясо, п'ять, сім'я: Russian and
 * Bulgarian write ь or ъ there (Russian О'Нил has a capital after it). */
#define APOSTROPHE 0x2BC

/* Letters a language does not write, though its neighbours do.  A class
 * whose letters the text contradicts does not compete; a text in
 * Belarusian (ў), Serbian (ђ ћ), Kazakh (ә ғ қ ...) contradicts all the
 * Cyrillic ones and is "und", and Turkish does not write the ə of
 * Azerbaijani.  Code points, 0-terminated. */
#define OTHER_CYRILLIC 0x45E, 0x452, 0x45B, 0x4D9, 0x493, 0x49B, 0x4A3, 0x4E9, 0x4B1, 0x4AF, 0x4BB
static const struct foreign {
    const char *lang;
    uint16_t cp[32];
} foreign[] = {
    { "ru", { 0x456, 0x457, 0x454, 0x491, 0x453, 0x45C, 0x455, 0x458, 0x459, 0x45A, 0x45F,
              OTHER_CYRILLIC, APOSTROPHE, 0 } },           /* і ї є ґ ѓ ќ ѕ ј љ њ џ 'я */
    { "uk", { 0x44B, 0x44D, 0x44A, 0x451, 0x453, 0x45C, 0x455, 0x458, 0x459, 0x45A, 0x45F,
              OTHER_CYRILLIC, 0 } },                       /* ы э ъ ё ѓ ќ ѕ ј љ њ џ */
    { "bg", { 0x44B, 0x44D, 0x451, 0x456, 0x457, 0x454, 0x491, 0x453, 0x45C, 0x455, 0x458,
              0x459, 0x45A, 0x45F, OTHER_CYRILLIC, APOSTROPHE, 0 } },  /* ы э ё і ї є ґ ѓ ќ ѕ ј љ њ џ 'я */
    { "mk", { 0x439, 0x449, 0x44C, 0x44E, 0x44F, 0x44B, 0x44D, 0x451, 0x44A, 0x456, 0x457,
              0x454, 0x491, OTHER_CYRILLIC, 0 } },         /* й щ ь ю я ы э ё ъ і ї є ґ */
    { "tr", { 0x259, 0 } },                                /* ə */
};

/* Evidence gathered in one pass. */
typedef struct counts {
    size_t letters[ND__LANG_NSCRIPTS + 1];   /* by script; the last: any other script */
    int32_t score[ND__LANG_MAXCLASSES + 32]; /* 1/nd__lang_scale nat; room for a row's padding */
    uint64_t cyr_seen[4];                    /* bit (cp - 0x400) for Cyrillic cp 0x400..0x4FF met */
    uint64_t seen[16];                       /* bit l for every letter index l met */
    int apostrophe;                          /* a Cyrillic letter, an apostrophe, я or ю */
} counts;

/* Script of a code point: ND__LANG_* or ND__LANG_NSCRIPTS for another
 * script's letter, -1 for anything that is not a letter of ours. */
static int script_of(int32_t cp)
{
    if (cp < 0x80)
        return ((cp | 32) >= 'a' && (cp | 32) <= 'z') ? ND__LANG_LATIN : -1;
    if (cp >= 0xC0 && cp <= 0x2AF && cp != 0xD7 && cp != 0xF7)     /* with IPA: az ə */
        return ND__LANG_LATIN;
    if (cp >= 0x1E00 && cp <= 0x1EFF)
        return ND__LANG_LATIN;
    if (cp >= 0x400 && cp <= 0x52F)
        return ND__LANG_CYRILLIC;
    if ((cp >= 0x620 && cp <= 0x64A) || (cp >= 0x66E && cp <= 0x6D3) || (cp >= 0x6FA && cp <= 0x6FF) ||
        (cp >= 0x750 && cp <= 0x77F) || (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFC))
        return ND__LANG_ARABIC;
    if ((cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x530 && cp <= 0x5FF) || (cp >= 0x900 && cp <= 0x1FFF) ||
        (cp >= 0x3040 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) || cp >= 0x10000)
        return ND__LANG_NSCRIPTS;
    return -1;
}

/* The model's letter index of cp (lower-cased, normalized), 0 if none. */
static unsigned letter_of(int32_t cp)
{
    size_t lo = 0, hi = nd__lang_nletter_hi;
    if (cp < 0x780)
        return cp >= 0 ? nd__lang_letter_lo[cp] : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (nd__lang_letter_hi[mid].cp == (uint32_t)cp)
            return nd__lang_letter_hi[mid].letter;
        if (nd__lang_letter_hi[mid].cp < (uint32_t)cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* A word's bonuses, gathered in 16-bit lanes laid out as counts.score and
 * added to the scores once the word ends: a lane holds at most 65 places
 * of a word (64 letters and the space after) times three n-grams times
 * 255, under 65,536, and adding 16-bit lanes takes a third of the
 * instructions of widening every row to 32 bits.  scripts: bit s for each
 * script whose lanes hold something. */
typedef struct word_sum {
    uint16_t lane[ND__LANG_MAXCLASSES + 32];
    unsigned scripts;
} word_sum;

/* Add the bonuses of one packed n-gram to the word's sums. */
static void add_ngram(word_sum *w, uint32_t key)
{
    uint32_t mask = (1u << nd__lang_slot_bits) - 1;
    uint32_t h = (uint32_t)(key * 2654435761u) >> (32 - nd__lang_slot_bits);
    for (;;) {
        const nd__lang_slot *s = &nd__lang_slots[h];
        if (s->key == key) {
            const nd__lang_script *sc = &nd__lang_scripts[s->val >> 30];
            const uint8_t *row = nd__lang_rows + (s->val & 0x3FFFFFFF);
            uint16_t *lane = w->lane + sc->base;
            unsigned j;
            w->scripts |= 1u << (s->val >> 30);
            if (sc->width == 32) {              /* Latin: a fixed length the compiler vectorizes */
                for (j = 0; j < 32; j++)
                    lane[j] = (uint16_t)(lane[j] + row[j]);
            } else {
                for (j = 0; j < sc->width; j++)
                    lane[j] = (uint16_t)(lane[j] + row[j]);
            }
            return;
        }
        if (s->key == 0)
            return;
        h = (h + 1) & mask;
    }
}

/* Add a word's sums to the scores and clear them. */
static void add_sums(counts *c, word_sum *w)
{
    unsigned s, j;
    for (s = 0; w->scripts; s++) {
        const nd__lang_script *sc = &nd__lang_scripts[s];
        int32_t *score = c->score + sc->base;
        uint16_t *lane = w->lane + sc->base;
        if (!((w->scripts >> s) & 1))
            continue;
        w->scripts &= ~(1u << s);
        if (sc->width == 32) {                  /* as in add_ngram */
            for (j = 0; j < 32; j++)
                score[j] += lane[j];
        } else {
            for (j = 0; j < sc->width; j++)
                score[j] += lane[j];
        }
        memset(lane, 0, sc->width * sizeof *lane);
    }
}

/* A function word's bonus for each class that lists it. */
static void add_function_word(counts *c, const uint16_t *w, size_t n)
{
    uint64_t key = 0, m;
    size_t i, lo = 0, hi = nd__lang_nwords;
    if (n > 8)
        return;
    for (i = 0; i < n; i++)
        key = (key << 8) | w[i];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (nd__lang_words[mid].letters < key) {
            lo = mid + 1;
        } else if (nd__lang_words[mid].letters > key) {
            hi = mid;
        } else {
            int32_t bonus = nd__lang_words[mid].sole ? SOLE_WORD_NATS : WORD_NATS;
            for (m = nd__lang_words[mid].classes, i = 0; m; m >>= 1, i++)
                if (m & 1)
                    c->score[i] += bonus * nd__lang_scale;
            return;
        }
    }
}

/* Score one word w[0..n) (n <= 64) of letter indexes, padded by a space
 * each side; sum's lanes are clear before and after. */
static void add_word(counts *c, word_sum *sum, const uint16_t *w, size_t n)
{
    size_t i;
    uint32_t a = 0, b = 0;       /* the two letters before, 0 = space */
    add_function_word(c, w, n);
    for (i = 0; i <= n; i++) {
        uint32_t l = i < n ? w[i] : 0;
        add_ngram(sum, (2u << 30) | (b << 10) | l);
        add_ngram(sum, (3u << 30) | (a << 20) | (b << 10) | l);
        if (l)
            add_ngram(sum, (1u << 30) | l);
        a = b;
        b = l;
    }
    add_sums(c, sum);
}

/* Best and runner-up class of a script, with the named-language prior. */
static int rank(const counts *c, int script, uint64_t skip, int *second, int32_t *lead)
{
    int32_t prior = PRIOR_NATS * nd__lang_scale, best_v = 0, second_v = 0;
    int best = -1, k;
    *second = -1;
    for (k = 0; k < (int)nd__lang_nclasses; k++) {
        int32_t v;
        if (nd__lang_classes[k].script != script || ((skip >> k) & 1))
            continue;
        v = c->score[k] + (nd__lang_classes[k].named ? prior : 0);
        if (best < 0 || v > best_v) {
            *second = best;
            second_v = best_v;
            best = k;
            best_v = v;
        } else if (*second < 0 || v > second_v) {
            *second = k;
            second_v = v;
        }
    }
    *lead = *second < 0 ? best_v : best_v - second_v;
    return best;
}

/* The script holding more than half the letters, or -1. */
static int main_script(const counts *c)
{
    size_t all = 0;
    int s;
    for (s = 0; s <= ND__LANG_NSCRIPTS; s++)
        all += c->letters[s];
    for (s = 0; s < ND__LANG_NSCRIPTS; s++)
        if (c->letters[s] * 2 > all)
            return s;
    return -1;
}

/* 1 when more text will not change the answer. */
static int settled(const counts *c)
{
    int s = main_script(c), second;
    int32_t lead;
    if (s < 0 || c->letters[s] < SETTLED_LETTERS)
        return 0;
    rank(c, s, 0, &second, &lead);
    return lead >= SETTLED_NATS * nd__lang_scale;
}

/* Gather the evidence of s.  With `early`, stop once it is settled. */
static void count(const char *s, size_t len, counts *c, int early)
{
    const unsigned char *u = (const unsigned char *)s;
    uint16_t word[64];
    word_sum sum;
    size_t i = 0, n = 0, check = SETTLED_LETTERS;
    int before = 0;          /* 1: the last code point a Cyrillic letter; 2: and then an apostrophe */
    memset(c, 0, sizeof *c);
    memset(&sum, 0, sizeof sum);
    while (i <= len) {
        int32_t cp = ' ';
        size_t step = 1;
        unsigned l = 0;
        int sc;
        if (i < len)
            step = nd__utf8_next(u + i, len - i, &cp);
        if (cp >= 0x300 && cp <= 0x36F) {       /* a combining mark: part of the word */
            i += step;
            continue;
        }
        sc = script_of(cp);
        if (before == 2 && (cp == 0x44F || cp == 0x44E))
            c->apostrophe = 1;
        if (sc == ND__LANG_CYRILLIC)
            before = 1;
        else
            before = before == 1 && (cp == '\'' || cp == 0x2019 || cp == 0x2BC) ? 2 : 0;
        if (sc >= 0) {
            c->letters[sc]++;
            if (sc == ND__LANG_CYRILLIC && cp <= 0x4FF)
                c->cyr_seen[(cp - 0x400) >> 6] |= (uint64_t)1 << ((cp - 0x400) & 63);
            if (sc < ND__LANG_NSCRIPTS)
                l = letter_of(cp);
        }
        if (l)
            c->seen[(l >> 6) & 15] |= (uint64_t)1 << (l & 63);
        if (l && n < ND_ARRAY_LEN(word)) {
            word[n++] = (uint16_t)l;
        } else if (!l && n) {
            add_word(c, &sum, word, n);
            n = 0;
            if (early && c->letters[ND__LANG_LATIN] + c->letters[ND__LANG_CYRILLIC] +
                             c->letters[ND__LANG_ARABIC] >= check) {
                if (settled(c))
                    return;
                check += 64;
            }
        }
        i += step;
    }
}

/* Take off each class the cost of the marker letters the text lacks. */
static void mark_absent(counts *c)
{
    size_t i;
    for (i = 0; i < nd__lang_nmarkers; i++) {
        const nd__lang_marker *m = &nd__lang_markers[i];
        int64_t cost;
        if (c->seen[(m->letter >> 6) & 15] & ((uint64_t)1 << (m->letter & 63)))
            continue;
        cost = (int64_t)c->letters[nd__lang_classes[m->cls].script] * m->rate * nd__lang_scale *
               MARKER_PERCENT / 100000000;
        c->score[m->cls] -= (int32_t)cost;
    }
}

/* 1 when the text held code point cp: Cyrillic ones by code point (the
 * model has no letter for ў or ђ), the others by the model's letter;
 * APOSTROPHE when it held one in a Cyrillic word before я or ю. */
static int met(const counts *c, uint16_t cp)
{
    unsigned d = cp - 0x400u, l;
    if (cp == APOSTROPHE)
        return c->apostrophe;
    if (d < 0x100)
        return (c->cyr_seen[d >> 6] >> (d & 63)) & 1;
    l = letter_of(cp);
    return l && ((c->seen[(l >> 6) & 15] >> (l & 63)) & 1);
}

/* Bit k set when the text holds a letter class k does not write. */
static uint64_t contradicted(const counts *c)
{
    uint64_t m = 0;
    size_t k, f, j;
    for (k = 0; k < nd__lang_nclasses; k++)
        for (f = 0; f < ND_ARRAY_LEN(foreign); f++) {
            if (memcmp(foreign[f].lang, nd__lang_classes[k].code, 3) != 0)
                continue;
            for (j = 0; foreign[f].cp[j]; j++)
                if (met(c, foreign[f].cp[j]))
                    m |= (uint64_t)1 << k;
        }
    return m;
}

/* The lead a winner needs after `letters` letters, in thousandths of a nat. */
static int64_t margin_milli(size_t letters)
{
    int64_t m = (int64_t)letters * MARGIN_MILLI;
    if (m < MARGIN_NATS * 1000)
        m = MARGIN_NATS * 1000;
    if (m > SETTLED_NATS * 1000)
        m = SETTLED_NATS * 1000;
    return m;
}

/* The answer: a named language's class index, or -1 for "und".  The
 * classes the letters contradict drop out; the best of the rest must not
 * trail the overall best by more than RESCUE_NATS. */
static int decide(const counts *c)
{
    int s = main_script(c), best, second, top;
    int32_t lead, top_lead;
    uint64_t skip;
    if (s < 0 || c->letters[s] < MIN_LETTERS)
        return -1;
    skip = contradicted(c);
    top = rank(c, s, 0, &second, &top_lead);
    best = rank(c, s, skip, &second, &lead);
    if (best < 0 || !nd__lang_classes[best].named)
        return -1;
    if (best != top && c->score[top] - c->score[best] > RESCUE_NATS * nd__lang_scale)
        return -1;
    if ((int64_t)lead * 1000 < margin_milli(c->letters[s]) * nd__lang_scale)
        return -1;
    return best;
}

const char *nd_lang_detect(const char *s, size_t len)
{
    counts c;
    int k;
    if (!s || !len)
        return "und";
    count(s, len, &c, 1);
    mark_absent(&c);
    k = decide(&c);
    return k < 0 ? "und" : nd__lang_classes[k].code;
}

size_t nd_lang_scores(const char *s, size_t len, nd_lang_score *out, size_t n)
{
    counts c;
    nd_lang_score all[ND__LANG_MAXCLASSES];
    size_t k, j;
    if (!out)
        return nd__lang_nclasses;
    memset(&c, 0, sizeof c);
    if (s && len) {
        count(s, len, &c, 0);
        mark_absent(&c);
    }
    for (k = 0; k < nd__lang_nclasses; k++) {      /* insertion sort, best first, stable */
        nd_lang_score e = { nd__lang_classes[k].code, (int)c.score[k] };
        for (j = k; j > 0 && all[j - 1].score < e.score; j--)
            all[j] = all[j - 1];
        all[j] = e;
    }
    for (k = 0; k < n && k < nd__lang_nclasses; k++)
        out[k] = all[k];
    return k;
}
