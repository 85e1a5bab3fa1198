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
    return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
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

static const tok *tk(win *w, int i)
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

/* ---- word tables ------------------------------------------------------------ */

typedef struct wordkey {
    const char *key;     /* folded */
    int val;
} wordkey;

/* Every table below is folded and sorted by bytes (strcmp order) for
 * bsearch.  Month names and abbreviations of Turkish, English, German
 * (März folds to marz; Maerz is spelled out), Russian (genitive, nominative,
 * abbreviations), French and Spanish; one spelling never means two months. */
static const wordkey months[] = {
    { "abr", 4 }, { "abril", 4 }, { "agosto", 8 }, { "agu", 8 }, { "agustos", 8 },
    { "aout", 8 }, { "apr", 4 }, { "april", 4 }, { "ara", 12 }, { "aralik", 12 }, { "aug", 8 },
    { "august", 8 }, { "avr", 4 }, { "avril", 4 }, { "dec", 12 }, { "december", 12 },
    { "decembre", 12 }, { "dez", 12 }, { "dezember", 12 }, { "dic", 12 }, { "diciembre", 12 },
    { "eki", 10 }, { "ekim", 10 }, { "enero", 1 }, { "eyl", 9 }, { "eylul", 9 }, { "feb", 2 },
    { "febrero", 2 }, { "februar", 2 }, { "february", 2 }, { "fevr", 2 }, { "fevrier", 2 },
    { "haz", 6 }, { "haziran", 6 }, { "jan", 1 }, { "janner", 1 }, { "januar", 1 },
    { "january", 1 }, { "janv", 1 }, { "janvier", 1 }, { "juil", 7 }, { "juillet", 7 },
    { "juin", 6 }, { "jul", 7 }, { "juli", 7 }, { "julio", 7 }, { "july", 7 }, { "jun", 6 },
    { "june", 6 }, { "juni", 6 }, { "junio", 6 }, { "kas", 11 }, { "kasim", 11 },
    { "maerz", 3 }, { "mai", 5 }, { "mar", 3 }, { "march", 3 }, { "mars", 3 }, { "mart", 3 },
    { "marz", 3 }, { "marzo", 3 }, { "may", 5 }, { "mayis", 5 }, { "mayo", 5 }, { "mrz", 3 },
    { "nis", 4 }, { "nisan", 4 }, { "nov", 11 }, { "november", 11 }, { "novembre", 11 },
    { "noviembre", 11 }, { "oca", 1 }, { "ocak", 1 }, { "oct", 10 }, { "october", 10 },
    { "octobre", 10 }, { "octubre", 10 }, { "okt", 10 }, { "oktober", 10 }, { "sep", 9 },
    { "sept", 9 }, { "september", 9 }, { "septembre", 9 }, { "septiembre", 9 }, { "sub", 2 },
    { "subat", 2 }, { "tem", 7 }, { "temmuz", 7 }, { "авг", 8 }, { "август", 8 },
    { "августа", 8 }, { "апр", 4 }, { "апрель", 4 }, { "апреля", 4 }, { "дек", 12 },
    { "декабрь", 12 }, { "декабря", 12 }, { "июл", 7 }, { "июль", 7 }, { "июля", 7 },
    { "июн", 6 }, { "июнь", 6 }, { "июня", 6 }, { "май", 5 }, { "мар", 3 }, { "март", 3 },
    { "марта", 3 }, { "мая", 5 }, { "ноя", 11 }, { "нояб", 11 }, { "ноябрь", 11 },
    { "ноября", 11 }, { "окт", 10 }, { "октябрь", 10 }, { "октября", 10 }, { "сен", 9 },
    { "сент", 9 }, { "сентябрь", 9 }, { "сентября", 9 }, { "фев", 2 }, { "февр", 2 },
    { "февраль", 2 }, { "февраля", 2 }, { "янв", 1 }, { "январь", 1 }, { "января", 1 },
};

/* Weekday names and abbreviations of Turkish, English, German, Russian
 * French, Spanish (value 1 = Monday). */
static const wordkey weekdays[] = {
    { "car", 3 }, { "carsamba", 3 }, { "cmt", 6 }, { "crs", 3 }, { "cts", 6 }, { "cum", 5 },
    { "cuma", 5 }, { "cumartesi", 6 }, { "dienstag", 2 }, { "dimanche", 7 }, { "domingo", 7 },
    { "donnerstag", 4 }, { "freitag", 5 }, { "fri", 5 }, { "friday", 5 }, { "jeudi", 4 },
    { "jueves", 4 }, { "lundi", 1 }, { "lunes", 1 }, { "mardi", 2 }, { "martes", 2 },
    { "mercredi", 3 }, { "miercoles", 3 }, { "mittwoch", 3 }, { "mon", 1 }, { "monday", 1 },
    { "montag", 1 }, { "paz", 7 }, { "pazar", 7 }, { "pazartesi", 1 }, { "per", 4 },
    { "persembe", 4 }, { "prs", 4 }, { "pts", 1 }, { "pzr", 7 }, { "pzt", 1 }, { "sabado", 6 },
    { "sal", 2 }, { "sali", 2 }, { "samedi", 6 }, { "samstag", 6 }, { "sat", 6 },
    { "saturday", 6 }, { "sonnabend", 6 }, { "sonntag", 7 }, { "sun", 7 }, { "sunday", 7 },
    { "thu", 4 }, { "thur", 4 }, { "thurs", 4 }, { "thursday", 4 }, { "tue", 2 }, { "tues", 2 },
    { "tuesday", 2 }, { "vendredi", 5 }, { "viernes", 5 }, { "wed", 3 }, { "wednesday", 3 },
    { "воскресенье", 7 }, { "вс", 7 }, { "вт", 2 }, { "вторник", 2 }, { "пн", 1 },
    { "понедельник", 1 }, { "пт", 5 }, { "пятница", 5 }, { "пятницу", 5 }, { "сб", 6 },
    { "ср", 3 }, { "среда", 3 }, { "среду", 3 }, { "суббота", 6 }, { "субботу", 6 },
    { "четверг", 4 }, { "чт", 4 },
};

/* Words allowed between a date and its time. */
static const wordkey connectors[] = {
    { "a", 1 }, { "alle", 1 }, { "at", 1 }, { "de", 1 }, { "den", 1 }, { "las", 1 },
    { "saat", 1 }, { "t", 1 }, { "um", 1 }, { "в", 1 }, { "г", 1 }, { "года", 1 },
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

/* A time at token i: H:MM[:SS[.fff]] [am|pm|a.m.|p.m.] [Uhr] [offset].
 * Returns R_NONE, R_TIME (d's time set) or R_RANGE; *next is the token
 * after what was read in both of the last cases. */
static int parse_time(parser *p, int i, nd_date *d, int *next)
{
    win *w = &p->w;
    int h, m, s = -1, j, k;
    if (!is_num(w, i, 1, 2) || !is_punct(w, i + 1, ':') || !is_num(w, i + 2, 2, 2))
        return R_NONE;
    h = tk(w, i)->val;
    m = tk(w, i + 2)->val;
    j = i + 3;
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
    /* 12-hour clock */
    k = tk(w, j)->kind == TK_SPACE ? j + 1 : j;
    if (tk(w, k)->kind == TK_WORD) {
        int pm = -1;
        const tok *t = tk(w, k);
        if (word_is(w, t, "am") && h <= 12)     /* German "14:30 am Montag" is not a.m. */
            pm = 0, k++;
        else if (word_is(w, t, "pm"))
            pm = 1, k++;
        else if (t->stop - t->start == 1 && is_punct(w, k + 1, '.') &&
                 tk(w, k + 2)->kind == TK_WORD && tk(w, k + 2)->stop - tk(w, k + 2)->start == 1 &&
                 (w->s[tk(w, k + 2)->start] | 32) == 'm' && ((w->s[t->start] | 32) == 'a' ||
                                                            (w->s[t->start] | 32) == 'p')) {
            pm = (w->s[t->start] | 32) == 'p';
            k += 3;
            if (is_punct(w, k, '.'))
                k++;
        }
        if (pm >= 0) {
            if (h < 1 || h > 12) {
                *next = k;
                return R_RANGE;
            }
            h = h % 12 + (pm ? 12 : 0);
            j = k;
        } else if (word_is(w, t, "uhr")) {
            j = k + 1;
        }
    }
    *next = j;
    if (h > 23 || m > 59 || s > 59)
        return R_RANGE;
    d->hour = h;
    d->minute = m;
    d->second = s;
    *next = parse_offset(p, j, d);
    return R_TIME;
}

/* Numeric dates at token i: Y-M-D, D.M.Y, M/D/Y, D.M.YY. */
static int parse_numeric(parser *p, int i, nd_date *d, int *next)
{
    win *w = &p->w;
    const tok *a = tk(w, i), *b, *c;
    const char *s = w->s;
    int sep, y, m, dd, df;
    if (a->kind != TK_NUM || tk(w, i + 1)->kind != TK_PUNCT)
        return R_NONE;
    sep = tk(w, i + 1)->ch;
    if ((sep != '.' && sep != '/' && sep != '-') || !is_punct(w, i + 3, sep) ||
        !is_num(w, i + 2, 1, 2) || tk(w, i + 4)->kind != TK_NUM)
        return R_NONE;
    /* part of a longer chain of numbers such as 192.168.1.10 */
    if (a->start >= 2 && (s[a->start - 1] == '.' || s[a->start - 1] == sep) &&
        s[a->start - 2] >= '0' && s[a->start - 2] <= '9')
        return R_NONE;
    if ((is_punct(w, i + 5, '.') || is_punct(w, i + 5, sep)) && is_num(w, i + 6, 1, 9))
        return R_NONE;
    b = tk(w, i + 2);
    c = tk(w, i + 4);
    df = sep == '.' ? 1 : p->day_first;
    if (a->ndig == 4 && c->ndig <= 2) {
        y = a->val, m = b->val, dd = c->val;
    } else if (a->ndig <= 2 && (c->ndig == 4 || (c->ndig == 2 && sep != '-'))) {
        y = c->val;
        m = df ? b->val : a->val;
        dd = df ? a->val : b->val;
        if (c->ndig == 2) {
            y += y < 70 ? 2000 : 1900;
            if (!valid_ymd(y, m, dd))
                return R_NONE;
        }
    } else {
        return R_NONE;
    }
    d->year = y, d->month = m, d->day = dd;
    *next = i + 5;
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

/* A 4-digit year at token i, with Russian "г." / "года" after it. */
static int parse_year(parser *p, int i, int *y, int *next)
{
    win *w = &p->w;
    int j;
    /* 3500 after a month name is a count ("18 Kasım 3500 kişi"), not a year;
     * 1000..2999 reads as a year and is checked against 1900..2100 later */
    if (!is_num(w, i, 4, 4) || tk(w, i)->val >= 3000)
        return 0;
    *y = tk(w, i)->val;
    j = i + 1;
    *next = j;
    if (tk(w, j)->kind == TK_SPACE)
        j++;
    if (word_is(w, tk(w, j), "г") || word_is(w, tk(w, j), "года"))
        *next = is_punct(w, j + 1, '.') ? j + 2 : j + 1;
    return 1;
}

/* 1 when the month word [a, b) is a bare abbreviation of under four
 * letters ("Ara", "may") not followed by '.': too common as a plain word
 * to make a date without a year. */
static int bare_short(win *w, size_t a, size_t b)
{
    size_t n = 0;
    for (; a < b; a++)
        n += ((unsigned char)w->s[a] & 0xC0) != 0x80;
    return n < 4 && !(b < w->len && w->s[b] == '.');
}

/* Finish a month-name date at token j, after its day and month: an
 * optional '.', a gap with one of `seps`, and the year, or the reference
 * date's year. */
static int named_tail(parser *p, int j, const char *seps, int m, int dd, int bare, nd_date *d,
                      int *next)
{
    win *w = &p->w;
    int y = 0, has_year;
    *next = j;
    if (is_punct(w, j, '.'))
        *next = ++j;
    j = skip_gap(w, j, seps);
    has_year = parse_year(p, j, &y, next);
    if (dd < 1 || dd > 31)
        return R_RANGE;
    if (!has_year) {
        /* "2 Kasım 18, 2024": the day belongs to the month after it */
        if (!p->ref || p->ref->year == 0 || bare ||
            (is_num(w, j, 1, 2) && !is_punct(w, j + 1, ':')))
            return R_NONE;
        y = p->ref->year;
    }
    d->year = y, d->month = m, d->day = dd;
    return valid_ymd(y, m, dd) ? R_DATE : R_RANGE;
}

/* "18 Kasım 2024", "18. November 2024", "04 Nov 2024", "18-Nov-2024". */
static int parse_day_month(parser *p, int i, nd_date *d, int *next)
{
    win *w = &p->w;
    int j, m, dd, bare;
    if (!is_num(w, i, 1, 2))
        return R_NONE;
    dd = tk(w, i)->val;
    j = i + 1;
    if (is_punct(w, j, '.'))
        j++;
    j = skip_gap(w, j, "-/");
    m = LOOKUP(w, j, months);
    if (!m)
        return R_NONE;
    m -= 1000;
    bare = bare_short(w, tk(w, j)->start, tk(w, j)->stop);
    return named_tail(p, j + 1, ",-/", m, dd, bare, d, next);
}

/* "Kasım 18, 2024", "November 18th 2024", "Nov. 4, 2024".  The month word
 * may have stray characters glued before it; *start gets its first byte. */
static int parse_month_day(parser *p, int i, nd_date *d, int *next, size_t *start)
{
    win *w = &p->w;
    int j, m, dd, bare;
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
    m -= 1000;
    bare = bare_short(w, *start, tk(w, i)->stop);
    dd = tk(w, j)->val;
    j++;
    if (word_is(w, tk(w, j), "st") || word_is(w, tk(w, j), "nd") || word_is(w, tk(w, j), "rd") ||
        word_is(w, tk(w, j), "th"))
        j++;
    return named_tail(p, j, ",-/", m, dd, bare, d, next);
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
    return parse_month_day(p, i, d, next, start);
}

/* Index after the separators, weekdays and connector words that may stand
 * between a date and its time; *wd_end gets the end of a weekday seen. */
static int skip_between(parser *p, int i, size_t *wd_end)
{
    win *w = &p->w;
    int n;
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
        } else if (LOOKUP(w, i, connectors)) {
            i++;
        } else {
            break;
        }
    }
    return i;
}

/* Try to read a date (or a time) starting at the window's first token. */
static int parse_at(parser *p, nd_date *d)
{
    win *w = &p->w;
    int i = 0, j, r, rt;
    size_t start = tk(w, 0)->start, dstart, wd_end = 0;
    nd_date t;

    /* a weekday first: "Mon, 04 Nov 2024", "Monday, November 18, 2024";
     * the shape (a number, or a word and a number) is checked before the
     * word is looked up */
    if (tk(w, 0)->kind == TK_WORD) {
        int k = 1;
        if (is_punct(w, k, '.'))
            k++;
        k = skip_gap(w, k, ",-/");       /* a superset of what a month may have after it */
        if ((tk(w, k)->kind == TK_NUM ||
             (tk(w, k)->kind == TK_WORD && tk(w, skip_gap(w, k + 1, ".-/"))->kind == TK_NUM)) &&
            LOOKUP(w, 0, weekdays))
            i = k;
        else if (tk(w, k)->kind != TK_NUM)
            return R_NONE;      /* neither a weekday nor a month before a day */
    }

    /* a time first: "23:58 - 04.11.2024", or a time alone */
    t = *d;
    rt = parse_time(p, i, &t, &j);
    if (rt == R_RANGE) {
        d->start = tk(w, i)->start;
        d->stop = tk(w, j - 1)->stop;
        return R_TIME_RANGE;
    }
    if (rt == R_TIME) {
        int k = skip_between(p, j, &wd_end), dn;
        r = parse_date(p, k, d, &dn, &dstart);
        if (r == R_NONE) {
            *d = t;
            d->start = tk(w, i)->start;
            d->stop = tk(w, j - 1)->stop;
            return R_TIME;
        }
        d->hour = t.hour, d->minute = t.minute, d->second = t.second;
        d->has_offset = t.has_offset, d->offset_min = t.offset_min;
        d->start = tk(w, i)->start;
        d->stop = tk(w, dn - 1)->stop;
        return r;
    }

    r = parse_date(p, i, d, &j, &dstart);
    if (r == R_NONE)
        return R_NONE;
    d->start = i ? start : dstart;
    d->stop = tk(w, j - 1)->stop;
    if (r == R_RANGE)
        return r;

    /* the tail: weekday, connectors and a time */
    {
        int k = skip_between(p, j, &wd_end), kn;
        rt = parse_time(p, k, d, &kn);
        if (rt == R_RANGE) {
            d->stop = tk(w, kn - 1)->stop;
            return R_RANGE;
        }
        if (rt == R_TIME)
            d->stop = tk(w, kn - 1)->stop;
        else if (wd_end > d->stop)
            d->stop = wd_end;
    }
    return R_DATE;
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
