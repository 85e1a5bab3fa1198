/*
 * dates.c — nd_date_parse and nd_date_format (see include/nd_dates.h).
 *
 * The text is cut into tokens on the fly (numbers, words, spaces, line
 * breaks, single punctuation characters); at every number or word a small
 * set of recognizers tries to read a date there.  Words are compared after a
 * local folding (lower case, Turkish I/İ/ı → i, Latin diacritics stripped,
 * Cyrillic lower case, ё → е), so "KASIM", "kasım" and "Kasim" all read as
 * November.  Nothing is allocated; the state lives on the stack.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "nd_dates.h"

/* ---- UTF-8 and folding ---------------------------------------------------- */

/* Decode the code point at s[i]; returns its length (>= 1).  An invalid or
 * truncated sequence reads as U+FFFD of length 1. */
static size_t utf8_dec(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
    uint32_t c = s[i];
    size_t n, k;
    uint32_t min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2; c &= 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3; c &= 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4; c &= 0x07; min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len - i < n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (s[i + k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return n;
}

/* Base letters of U+00C0..U+00FF, lower case; 0 where there is none. */
static const char latin1_base[64] =
    "aaaaaaaceeeeiiii" "dnooooo\0ouuuuyts"
    "aaaaaaaceeeeiiii" "dnooooo\0ouuuuyty";

/* The matching key of one code point: lower case, without diacritics for
 * Latin letters, all Turkish I's as i, Cyrillic lower case with ё as е. */
static uint32_t fold_cp(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xFF)
        return latin1_base[c - 0xC0] ? (uint32_t)(unsigned char)latin1_base[c - 0xC0] : c;
    switch (c) {
    case 0x130: case 0x131: return 'i';      /* İ ı */
    case 0x11E: case 0x11F: return 'g';      /* Ğ ğ */
    case 0x15E: case 0x15F: return 's';      /* Ş ş */
    case 0x100: case 0x101: return 'a';
    case 0x401: case 0x451: return 0x435;    /* Ё ё → е */
    default: break;
    }
    if (c >= 0x410 && c <= 0x42F)
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    return c;
}

static int is_letter(uint32_t c)
{
    if (c < 0x80)
        return (c | 32) >= 'a' && (c | 32) <= 'z';
    return (c >= 0xC0 && c <= 0x2AF && c != 0xD7 && c != 0xF7) || c == 0x2BC ||
           (c >= 0x370 && c <= 0x3FF) || (c >= 0x400 && c <= 0x52F) ||
           (c >= 0x600 && c <= 0x6FF);
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' ||
           c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

/* 1 when the folded text at s[pos..end) begins with key (already folded,
 * valid UTF-8, NUL-terminated).  *after gets the byte after the match. */
static int fold_prefix(const char *s, size_t end, size_t pos, const char *key, size_t *after)
{
    const unsigned char *u = (const unsigned char *)s;
    const unsigned char *k = (const unsigned char *)key;
    size_t ki = 0;
    while (k[ki]) {
        uint32_t a, b;
        if (pos >= end)
            return 0;
        pos += utf8_dec(u, end, pos, &a);
        ki += utf8_dec(k, ki + 4, ki, &b);
        if (fold_cp(a) != b)
            return 0;
    }
    if (after)
        *after = pos;
    return 1;
}

/* ---- tokens ---------------------------------------------------------------- */

enum { TK_END, TK_NUM, TK_WORD, TK_SPACE, TK_NL, TK_PUNCT };

typedef struct tok {
    int kind;
    size_t start, stop;
    int val;        /* TK_NUM: value (first 9 digits) */
    int ndig;       /* TK_NUM: number of digits */
    int ch;         /* TK_PUNCT: ASCII character, '-' for dashes, 0 otherwise */
} tok;

/* The token starting at s[pos] (pos < len). */
static void lex(const char *s, size_t len, size_t pos, tok *t)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c;
    size_t n = utf8_dec(u, len, pos, &c);
    memset(t, 0, sizeof *t);
    t->start = pos;
    if (c >= '0' && c <= '9') {
        t->kind = TK_NUM;
        while (pos < len && u[pos] >= '0' && u[pos] <= '9') {
            if (t->ndig < 9)
                t->val = t->val * 10 + (u[pos] - '0');
            t->ndig++;
            pos++;
        }
    } else if (is_letter(c)) {
        t->kind = TK_WORD;
        pos += n;
        while (pos < len && (n = utf8_dec(u, len, pos, &c), is_letter(c)))
            pos += n;
    } else if (is_space(c)) {
        t->kind = TK_SPACE;
        while (pos < len && (n = utf8_dec(u, len, pos, &c), is_space(c))) {
            if (c == '\n')
                t->kind = TK_NL;
            pos += n;
        }
    } else {
        t->kind = TK_PUNCT;
        if (c < 0x80)
            t->ch = (int)c;
        else if (c >= 0x2010 && c <= 0x2015)
            t->ch = '-';
        pos += n;
    }
    t->stop = pos;
}

/* A window on the token stream: tk(w, i) is the i-th token from the
 * window's first one, lexed on demand into a ring of WIN tokens, so that
 * sliding the window by one token (win_advance) lexes nothing again. */
#define WIN 32            /* a power of two */
typedef struct win {
    const char *s;
    size_t len;
    tok t[WIN];
    int base;        /* ring index of token 0 */
    int n;           /* tokens lexed from token 0 on */
    size_t next;     /* where the next token to lex starts */
    tok end;
} win;

static void win_init(win *w, const char *s, size_t len)
{
    w->s = s;
    w->len = len;
    w->base = w->n = 0;
    w->next = 0;
    memset(&w->end, 0, sizeof w->end);
    w->end.kind = TK_END;
    w->end.start = w->end.stop = len;
}

static const tok *tk_lex(win *w, int i)
{
    if (i < 0 || i >= WIN)
        return &w->end;
    while (w->n <= i) {
        tok *t = &w->t[(w->base + w->n) & (WIN - 1)];
        if (w->next >= w->len)
            return &w->end;
        lex(w->s, w->len, w->next, t);
        w->next = t->stop;
        w->n++;
    }
    return &w->t[(w->base + i) & (WIN - 1)];
}

/* Token i of the window: the ring when it is lexed already, else tk_lex. */
static inline const tok *tk(win *w, int i)
{
    if ((unsigned)i < (unsigned)w->n)
        return &w->t[(w->base + i) & (WIN - 1)];
    return tk_lex(w, i);
}

/* Slide the window past its first token. */
static void win_advance(win *w)
{
    if (tk(w, 0)->kind == TK_END)
        return;
    w->base = (w->base + 1) & (WIN - 1);
    w->n--;
}

static int is_punct(win *w, int i, int ch)
{
    const tok *t = tk(w, i);
    return t->kind == TK_PUNCT && t->ch == ch;
}

static int is_num(win *w, int i, int mindig, int maxdig)
{
    const tok *t = tk(w, i);
    return t->kind == TK_NUM && t->ndig >= mindig && t->ndig <= maxdig;
}

/* 1 when token i is a single space character. */
static int one_space(win *w, int i)
{
    const tok *t = tk(w, i);
    return t->kind == TK_SPACE && t->stop - t->start == 1;
}

/* ---- word tables ------------------------------------------------------------ */

typedef struct wordkey {
    const char *key;     /* folded */
    int val;
} wordkey;

/* Every table below is folded and sorted by bytes (strcmp order) for
 * bsearch.  The month and weekday words of tr, en, de, ru, uk, bg, fr, es,
 * it, pt, nl and az come from CLDR through core/textgen/gen_dates.py; one
 * spelling never means two months. */
#define W_FULL 0x100      /* months: a whole month name, not only an abbreviation */
#include "dates_words.h"

/* Words allowed between a date and its time ("saat", "um", "à", "at",
 * "alle", "às", "om", "ore", "в", "о"); value 2 marks the words after which
 * a number is read as a time in any of the looser forms ("saat 15.25",
 * "à 14h", "um 18 Uhr"), value 1 the others. */
static const wordkey connectors[] = {
    { "a", 2 }, { "alle", 2 }, { "as", 2 }, { "at", 2 }, { "de", 1 }, { "den", 1 },
    { "las", 2 }, { "om", 2 }, { "ore", 2 }, { "saat", 2 },
    { "t", 1 }, { "um", 2 }, { "в", 2 }, { "г", 1 }, { "года", 1 }, { "о", 2 }, { "р", 1 },
    { "року", 1 },
};

/* Time zone names after a time (minutes east of UTC). */
static const wordkey zones[] = {
    { "bst", 60 }, { "cdt", -300 }, { "cest", 120 }, { "cet", 60 }, { "cst", -360 },
    { "edt", -240 }, { "eest", 180 }, { "eet", 120 }, { "est", -300 }, { "gmt", 0 },
    { "mdt", -360 }, { "mesz", 120 }, { "mez", 60 }, { "msk", 180 }, { "mst", -420 },
    { "pdt", -420 }, { "pst", -480 }, { "trt", 180 }, { "tsi", 180 }, { "ut", 0 }, { "utc", 0 },
    { "wet", 0 }, { "z", 0 }, { "мск", 180 },
};

/* Words that mark a line as an update time; compared as folded prefixes.
 * update_line knows their first letters (g u a m о): keep it in step. */
static const char *const update_marks[] = {
    "guncelle", "guncellen", "update", "aktualisiert", "aktualisierung", "обновл",
    "mis a jour", "actualizad",
};

static int cmp_key(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const wordkey *)elem)->key);
}

/* Look up token t (a word) in tab.  The whole word must match, except that
 * when `glued` is set a key of four or more bytes may end the word after up
 * to three stray characters ("xKasım"); *kstart gets the byte where the key
 * begins.  Returns the key's value + 1000 (so that 0 values are found), or 0. */
#define MAX_STRAY 3
static int lookup(win *w, const tok *t, const wordkey *tab, size_t ntab, int glued, size_t *kstart)
{
    char buf[64];
    size_t opos[MAX_STRAY + 1], spos[MAX_STRAY + 1];
    size_t pos = t->start, n = 0;
    int k = 0, stray;
    if (t->kind != TK_WORD)
        return 0;
    /* fold the word into buf, noting where its first characters begin */
    while (pos < t->stop) {
        uint32_t c;
        size_t len = utf8_dec((const unsigned char *)w->s, t->stop, pos, &c);
        if (k <= MAX_STRAY) {
            opos[k] = n;
            spos[k] = pos;
            k++;
        }
        c = fold_cp(c);
        if (n + 4 >= sizeof buf)
            return 0;
        if (c < 0x80) {
            buf[n++] = (char)c;
        } else if (c < 0x800) {
            buf[n++] = (char)(0xC0 | (c >> 6));
            buf[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            buf[n++] = (char)(0xE0 | (c >> 12));
            buf[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            buf[n++] = (char)(0x80 | (c & 0x3F));
        }
        pos += len;
    }
    buf[n] = '\0';
    for (stray = 0; stray < k && stray <= (glued ? MAX_STRAY : 0); stray++) {
        const char *key = buf + opos[stray];
        const wordkey *e;
        if (stray && strlen(key) < 4)
            break;
        e = bsearch(key, tab, ntab, sizeof *tab, cmp_key);
        if (e) {
            if (kstart)
                *kstart = spos[stray];
            return e->val + 1000;
        }
    }
    return 0;
}

/* 1 when token t is the word `key` (folded), whole. */
static int word_is(win *w, const tok *t, const char *key)
{
    size_t after;
    /* a folded letter is at most as long as its source: no longer text can match */
    return t->kind == TK_WORD && t->stop - t->start <= 2 * strlen(key) &&
           fold_prefix(w->s, t->stop, t->start, key, &after) && after == t->stop;
}

#define LOOKUP(w, i, tab) lookup((w), tk((w), (i)), (tab), ND_ARRAY_LEN(tab), 0, NULL)

/* ---- dates and times ---------------------------------------------------------- */

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int valid_ymd(int y, int m, int d)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= mdays[m - 1] + (m == 2 && leap(y));
}

enum { R_NONE = 0, R_DATE, R_RANGE, R_TIME, R_TIME_RANGE };

typedef struct parser {
    win w;
    int day_first;
    const nd_date *ref;
} parser;

/* Offset after a time at token i: Z, ±HH:MM, ±HHMM, ±H, GMT/UTC[±H], zone
 * names.  Returns the index after it, or i when there is none. */
static int parse_offset(parser *p, int i, nd_date *d)
{
    win *w = &p->w;
    int j = i, sign, h, m = 0, k;
    if (tk(w, j)->kind == TK_SPACE)
        j++;
    k = LOOKUP(w, j, zones);
    if (k) {
        d->has_offset = 1;
        d->offset_min = k - 1000;
        j++;
        if (k != 1000 || (!is_punct(w, j, '+') && !is_punct(w, j, '-')))
            return j;
        i = j;          /* GMT+3 */
    } else if (!is_punct(w, j, '+') && !is_punct(w, j, '-')) {
        return i;
    }
    sign = is_punct(w, j, '-') ? -1 : 1;
    if (is_num(w, j + 1, 4, 4)) {
        h = tk(w, j + 1)->val / 100;
        m = tk(w, j + 1)->val % 100;
        k = j + 2;
    } else if (is_num(w, j + 1, 1, 2) && is_punct(w, j + 2, ':') && is_num(w, j + 3, 2, 2)) {
        h = tk(w, j + 1)->val;
        m = tk(w, j + 3)->val;
        k = j + 4;
    } else if (is_num(w, j + 1, 1, 2) && (sign > 0 || d->has_offset)) {
        h = tk(w, j + 1)->val;
        k = j + 2;
    } else {
        return i;
    }
    /* "23:58 -04.11.2024" is a range of numbers, not an offset */
    if ((is_punct(w, k, '.') || is_punct(w, k, '/')) && is_num(w, k + 1, 1, 9))
        return i;
    if (h > 14 || m > 59)
        return i;
    d->has_offset = 1;
    d->offset_min = sign * (h * 60 + m);
    return k;
}

/* How loosely parse_time may read a number as a time: T_FREE anywhere
 * (H:MM, or H.MM with a clock word after it: "18.37 Uhr", "12.16 pm"),
 * T_TAIL right after a date (also HH.MM and 14h40), T_CONN after a word
 * such as "saat", "um", "à", "at" (also H.MM, 14h, "18 Uhr", noon). */
enum { T_FREE, T_TAIL, T_CONN };

/* A 12-hour marker at token k: am, pm, a.m., p.m., the Turkish ÖÖ / ÖS
 * (spelled with ö, so that Portuguese "os" is not one), Ukrainian дп / пп.
 * Returns 0 for a.m., 1 for p.m., -1 for none; *next gets the token after. */
static int ampm(win *w, int k, int *next)
{
    const tok *t = tk(w, k);
    const unsigned char *u = (const unsigned char *)w->s + t->start;
    size_t n = t->stop - t->start;
    if (t->kind != TK_WORD)
        return -1;
    *next = k + 1;
    if (word_is(w, t, "am") || word_is(w, t, "дп"))
        return 0;
    if (word_is(w, t, "pm") || word_is(w, t, "пп"))
        return 1;
    if (n >= 3 && u[0] == 0xC3 && (u[1] == 0xB6 || u[1] == 0x96)) {       /* ö Ö */
        if (word_is(w, t, "oo"))
            return 0;
        if (word_is(w, t, "os"))
            return 1;
    }
    if (n == 1 && ((u[0] | 32) == 'a' || (u[0] | 32) == 'p') && is_punct(w, k + 1, '.')) {
        int j = tk(w, k + 2)->kind == TK_SPACE ? k + 3 : k + 2;     /* "a.m.", "a. m." */
        const tok *m = tk(w, j);
        if (m->kind == TK_WORD && m->stop - m->start == 1 && (w->s[m->start] | 32) == 'm') {
            *next = is_punct(w, j + 1, '.') ? j + 2 : j + 1;
            return (u[0] | 32) == 'p';
        }
    }
    return -1;
}

/* A time at token i, read as loosely as `mode` allows (T_FREE, T_TAIL,
 * T_CONN): H:MM[:SS[.fff]], H.MM, HhMM, Hh, H Uhr, noon / midnight (also
 * midi / minuit), then an optional 12-hour marker or "Uhr" and an offset.
 * Returns R_NONE, R_TIME (d's time set) or R_RANGE (a time that cannot be
 * a time of day, such as 25:61 or 13:00 PM); *next is the token after what
 * was read in both of the last cases. */
static int parse_time(parser *p, int i, nd_date *d, int mode, int *next)
{
    win *w = &p->w;
    int h, m = 0, s = -1, j, k, pm, clock = 0, pre = -1;
    const tok *t = tk(w, i);
    if (t->kind == TK_WORD && (unsigned char)w->s[t->start] == 0xC3 &&
        (pre = ampm(w, i, &k)) >= 0 && one_space(w, k) && is_num(w, k + 1, 1, 2) &&
        is_punct(w, k + 2, ':')) {
        i = k + 1;          /* Turkish pages also write the marker first: "ÖS 3:25" */
        t = tk(w, i);
    } else if (t->kind == TK_WORD) {
        if (mode == T_CONN && (word_is(w, t, "noon") || word_is(w, t, "midi")))
            h = 12;
        else if (mode == T_CONN && (word_is(w, t, "midnight") || word_is(w, t, "minuit")))
            h = 0;
        else
            return R_NONE;
        d->hour = h, d->minute = 0, d->second = -1;
        *next = i + 1;
        return R_TIME;
    }
    if (!is_num(w, i, 1, 2))
        return R_NONE;
    h = t->val;
    j = i + 1;
    if (is_punct(w, j, ':') && is_num(w, j + 1, 2, 2)) {
        m = tk(w, j + 1)->val;
        j += 2;
        if (is_punct(w, j, ':')) {
            if (!is_num(w, j + 1, 2, 2))
                return R_NONE;
            s = tk(w, j + 1)->val;
            j += 2;
            if (is_punct(w, j, '.') && is_num(w, j + 1, 1, 9))
                j += 2;
            else if (is_punct(w, j, ':') && is_num(w, j + 1, 1, 9))
                return R_NONE;
        }
        clock = 1;
    } else if (is_punct(w, j, '.') && is_num(w, j + 1, 2, 2)) {
        /* H.MM: never a part of a longer number or date ("13.12.2024", "13.12,5") */
        if ((is_punct(w, j + 2, '.') || is_punct(w, j + 2, ',') || is_punct(w, j + 2, ':')) &&
            is_num(w, j + 3, 1, 9))
            return R_NONE;
        if (mode != T_CONN && is_punct(w, j + 2, '.'))     /* "04.11.2024 - 05.11." */
            return R_NONE;
        m = tk(w, j + 1)->val;
        j += 2;
        clock = mode == T_CONN || (mode == T_TAIL && t->ndig == 2);
    } else if (mode != T_FREE && word_is(w, tk(w, j), "h") && tk(w, j)->start == t->stop) {
        /* 14h40, and with a connector 14h */
        if (is_num(w, j + 1, 2, 2) && tk(w, j + 1)->start == tk(w, j)->stop) {
            m = tk(w, j + 1)->val;
            j += 2;
        } else if (mode == T_CONN && tk(w, j + 1)->kind != TK_NUM) {
            j += 1;
        } else {
            return R_NONE;
        }
        clock = 1;
    } else if (mode != T_CONN) {
        return R_NONE;
    }
    /* a 12-hour marker or "Uhr" */
    k = tk(w, j)->kind == TK_SPACE ? j + 1 : j;
    pm = -1;
    if (pre >= 0) {
        if (h < 1 || h > 12) {
            *next = j;
            return R_RANGE;
        }
        h = h % 12 + (pre ? 12 : 0);
    } else if (tk(w, k)->kind == TK_WORD) {
        int after;
        pm = ampm(w, k, &after);
        if (pm == 0 && word_is(w, tk(w, k), "am") && h > 12)   /* German "14:30 am Montag" */
            pm = -1;
        if (pm >= 0) {
            if (h < 1 || h > 12) {
                *next = after;
                return R_RANGE;
            }
            h = h % 12 + (pm ? 12 : 0);
            j = after;
            clock = 1;
        } else if (word_is(w, tk(w, k), "uhr")) {
            j = k + 1;
            clock = 1;
        }
    }
    if (!clock)
        return R_NONE;
    *next = j;
    if (h > 23 || m > 59 || s > 59)
        return R_RANGE;
    d->hour = h;
    d->minute = m;
    d->second = s;
    *next = parse_offset(p, j, d);
    return R_TIME;
}

/* Numeric dates at token i: Y-M-D, D.M.Y, M/D/Y, D.M.YY, and with dots a
 * space may follow each dot ("11. 12. 2014", "26. 10.21"). */
static int parse_numeric(parser *p, int i, nd_date *d, int *next)
{
    win *w = &p->w;
    const tok *a = tk(w, i), *b, *c;
    const char *s = w->s;
    int sep, y, m, dd, df, ib, ic, sp1, sp2;
    if (a->kind != TK_NUM || (tk(w, i + 1)->kind != TK_PUNCT && !one_space(w, i + 1)))
        return R_NONE;
    /* with dots, one space may stand on either side of each dot */
    sp1 = one_space(w, i + 1) && is_punct(w, i + 2, '.');
    sep = tk(w, i + 1 + sp1)->ch;
    if (sep != '.' && sep != '/' && sep != '-')
        return R_NONE;
    ib = i + 2 + sp1;
    if (sep == '.' && one_space(w, ib))
        ib++;
    sp2 = sep == '.' && one_space(w, ib + 1) && is_punct(w, ib + 2, '.');
    if (!is_num(w, ib, 1, 2) || !is_punct(w, ib + 1 + sp2, sep))
        return R_NONE;
    ic = ib + 2 + sp2;
    if (sep == '.' && one_space(w, ic) && (ib > i + 2 || is_num(w, ic + 1, 4, 4)))
        ic++;       /* "11. 12. 2014", "04.11. 2024" */
    if (tk(w, ic)->kind != TK_NUM)
        return R_NONE;
    /* part of a longer chain of numbers such as 192.168.1.10 */
    if (a->start >= 2 && (s[a->start - 1] == '.' || s[a->start - 1] == sep) &&
        s[a->start - 2] >= '0' && s[a->start - 2] <= '9')
        return R_NONE;
    if ((is_punct(w, ic + 1, '.') || is_punct(w, ic + 1, sep)) && is_num(w, ic + 2, 1, 9))
        return R_NONE;
    b = tk(w, ib);
    c = tk(w, ic);
    df = sep == '.' ? 1 : p->day_first;
    if (a->ndig == 4 && c->ndig <= 2 && ic == ib + 2 && ib == i + 2 && !sp2) {
        y = a->val, m = b->val, dd = c->val;
    } else if (a->ndig <= 2 && (c->ndig == 4 || (c->ndig == 2 && sep != '-'))) {
        y = c->val;
        m = df ? b->val : a->val;
        dd = df ? a->val : b->val;
        if (c->ndig == 2)
            y += y < 70 ? 2000 : 1900;
        /* "06-17-2014" can only be month first, "13/03/2014" only day first */
        if (sep != '.' && !valid_ymd(y, m, dd) && valid_ymd(y, dd, m)) {
            int x = m;
            m = dd, dd = x;
        }
        if (c->ndig == 2) {
            if (!valid_ymd(y, m, dd))
                return R_NONE;
        }
    } else {
        return R_NONE;
    }
    d->year = y, d->month = m, d->day = dd;
    *next = ic + 1;
    return valid_ymd(y, m, dd) ? R_DATE : R_RANGE;
}

/* Index after spaces, at most one of the punctuation characters in `seps`,
 * and at most one Spanish "de" ("18 de noviembre de 2024"). */
static int skip_gap(win *w, int i, const char *seps)
{
    int seen = 0, de = 0;
    for (;;) {
        const tok *t = tk(w, i);
        if (t->kind == TK_SPACE)
            i++;
        else if (!seen && t->kind == TK_PUNCT && t->ch && strchr(seps, t->ch))
            i++, seen = 1;
        else if (!de && word_is(w, t, "de") && tk(w, i + 1)->kind == TK_SPACE)
            i++, de = 1;
        else
            return i;
    }
}

/* Index after the Russian "г." / "года" or Ukrainian "р." / "року" that may
 * follow a year ending before token j, or j when there is none. */
static int year_word(win *w, int j)
{
    int k = tk(w, j)->kind == TK_SPACE ? j + 1 : j;
    const tok *t = tk(w, k);
    if (word_is(w, t, "г") || word_is(w, t, "года") || word_is(w, t, "р") || word_is(w, t, "року"))
        return is_punct(w, k + 1, '.') ? k + 2 : k + 1;
    return j;
}

/* A four-digit year at token i, with its year word after it. */
static int parse_year(parser *p, int i, int *y, int *next)
{
    win *w = &p->w;
    /* 3500 after a month name is a count ("18 Kasım 3500 kişi"), not a year;
     * 1000..2999 reads as a year and is checked against 1900..2100 later */
    if (!is_num(w, i, 4, 4) || tk(w, i)->val >= 3000)
        return 0;
    *y = tk(w, i)->val;
    *next = year_word(w, i + 1);
    return 1;
}

/* 1 when a two-digit number just before token j can be the year of a
 * month-name date ("2 Декабрь 95"): nothing, a line break, a time or a
 * closing mark follows it, not another number ("2 Kasım 18, 2024") or a
 * word ("5 May 24 people"). */
static int short_year_end(win *w, int j)
{
    const tok *t = tk(w, j);
    if (year_word(w, j) != j)
        return 1;
    if (t->kind == TK_END || t->kind == TK_NL)
        return 1;
    if (t->kind == TK_SPACE) {
        t = tk(w, j + 1);
        return t->kind == TK_END || t->kind == TK_NL ||
               (t->kind == TK_NUM && is_punct(w, j + 2, ':'));
    }
    if (t->kind == TK_PUNCT && t->ch && strchr(".,;)]", t->ch)) {
        int k = tk(w, j + 1)->kind == TK_SPACE ? j + 2 : j + 1;
        return tk(w, k)->kind != TK_NUM;
    }
    return 0;
}

/* Days since 0000-03-01 of a proleptic Gregorian date: for distances. */
static long day_number(int y, int m, int d)
{
    long yy = m <= 2 ? y - 1 : y;
    int mm = m <= 2 ? m + 9 : m - 3;
    return yy * 365 + yy / 4 - yy / 100 + yy / 400 + (153 * mm + 2) / 5 + d - 1;
}

/* The year of a month-name date without one.  News dates lie before the
 * day a page was saved, or shortly after it (an announcement): the year is
 * the latest that puts the date no more than 60 days after the reference
 * date.  So, read on 3 January 2025, "28 Aralık" is 2024-12-28 and "5 Ocak"
 * 2025-01-05; read on 30 December 2024, "2 Ocak" is 2025-01-02 and "May 5"
 * 2024-05-05; "29 Şubat" goes back to the latest leap year.  A reference
 * that gives only its year gives that year. */
static int nearest_year(const nd_date *ref, int m, int dd)
{
    long at;
    int y;
    if (ref->month < 1 || ref->month > 12)
        return ref->year;
    at = day_number(ref->year, ref->month, ref->day >= 1 && ref->day <= 31 ? ref->day : 1);
    for (y = ref->year + 1; y >= ref->year - 8; y--)
        if (valid_ymd(y, m, dd) && day_number(y, m, dd) - at <= 60)
            return y;
    return ref->year;
}

/* 1 when the month word [a, b) is an abbreviation of under four letters
 * ("Ara", "Kas") not followed by '.': too common as a plain word to make a
 * date without a year.  Whole month names ("May", "Mai", "мая") are not. */
static int bare_short(win *w, size_t a, size_t b, int full)
{
    size_t n = 0;
    if (full)
        return 0;
    for (; a < b; a++)
        n += ((unsigned char)w->s[a] & 0xC0) != 0x80;
    return n < 4 && !(b < w->len && w->s[b] == '.');
}

/* Index after an ordinal ending glued to the day number at token j - 1
 * ("25th", "1er", "2nd"), or j when there is none. */
static int skip_ordinal(win *w, int j)
{
    const tok *t = tk(w, j);
    if (t->kind != TK_WORD || t->start != tk(w, j - 1)->stop)
        return j;
    if (word_is(w, t, "st") || word_is(w, t, "nd") || word_is(w, t, "rd") ||
        word_is(w, t, "th") || word_is(w, t, "er"))
        return j + 1;
    return j;
}

/* Finish a month-name date at token j, after its day and month: an
 * optional '.', a gap with one of `seps`, and the year: four digits, or two
 * where short_year_end allows, or (asctime, "Wed Aug 05 12:00:00 2015") a
 * time and then four digits; without a year, the reference date's nearest
 * year (nearest_year). */
static int named_tail(parser *p, int j, const char *seps, int m, int dd, int bare, nd_date *d,
                      int *next)
{
    win *w = &p->w;
    int y = 0, has_year, k;
    nd_date t;
    *next = j;
    if (is_punct(w, j, '.'))
        *next = ++j;
    j = skip_gap(w, j, seps);
    has_year = parse_year(p, j, &y, next);
    if (!has_year && is_num(w, j, 2, 2) && short_year_end(w, j + 1)) {
        y = tk(w, j)->val;
        y += y < 70 ? 2000 : 1900;
        *next = year_word(w, j + 1);
        has_year = 1;
    }
    t = *d;
    if (!has_year && parse_time(p, j, &t, T_FREE, &k) == R_TIME && tk(w, k)->kind == TK_SPACE &&
        parse_year(p, k + 1, &y, next)) {
        d->hour = t.hour, d->minute = t.minute, d->second = t.second;
        d->has_offset = t.has_offset, d->offset_min = t.offset_min;
        has_year = 1;
    }
    if (dd < 1 || dd > 31)
        return R_RANGE;
    if (!has_year) {
        /* "2 Kasım 18, 2024": the day belongs to the month after it */
        if (!p->ref || p->ref->year == 0 || bare ||
            (is_num(w, j, 1, 2) && !is_punct(w, j + 1, ':')))
            return R_NONE;
        y = nearest_year(p->ref, m, dd);
    }
    d->year = y, d->month = m, d->day = dd;
    return valid_ymd(y, m, dd) ? R_DATE : R_RANGE;
}

/* The month of a lookup result; *full gets its W_FULL flag. */
static int month_of(int r, int *full)
{
    *full = ((r - 1000) & W_FULL) != 0;
    return (r - 1000) & 0xFF;
}

/* "18 Kasım 2024", "18. November 2024", "04 Nov 2024", "18-Nov-2024",
 * "25th March 2015", "1er février". */
static int parse_day_month(parser *p, int i, nd_date *d, int *next)
{
    win *w = &p->w;
    int j, m, dd, full;
    if (!is_num(w, i, 1, 2))
        return R_NONE;
    dd = tk(w, i)->val;
    j = skip_ordinal(w, i + 1);
    if (is_punct(w, j, '.'))
        j++;
    j = skip_gap(w, j, "-/");
    m = LOOKUP(w, j, months);
    if (!m)
        return R_NONE;
    m = month_of(m, &full);
    return named_tail(p, j + 1, ",-/", m, dd, bare_short(w, tk(w, j)->start, tk(w, j)->stop, full),
                      d, next);
}

/* "Kasım 18, 2024", "November 18th 2024", "Nov. 4, 2024".  The month word
 * may have stray characters glued before it; *start gets its first byte. */
static int parse_month_day(parser *p, int i, nd_date *d, int *next, size_t *start)
{
    win *w = &p->w;
    int j, m, dd, full;
    if (tk(w, i)->kind != TK_WORD)
        return R_NONE;
    j = i + 1;
    if (is_punct(w, j, '.'))
        j++;
    j = skip_gap(w, j, "-/");
    /* the shape first, the word tables only for a word followed by a day */
    if (!is_num(w, j, 1, 2) || is_punct(w, j + 1, ':'))
        return R_NONE;
    m = lookup(w, tk(w, i), months, ND_ARRAY_LEN(months), 1, start);
    if (!m)
        return R_NONE;
    m = month_of(m, &full);
    dd = tk(w, j)->val;
    /* "2 декабря 95": read from the day before the month, not as day 95 */
    if (dd > 31) {
        size_t b = tk(w, i)->start;
        while (b > 0 && w->s[b - 1] == ' ')
            b--;
        if (b > 0 && w->s[b - 1] >= '0' && w->s[b - 1] <= '9')
            return R_NONE;
    }
    j = skip_ordinal(w, j + 1);
    return named_tail(p, j, ",-/", m, dd, bare_short(w, *start, tk(w, i)->stop, full), d, next);
}

/* "2015-кві-12", "2024-Nov-18": year, month word, day, joined by '-'. */
static int parse_year_month(parser *p, int i, nd_date *d, int *next)
{
    win *w = &p->w;
    int m, full, dd;
    if (!is_num(w, i, 4, 4) || !is_punct(w, i + 1, '-') || tk(w, i + 2)->kind != TK_WORD ||
        !is_punct(w, i + 3, '-') || !is_num(w, i + 4, 1, 2))
        return R_NONE;
    m = LOOKUP(w, i + 2, months);
    if (!m)
        return R_NONE;
    m = month_of(m, &full);
    dd = tk(w, i + 4)->val;
    d->year = tk(w, i)->val, d->month = m, d->day = dd;
    *next = i + 5;
    return valid_ymd(d->year, m, dd) ? R_DATE : R_RANGE;
}

/* Any date form at token i. */
static int parse_date(parser *p, int i, nd_date *d, int *next, size_t *start)
{
    int r;
    *start = tk(&p->w, i)->start;
    if ((r = parse_numeric(p, i, d, next)) != R_NONE)
        return r;
    if ((r = parse_day_month(p, i, d, next)) != R_NONE)
        return r;
    if ((r = parse_year_month(p, i, d, next)) != R_NONE)
        return r;
    return parse_month_day(p, i, d, next, start);
}

/* Index after the separators, weekdays and connector words that may stand
 * between a date and its time; *wd_end gets the end of a weekday seen,
 * *mode how loosely the time after them may be read (T_TAIL, or T_CONN
 * after "saat", "um", "à", "at", ...). */
static int skip_between(parser *p, int i, size_t *wd_end, int *mode)
{
    win *w = &p->w;
    int n, c;
    *mode = T_TAIL;
    for (n = 0; n < 8; n++) {
        const tok *t = tk(w, i);
        if (t->kind == TK_SPACE ||
            (t->kind == TK_PUNCT && t->ch && strchr(",-|/(", t->ch))) {
            i++;
        } else if (LOOKUP(w, i, weekdays)) {
            *wd_end = t->stop;
            i++;
            if (is_punct(w, i, '.'))
                *wd_end = tk(w, i++)->stop;
        } else if ((c = LOOKUP(w, i, connectors)) != 0) {
            if (c == 1002)
                *mode = T_CONN;
            i++;
        } else {
            break;
        }
    }
    return i;
}

/* Read a date (or a time) from token i on; start is where a weekday
 * before it began (i > 0) or unused. */
static int parse_from(parser *p, int i, size_t start, nd_date *d)
{
    win *w = &p->w;
    int j, r, rt, mode;
    size_t dstart, wd_end = 0;
    nd_date t;

    /* a time first: "23:58 - 04.11.2024", or a time alone */
    t = *d;
    rt = parse_time(p, i, &t, T_FREE, &j);
    if (rt == R_TIME || rt == R_RANGE) {
        int k = skip_between(p, j, &wd_end, &mode), dn;
        r = parse_date(p, k, d, &dn, &dstart);
        if (r == R_NONE) {
            if (rt == R_TIME)
                *d = t;
            d->start = tk(w, i)->start;
            d->stop = tk(w, j - 1)->stop;
            return rt == R_TIME ? R_TIME : R_TIME_RANGE;
        }
        if (rt == R_RANGE) {        /* a time that cannot be read is left out */
            d->start = dstart;
        } else {
            d->hour = t.hour, d->minute = t.minute, d->second = t.second;
            d->has_offset = t.has_offset, d->offset_min = t.offset_min;
            d->start = tk(w, i)->start;
        }
        d->stop = tk(w, dn - 1)->stop;
        return r;
    }

    r = parse_date(p, i, d, &j, &dstart);
    if (r == R_NONE)
        return R_NONE;
    d->start = i ? start : dstart;
    d->stop = tk(w, j - 1)->stop;
    if (r == R_RANGE || d->hour >= 0)
        return r;

    /* the tail: weekday, connectors and a time; a time that cannot be read
     * (25:61, 13:00 PM) is left out and the date kept */
    {
        int k = skip_between(p, j, &wd_end, &mode), kn;
        t = *d;
        if (parse_time(p, k, &t, mode, &kn) == R_TIME) {
            *d = t;
            d->stop = tk(w, kn - 1)->stop;
        } else if (wd_end > d->stop) {
            d->stop = wd_end;
        }
    }
    return R_DATE;
}

/* Try to read a date (or a time) starting at the window's first token. */
static int parse_at(parser *p, nd_date *d)
{
    win *w = &p->w;
    size_t start = tk(w, 0)->start;

    /* a weekday first: "Mon, 04 Nov 2024", "Monday, November 18, 2024";
     * the shape (a number, or a word and a number) is checked before the
     * word is looked up.  A word that is both a weekday and a month
     * (Spanish "mar") is tried as a month when the weekday reading fails. */
    if (tk(w, 0)->kind == TK_WORD) {
        int k = 1;
        if (is_punct(w, k, '.'))
            k++;
        k = skip_gap(w, k, ",-/");       /* a superset of what a month may have after it */
        if ((tk(w, k)->kind == TK_NUM ||
             (tk(w, k)->kind == TK_WORD && tk(w, skip_gap(w, k + 1, ".-/"))->kind == TK_NUM)) &&
            LOOKUP(w, 0, weekdays)) {
            nd_date save = *d;
            int r = parse_from(p, k, start, d);
            if (r != R_NONE)
                return r;
            *d = save;
        } else if (tk(w, k)->kind != TK_NUM) {
            return R_NONE;      /* neither a weekday nor a month before a day */
        }
    }
    return parse_from(p, 0, start, d);
}

/* 1 when the line holding s[pos] says, before pos, that it is an update. */
static int update_line(const char *s, size_t pos)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t from = pos, q, k;
    while (from > 0 && s[from - 1] != '\n' && pos - from < 160)
        from--;
    for (q = from; q < pos; q++) {
        uint32_t c;
        if ((u[q] & 0xC0) == 0x80)
            continue;
        utf8_dec(u, pos, q, &c);
        c = fold_cp(c);
        if (c != 'g' && c != 'u' && c != 'a' && c != 'm' && c != 0x43E)    /* first letters */
            continue;
        for (k = 0; k < ND_ARRAY_LEN(update_marks); k++)
            if ((unsigned char)update_marks[k][0] == (c < 0x80 ? c : 0xC0 | (c >> 6)) &&
                fold_prefix(s, pos, q, update_marks[k], NULL))
                return 1;
    }
    return 0;
}

static void date_clear(nd_date *d)
{
    memset(d, 0, sizeof *d);
    d->hour = d->minute = d->second = -1;
}

/* 1 for "en" and "en-US" (also "en_US"): month-first numeric dates.  Other
 * English regions ("en-GB", "en-AU", ...) and other languages are day-first. */
static int month_first_lang(const char *lang)
{
    if ((lang[0] | 32) != 'e' || (lang[1] | 32) != 'n')
        return 0;
    if (lang[2] == '\0')
        return 1;
    return (lang[2] == '-' || lang[2] == '_') && (lang[3] | 32) == 'u' && (lang[4] | 32) == 's' &&
           lang[5] == '\0';
}

int nd_date_parse(const char *s, size_t len, const nd_date_opts *opts, nd_date *out)
{
    parser p;
    if (!out)
        return ND_EINVAL;
    date_clear(out);
    if (!s && len > 0)
        return ND_EINVAL;
    p.ref = opts ? opts->ref : NULL;
    if (opts && opts->day_first >= 0)
        p.day_first = opts->day_first != 0;
    else
        p.day_first = !(opts && opts->lang && month_first_lang(opts->lang));
    win_init(&p.w, s, len);
    for (;;) {
        const tok *t = tk(&p.w, 0);
        if (t->kind == TK_END)
            break;
        if (t->kind == TK_NUM || t->kind == TK_WORD) {
            nd_date d;
            int r;
            date_clear(&d);
            r = parse_at(&p, &d);
            if (r != R_NONE) {
                d.is_update = update_line(s, d.start);
                if ((r == R_TIME || r == R_TIME_RANGE) && !d.is_update) {
                    while (tk(&p.w, 0)->start < d.stop)     /* a time alone is not a date */
                        win_advance(&p.w);
                    continue;
                }
                *out = d;
                return r == R_RANGE || r == R_TIME_RANGE ? ND_ERANGE : ND_OK;
            }
        }
        win_advance(&p.w);
    }
    return ND_ENOTFOUND;
}

/* ---- formatting --------------------------------------------------------------- */

static void put_num(char *b, size_t *n, int v, int width)
{
    int k;
    for (k = width - 1; k >= 0; k--, v /= 10)
        b[*n + (size_t)k] = (char)('0' + v % 10);
    *n += (size_t)width;
}

int nd_date_format(const nd_date *d, nd_buf *out)
{
    char b[40];
    size_t n = 0;
    int has_time;
    if (!d || !out)
        return ND_EINVAL;
    has_time = d->hour >= 0;
    if (d->year == 0 && d->month == 0 && d->day == 0) {
        if (!has_time)
            return ND_ERANGE;
    } else if (!valid_ymd(d->year, d->month, d->day)) {
        return ND_ERANGE;
    }
    if (has_time && (d->hour > 23 || d->minute < 0 || d->minute > 59 || d->second > 59 ||
                     d->second < -1))
        return ND_ERANGE;
    if (d->has_offset && (d->offset_min < -14 * 60 || d->offset_min > 14 * 60))
        return ND_ERANGE;
    if (d->year) {
        put_num(b, &n, d->year, 4);
        b[n++] = '-';
        put_num(b, &n, d->month, 2);
        b[n++] = '-';
        put_num(b, &n, d->day, 2);
        if (has_time)
            b[n++] = 'T';
    }
    if (has_time) {
        put_num(b, &n, d->hour, 2);
        b[n++] = ':';
        put_num(b, &n, d->minute, 2);
        if (d->second >= 0) {
            b[n++] = ':';
            put_num(b, &n, d->second, 2);
        }
        if (d->has_offset && d->offset_min == 0) {
            b[n++] = 'Z';
        } else if (d->has_offset) {
            int o = d->offset_min < 0 ? -d->offset_min : d->offset_min;
            b[n++] = d->offset_min < 0 ? '-' : '+';
            put_num(b, &n, o / 60, 2);
            b[n++] = ':';
            put_num(b, &n, o % 60, 2);
        }
    }
    out->len = 0;
    return nd_buf_append(out, b, n);
}
