/*
 * rules_suffix.c — does the rest of a word form a chain of Turkish suffixes
 * after a name?  Used by rules with suffixes="tr" for words with no
 * apostrophe ("Rusyaya", "Ankaralı", "Kuzey Koreden"), and by the store's
 * full-text index for the stems of Turkish words (inflections only).
 *
 * Suffixes are written as templates over archiphonemes:
 *   A  a/e by the last vowel (back/front)      I  ı/i/u/ü (4-way harmony)
 *   D  d, t after a voiceless consonant        C  c, ç after a voiceless consonant
 *   Y N S  buffer y/n/s, only after a vowel    J  the vowel I, only after a consonant
 *   $  ş          anything else: itself
 * and ordered in classes: derivational < plural < possessive < case < "ki"
 * < copula (with its person ending); after "ki" a plural or case may follow
 * again.
 */
#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

#include "rules_internal.h"

typedef struct morph { const char *t; int cls; } morph;

/* The class of the locative and genitive, the cases -ki follows
 * (Suriye-de-ki, Erdoğan-ın-ki); -ki after a bare noun is the temporal one
 * (dünkü), so Türkiye is not read as tür + -ki + -ye.  Ordered as a case. */
#define KI_CASE 6

static const morph morphs[] = {
    { "lI", 0 }, { "lIk", 0 }, { "sIz", 0 }, { "CI", 0 }, { "CA", 0 },
    { "lAr", 1 },
    { "Jm", 2 }, { "JmIz", 2 }, { "Jn", 2 }, { "JnIz", 2 }, { "SI", 2 }, { "lArI", 2 },
    { "YI", 3 }, { "YA", 3 }, { "DA", KI_CASE }, { "DAn", 3 }, { "NIn", KI_CASE }, { "YlA", 3 },
    { "nI", 3 }, { "nA", 3 }, { "nDA", KI_CASE }, { "nDAn", 3 },
    { "ki", 4 },
    { "DIr", 5 }, { "YDI", 5 }, { "YsA", 5 }, { "YmI$", 5 }, { "Yken", 5 },
    /* the copula with its person ending (Göksel & Kerslake 8.2), the long
     * ones only: a short one (-dım, -dın, -iz, -sin) reads common words as
     * a shorter stem (yar-dım, Ay-dın, den-iz, Mer-sin), and search then
     * finds "yardım" for "yarın" */
    { "sInIz", 5 }, { "DIrlAr", 5 }, { "YDInIz", 5 }, { "YDIlAr", 5 }, { "YsAnIz", 5 }, { "YsAlAr", 5 },
    { "YmI$Im", 5 }, { "YmI$sIn", 5 }, { "YmI$Iz", 5 }, { "YmI$lAr", 5 },
};

#define MAXCP 64

/* The letters each template can begin with, a bit per letter (letter_bit):
 * a chain search tries every template at every position, and most differ
 * from the text in their first letter, which one AND tells without
 * realizing the template.  A buffer letter or the optional vowel J may be
 * left out, so the letter after it counts too.  Made once, from the
 * templates themselves, by the entry points (nd__tr_suffix_chain,
 * nd__tr_inflection_splits) before any search. */
static uint32_t morph_first[ND_ARRAY_LEN(morphs)];
static pthread_once_t morph_first_once = PTHREAD_ONCE_INIT;

/* A bit for each letter a template can make (a-z, ç ğ ı ö ş ü); 0 for any
 * other code point, which no template begins with. */
static uint32_t letter_bit(int32_t c)
{
    switch (c) {
    case 0xE7: return 1u << 26;
    case 0x11F: return 1u << 27;
    case 0x131: return 1u << 28;
    case 0xF6: return 1u << 29;
    case 0x15F: return 1u << 30;
    case 0xFC: return 1u << 31;
    default: return c >= 'a' && c <= 'z' ? 1u << (c - 'a') : 0;
    }
}

static void morph_first_make(void)
{
    size_t i;
    for (i = 0; i < ND_ARRAY_LEN(morphs); i++) {
        const char *t;
        uint32_t m = 0;
        int optional = 1;
        for (t = morphs[i].t; *t && optional; t++) {
            optional = *t == 'J' || *t == 'Y' || *t == 'N' || *t == 'S';
            switch (*t) {
            case 'A': m |= letter_bit('a') | letter_bit('e'); break;
            case 'I': case 'J': m |= letter_bit(0x131) | letter_bit('i') | letter_bit('u') | letter_bit(0xFC); break;
            case 'D': m |= letter_bit('d') | letter_bit('t'); break;
            case 'C': m |= letter_bit('c') | letter_bit(0xE7); break;
            case 'Y': m |= letter_bit('y'); break;
            case 'N': m |= letter_bit('n'); break;
            case 'S': m |= letter_bit('s'); break;
            case '$': m |= letter_bit(0x15F); break;
            default: m |= letter_bit((unsigned char)*t); break;
            }
        }
        morph_first[i] = m;
    }
}

/* Loanwords whose suffixes take front vowels though their last vowel is
 * back (Göksel & Kerslake, Turkish: A Comprehensive Grammar, 2005, ch. 2,
 * the exceptions to vowel harmony; G. L. Lewis, Turkish Grammar, 2000,
 * I,17): Arabic words in -l, -at and -k whose consonant was palatal
 * (hal: hali, halde; saat: saati; kabul: kabulü; idrak: idraki), and
 * French ones in -l (rol: rolü, role; kontrol: kontrolü; general:
 * generali; feodal: feodaller).  Their suffixes harmonize as if the last vowel were front
 * (a as e, ı as i, o as ö, u as ü).  Lower case, sorted by bytes;
 * kanal, futbol, sanat, hayat and the like are regular and not here. */
static const char *const front_loans[] = {
    "alkol", "amiral", "beraat", "bilal", "celal", "cemaat", "dikkat", "emlak", "emsal", "feodal", "festival",
    "final", "general", "gol", "hakikat", "hal", "harf", "harp", "hayal", "hilal", "ideal", "idrak", "ihmal",
    "ihtilal", "ihtimal", "ikbal", "ikmal", "iptal", "istikbal", "istiklal", "itaat", "iştirak", "kabahat",
    "kabul", "kalp", "kanaat", "kardinal", "kemal", "kontrol", "liberal", "lokal", "mahsul", "mareşal", "meal",
    "metal", "meçhul", "meşgul", "misal", "moral", "nasihat", "orijinal", "petrol", "protokol", "radikal",
    "resital", "rol", "saat", "santral", "sembol", "seyahat", "sinyal", "sual", "sıhhat", "terminal", "usul",
    "vokal", "ziraat",
};

/* Arabic words that double their last consonant before a vowel (G&K ch. 2;
 * Lewis I,18): hak: hakkı, hakkında; ret: reddi; tıp: tıbbı.  The doubled
 * stem as it stands before the vowel, and the word.  Sorted by bytes. */
static const char *const doubled[][2] = {
    { "aff", "af" }, { "cedd", "cet" }, { "fenn", "fen" }, { "hacc", "hac" }, { "hadd", "had" },
    { "hakk", "hak" }, { "hatt", "hat" }, { "hazz", "haz" }, { "hiss", "his" }, { "hürr", "hür" },
    { "mahall", "mahal" }, { "muhibb", "muhip" }, { "redd", "ret" }, { "sırr", "sır" }, { "tıbb", "tıp" },
    { "zamm", "zam" }, { "zann", "zan" }, { "zıdd", "zıt" }, { "üss", "üs" }, { "şerr", "şer" },
    { "şıkk", "şık" },
};

typedef struct hstate { int32_t lastv; int endv, voiceless; } hstate;

static int is_vowel(int32_t c)
{
    return c == 'a' || c == 'e' || c == 0x131 || c == 'i' || c == 'o' || c == 0xF6 ||
           c == 'u' || c == 0xFC || c == 0xE2 || c == 0xEE || c == 0xFB;
}

static int is_back(int32_t v)
{
    return v == 'a' || v == 0x131 || v == 'o' || v == 'u' || v == 0xE2 || v == 0xFB;
}

static int is_voiceless(int32_t c)
{
    return c == 0xE7 || c == 'f' || c == 'h' || c == 'k' || c == 'p' || c == 's' ||
           c == 0x15F || c == 't';
}

static void step(hstate *h, int32_t c)
{
    if (is_vowel(c)) {
        h->lastv = c == 0xE2 ? 'a' : c == 0xEE ? 'i' : c == 0xFB ? 'u' : c;
        h->endv = 1;
        h->voiceless = 0;
    } else {
        h->endv = 0;
        h->voiceless = is_voiceless(c);
    }
}

static int bytes_cmp(const void *k, const void *e)
{
    return strcmp(k, *(const char *const *)e);
}

/* 1 if the lower-case code points s[0,n) are a word of front_loans, or one
 * with its last consonant softened before a vowel (kalb- of kalp). */
static int front_loan(const int32_t *s, size_t n)
{
    char w[64];
    size_t k = 0, i;
    int32_t last;
    if (n < 2 || n > 10)
        return 0;
    for (i = 0; i < n; i++) {
        int32_t c = s[i] == 0xE2 ? 'a' : s[i] == 0xEE ? 'i' : s[i] == 0xFB ? 'u' : s[i];
        if (i + 1 == n)
            break;
        k += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)w + k);
    }
    last = s[n - 1];
    for (i = 0; i < 2; i++) {
        size_t m = k + (size_t)utf8proc_encode_char(last, (utf8proc_uint8_t *)w + k);
        w[m] = 0;
        if (bsearch(w, front_loans, ND_ARRAY_LEN(front_loans), sizeof *front_loans, bytes_cmp))
            return 1;
        last = last == 'b' ? 'p' : last == 'd' ? 't' : last == 'c' ? 0xE7 : last == 0x11F ? 'k' : 0;
        if (!last)
            break;
    }
    return 0;
}

/* The state of a front_loans word: its last vowel read as front. */
static hstate fronted(hstate h)
{
    h.lastv = h.lastv == 'a' ? 'e' : h.lastv == 0x131 ? 'i' : h.lastv == 'o' ? 0xF6 : h.lastv == 'u' ? 0xFC : h.lastv;
    return h;
}

static int doubled_cmp(const void *k, const void *e)
{
    return strcmp(k, ((const char *const *)e)[0]);
}

size_t nd__tr_undouble(const char *w, size_t n, char *out, size_t cap)
{
    char key[16];
    const char *const *d;
    size_t len;
    if (n < 3 || n >= sizeof key)
        return 0;
    memcpy(key, w, n);
    key[n] = 0;
    if (!(d = bsearch(key, doubled, ND_ARRAY_LEN(doubled), sizeof *doubled, doubled_cmp)))
        return 0;
    len = strlen(d[1]);
    if (len >= cap)
        return 0;
    memcpy(out, d[1], len + 1);
    return len;
}

/* Decode UTF-8 into lower-case code points (Turkish I's), dropping marks. */
static size_t decode(const char *s, size_t len, int32_t *out, size_t max, int *allcaps, size_t *letters)
{
    size_t i = 0, n = 0;
    *allcaps = 1;
    *letters = 0;
    while (i < len && n < max) {
        utf8proc_int32_t c = (unsigned char)s[i];
        utf8proc_ssize_t k;
        utf8proc_category_t cat;
        if (c < 0x80) {                 /* ASCII as below, without the lookups */
            i++;
            if (c >= 'a' && c <= 'z') {
                *allcaps = 0;
                ++*letters;
            } else if (c >= 'A' && c <= 'Z') {
                ++*letters;
                c = c == 'I' ? 0x131 : c + ('a' - 'A');
            }
            out[n++] = c;
            continue;
        }
        k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
        if (k < 1) return 0;
        i += (size_t)k;
        cat = utf8proc_category(c);
        if (cat == UTF8PROC_CATEGORY_MN) continue;
        if (cat == UTF8PROC_CATEGORY_LL) *allcaps = 0;
        if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ++*letters;
        if (c == 'I') c = 0x131;
        else if (c == 0x130) c = 'i';
        else c = utf8proc_tolower(c);
        out[n++] = c;
    }
    return i < len ? 0 : n;
}

/* Realize template t in state *h against the code points r[0,n): the
 * length when it realizes to a prefix of them (*h then the state after
 * it), 0 when it does not or realizes to nothing.  A letter is compared as
 * it is made: most templates differ from the text in their first letter,
 * and realizing each whole before comparing was most of a chain search. */
static size_t realize_match(const char *t, hstate *h, const int32_t *r, size_t n)
{
    size_t k = 0;
    for (; *t; t++) {
        int32_t c;
        switch (*t) {
        case 'A': c = is_back(h->lastv) ? 'a' : 'e'; break;
        case 'I':
        case 'J':
            if (*t == 'J' && h->endv) continue;
            if (h->lastv == 'a' || h->lastv == 0x131) c = 0x131;
            else if (h->lastv == 'o' || h->lastv == 'u') c = 'u';
            else if (h->lastv == 0xF6 || h->lastv == 0xFC) c = 0xFC;
            else c = 'i';
            break;
        case 'D': c = h->voiceless ? 't' : 'd'; break;
        case 'C': c = h->voiceless ? 0xE7 : 'c'; break;
        case 'Y': case 'N': case 'S':
            if (!h->endv) continue;
            c = *t == 'Y' ? 'y' : *t == 'N' ? 'n' : 's';
            break;
        case '$': c = 0x15F; break;
        default: c = (unsigned char)*t; break;
        }
        if (k == n || r[k] != c) return 0;
        k++;
        step(h, c);
    }
    return k;
}

/* The case suffixes with the pronominal n (-nI, -nA, -nDA, -nDAn) follow
 * the third-person possessive -(s)I (Göksel & Kerslake 14.3.1): first in a
 * chain, they need a stem ending in a high vowel (Cumhurbaşkanı-na,
 * kendi-ne), so Adana is not read as ada + -na. */
static int pronominal_ok(const morph *m, int cls, const hstate *h)
{
    int32_t v = h->lastv;
    return cls >= 0 || m->t[0] != 'n' || (h->endv && (v == 0x131 || v == 'i' || v == 'u' || v == 0xFC));
}

static int rank(int cls)
{
    return cls == KI_CASE ? 3 : cls;
}

static int allowed(int cur, int next)
{
    if (next == 0) return cur <= 0;
    if (next == 4) return cur == KI_CASE;
    if (cur == 4 && (next == 1 || rank(next) == 3)) return 1;
    return rank(next) > rank(cur);
}

/* first: the lowest class the chain may use (0 with derivational suffixes,
 * 1 inflections only). */
static int chain(const int32_t *r, size_t n, size_t pos, hstate h, int cls, int depth, int first)
{
    size_t i;
    uint32_t lb;
    if (pos == n) return depth > 0;
    if (depth >= 6) return 0;
    lb = letter_bit(r[pos]);
    for (i = 0; i < ND_ARRAY_LEN(morphs); i++) {
        hstate h2 = h;
        size_t k;
        /* the letters first: most templates differ at the first one, and
         * that test is cheaper than the order of classes */
        if (!(morph_first[i] & lb) || morphs[i].cls < first ||
            !(k = realize_match(morphs[i].t, &h2, r + pos, n - pos))) continue;
        if (!allowed(cls, morphs[i].cls) || !pronominal_ok(&morphs[i], cls, &h)) continue;
        if (chain(r, n, pos + k, h2, morphs[i].cls, depth + 1, first)) return 1;
    }
    return 0;
}

int nd__tr_suffix_ok(const char *stem, size_t stemlen, const char *rest, size_t restlen)
{
    return nd__tr_suffix_chain(stem, stemlen, rest, restlen, 0);
}

int nd__tr_suffix_chain(const char *stem, size_t stemlen, const char *rest, size_t restlen, int inflections)
{
    int32_t s[MAXCP], r[MAXCP];
    size_t ns, nr, i, letters, rl;
    int caps, rcaps;
    hstate h = { 'e', 0, 0 };
    int found_vowel = 0;
    pthread_once(&morph_first_once, morph_first_make);     /* for chain */
    if (stemlen > 4 * MAXCP) stem += stemlen - 4 * MAXCP, stemlen = 4 * MAXCP;
    /* decode the last word of the stem only */
    for (i = stemlen; i > 0 && stem[i - 1] != ' '; i--) {}
    ns = decode(stem + i, stemlen - i, s, MAXCP, &caps, &letters);
    nr = decode(rest, restlen, r, MAXCP, &rcaps, &rl);
    if (!ns || !nr) return 0;
    for (i = ns; i > 0; i--)
        if (is_vowel(s[i - 1])) {
            h.lastv = s[i - 1];
            step(&h, s[i - 1]);
            found_vowel = 1;
            break;
        }
    step(&h, s[ns - 1]);
    if (found_vowel) h.lastv = h.lastv == 0xE2 ? 'a' : h.lastv == 0xEE ? 'i' : h.lastv == 0xFB ? 'u' : h.lastv;
    if (!found_vowel || (caps && letters >= 2 && !is_vowel(s[ns - 1]))) {
        /* an acronym is read letter by letter: ABD -> "abede" */
        h.lastv = 'e';
        h.endv = 1;
        h.voiceless = 0;
    }
    if (chain(r, nr, 0, h, -1, 0, inflections ? 1 : 0))
        return 1;
    return found_vowel && is_back(h.lastv) && front_loan(s, ns) && chain(r, nr, 0, fronted(h), -1, 0, inflections ? 1 : 0);
}

/* ---- every split of one word at once (the index's Turkish stems) ----------
 * In a chain the harmony state at each position is the state after the
 * word's own letters up to there (a realized suffix equals the letters it
 * matched), so whether the rest from position p, after a suffix of class
 * c, is a chain depends on (p, c) alone: one table of the fewest suffixes
 * that finish the word from there serves every split.  A stem without a
 * vowel (or an all-capital one) starts from the acronym state instead and
 * takes the search above. */

#define FEW_UNKNOWN 0xFF
#define FEW_NONE 0xFE

typedef struct splits {
    int32_t r[MAXCP];
    hstate at[MAXCP + 1];               /* state after the letters before p */
    unsigned char few[MAXCP][8];        /* by class + 1; FEW_UNKNOWN, FEW_NONE */
    size_t n;
} splits;

static unsigned fewest(splits *sp, size_t pos, int cls)
{
    unsigned char *m = &sp->few[pos][cls + 1];
    unsigned best = FEW_NONE;
    uint32_t lb = letter_bit(sp->r[pos]);
    size_t i;
    if (*m != FEW_UNKNOWN)
        return *m;
    for (i = 0; i < ND_ARRAY_LEN(morphs); i++) {
        hstate h2 = sp->at[pos];
        size_t k;
        unsigned rest;
        if (!(morph_first[i] & lb) || morphs[i].cls < 1 || !allowed(cls, morphs[i].cls) ||
            !pronominal_ok(&morphs[i], cls, &h2)) continue;
        if (!(k = realize_match(morphs[i].t, &h2, sp->r + pos, sp->n - pos))) continue;
        rest = pos + k == sp->n ? 0 : fewest(sp, pos + k, morphs[i].cls);
        if (rest != FEW_NONE && rest + 1 < best)
            best = rest + 1;
    }
    return *m = (unsigned char)best;
}

size_t nd__tr_inflection_splits(const char *w, size_t n, size_t *at, size_t max)
{
    splits sp;
    size_t off[MAXCP + 1], i = 0, k, found = 0, letters = 0, cps = 0;
    int vowel = 0, caps = 1;
    unsigned char ll[MAXCP], letter[MAXCP];
    pthread_once(&morph_first_once, morph_first_make);     /* for fewest and chain */
    sp.n = 0;
    /* decode as decode() does, keeping where each code point ends */
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(n - i), &c);
        utf8proc_category_t cat;
        if (len < 1 || sp.n == MAXCP) return 0;
        i += (size_t)len;
        cat = utf8proc_category(c);
        if (cat == UTF8PROC_CATEGORY_MN) continue;     /* dropped, as decode() does */
        ll[sp.n] = cat == UTF8PROC_CATEGORY_LL;
        letter[sp.n] = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
        if (c == 'I') c = 0x131;
        else if (c == 0x130) c = 'i';
        else c = utf8proc_tolower(c);
        sp.r[sp.n++] = c;
        off[sp.n] = i;
    }
    memset(sp.few, FEW_UNKNOWN, sizeof sp.few);
    sp.at[0].lastv = 'e';
    sp.at[0].endv = sp.at[0].voiceless = 0;
    for (k = 0; k < sp.n; k++) {
        sp.at[k + 1] = sp.at[k];
        step(&sp.at[k + 1], sp.r[k]);
    }
    /* the splits nd__tr_suffix_chain(w, i, w + i, n - i, 1) takes: after
     * the second code point of w on, before its end */
    i = 0;
    k = 0;
    while (i < n && found < max) {
        size_t len = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(n - i),
                                              &(utf8proc_int32_t){ 0 });
        int ok;
        i += len > 0 ? len : 1;
        cps++;
        while (k < sp.n && off[k + 1] <= i) {   /* letters wholly before i */
            vowel |= is_vowel(sp.r[k]);
            caps &= !ll[k];
            letters += letter[k];
            k++;
        }
        if (cps < 2 || i >= n || k == 0 || k == sp.n)
            continue;
        if (!vowel || (caps && letters >= 2 && !is_vowel(sp.r[k - 1])))
            ok = nd__tr_suffix_chain(w, i, w + i, n - i, 1);
        else
            ok = fewest(&sp, k, -1) <= 6 ||
                 (is_back(sp.at[k].lastv) && front_loan(sp.r, k) && chain(sp.r, sp.n, k, fronted(sp.at[k]), -1, 0, 1));
        if (ok)
            at[found++] = i;
    }
    return found;
}
