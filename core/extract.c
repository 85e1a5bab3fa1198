/*
 * extract.c — scraped page dumps to articles.
 *
 * A page dump is text copied from a rendered news page: site chrome, a title
 * (often repeated), a lede, a date line, the body, a footer with the agency,
 * author, counters and prompts — and sometimes the start of the next
 * article.  The extractor classifies each non-blank line, finds the titles
 * that start articles, and assembles title / date / source / author / body
 * for each, leaving every chrome line out of the bodies.  See nd_ingest.h.
 */
#include <string.h>

#include <utf8proc.h>

#include "extract_internal.h"
#include "ingest_internal.h"
#include "nd_dates.h"
#include "nd_text.h"

/* Line classes. */
enum {
    C_TEXT,      /* plain text: body, title, site name, ... */
    C_DROP,      /* chrome */
    C_DATE,      /* a publication date line */
    C_UPDATE,    /* an update time line */
    C_SOURCE,    /* a rule says: source/agency */
    C_AUTHOR,    /* a rule says: author */
    C_END,       /* a rule says: the body ends here */
    C_TITLE,     /* starts an article */
    C_REPEAT,    /* a title again */
    C_URL        /* a line that is only a web address */
};

#define TITLE_MAX 250     /* longest title, bytes */
#define REPEAT_WINDOW 6   /* a repeated title comes back within this many lines */
#define DATE_LINE_MAX 120 /* longest line taken as a date line */
#define NAME_LINE_MAX 80  /* longest line taken as a source or author line */

typedef struct xline {
    size_t begin;             /* the untrimmed line starts here */
    size_t start, stop;       /* the trimmed line in the page */
    size_t key, klen;         /* its fold key in ex->keys */
    int cls;
    size_t value;             /* SOURCE/AUTHOR: where the value starts */
    size_t di;                /* DATE/UPDATE: its date is ex->dates[di] */
    unsigned words;
    unsigned char para;       /* reads like a body paragraph */
    unsigned char namelike;   /* 2-4 capitalised words: a person */
    unsigned char oneword;    /* one capitalised word: an agency or site */
} xline;

/* Offsets of an article's produced strings in ex->out (fixed up at the end). */
typedef struct xoff {
    size_t body, blen, date, dlen, upd, ulen;
    int has_date, has_upd;
} xoff;

struct nd_extractor {
    const nd_boilerplate *bp;
    xline *lines;
    size_t n, cap;
    nd_buf keys, key, tmp, iso;
    nd_buf out;
    nd_extracted *arts;
    xoff *offs;
    size_t narts, acap, ocap;
    size_t *anchors;
    size_t nanchors, ancap;
    nd_date *dates;           /* of the date and update lines */
    size_t ndates, dcap;
    nd_date ref;              /* nd_extractor_set_ref */
    int has_ref;
};

int nd_extractor_new(nd_extractor **ex, const nd_boilerplate *bp)
{
    *ex = nd__calloc(1, sizeof **ex);
    if (!*ex)
        return ND_ENOMEM;
    (*ex)->bp = bp;
    return ND_OK;
}

void nd_extractor_set_ref(nd_extractor *ex, const nd_date *ref)
{
    ex->has_ref = ref != NULL;
    if (ref)
        ex->ref = *ref;
}

void nd_extractor_free(nd_extractor *ex)
{
    if (!ex)
        return;
    nd_free(ex->lines);
    nd_buf_free(&ex->keys);
    nd_buf_free(&ex->key);
    nd_buf_free(&ex->tmp);
    nd_buf_free(&ex->iso);
    nd_buf_free(&ex->out);
    nd_free(ex->arts);
    nd_free(ex->offs);
    nd_free(ex->anchors);
    nd_free(ex->dates);
    nd_free(ex);
}

const nd_extracted *nd_extract_get(const nd_extractor *ex, size_t i)
{
    return i < ex->narts ? &ex->arts[i] : NULL;
}

/* ---- line shape ----------------------------------------------------------- */

/* Decode the code point at s (len > 0); *w its length (1 for a bad byte). */
static utf8proc_int32_t cp_at(const char *s, size_t len, size_t *w)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
    if (k <= 0) {
        *w = 1;
        return -1;
    }
    *w = (size_t)k;
    return c;
}

static int is_letter(utf8proc_int32_t c)
{
    utf8proc_category_t cat = c < 0 ? UTF8PROC_CATEGORY_CN : utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

static int is_upper(utf8proc_int32_t c)
{
    utf8proc_category_t cat = c < 0 ? UTF8PROC_CATEGORY_CN : utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

static int is_digit_cp(utf8proc_int32_t c)
{
    return c >= 0 && utf8proc_category(c) == UTF8PROC_CATEGORY_ND;
}

/* Words (runs of letters/digits), counted; 2+ letter words only if min2. */
static unsigned count_words(const char *s, size_t len, int min2)
{
    size_t i = 0, w, run = 0;
    unsigned n = 0;
    while (i <= len) {
        int word;
        if (i == len) {
            word = 0;
        } else if ((unsigned char)s[i] < 0x80) {     /* ASCII fast path */
            char c = s[i];
            word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            w = 1;
        } else {
            utf8proc_int32_t c = cp_at(s + i, len - i, &w);
            word = is_letter(c) || is_digit_cp(c);
        }
        if (word) {
            run++;
        } else {
            if (run >= (min2 ? 2u : 1u))
                n++;
            run = 0;
            if (i == len)
                break;
        }
        i += w;
    }
    return n;
}

/* Does the line end like a sentence (. ! ? … : possibly inside quotes)? */
static int ends_sentence(const char *s, size_t len)
{
    static const char *const closers[] = { "\"", "'", ")", "]", "\xe2\x80\x9d", "\xe2\x80\x99", "\xc2\xbb" };
    size_t i, j;
    int again = 1;
    if (len && s[len - 1] == ')') {
        /* a sentence with a closing dateline: "... bringen. (APA, 1.2.2015)" */
        for (i = len - 1; i > 0 && len - i < 48 && s[i - 1] != '('; i--)
            ;
        if (i > 0 && s[i - 1] == '(') {
            for (j = i - 1; j > 0 && s[j - 1] == ' '; j--)
                ;
            if (j > 0 && strchr(".!?", s[j - 1]))
                return 1;
        }
    }
    while (again && len) {
        again = 0;
        for (i = 0; i < ND_ARRAY_LEN(closers); i++) {
            size_t cl = strlen(closers[i]);
            if (len >= cl && memcmp(s + len - cl, closers[i], cl) == 0) {
                len -= cl;
                again = 1;
                break;
            }
        }
    }
    if (!len)
        return 0;
    if (strchr(".!?:", s[len - 1]))
        return 1;
    if (len >= 3 && memcmp(s + len - 3, "\xe2\x80\xa6", 3) == 0)
        return 1;
    return 0;
}

/* Person-like (2-4 words) or agency-like (1 word): every word starts with a
 * capital, no digits, only letters and - . ' inside.  0, 1 (one word) or 2. */
static int name_shape(const char *s, size_t len)
{
    size_t i = 0, w;
    unsigned words = 0;
    int at_start = 1;
    if (len > 50)
        return 0;
    while (i < len) {
        utf8proc_int32_t c = cp_at(s + i, len - i, &w);
        if (c == ' ') {
            at_start = 1;
        } else if (at_start) {
            if (!is_upper(c))
                return 0;
            words++;
            at_start = 0;
        } else if (!is_letter(c) && c != '-' && c != '.' && c != '\'' && c != 0x2019) {
            return 0;
        }
        i += w;
    }
    if (words == 1)
        return len <= 30 ? 1 : 0;
    return words >= 2 && words <= 4 ? 2 : 0;
}

/* Is s[0..len) one web address (http://, https:// or www., no spaces)? */
static int is_url_line(const char *s, size_t len)
{
    size_t i;
    if (!((len > 8 && memcmp(s, "https://", 8) == 0) || (len > 7 && memcmp(s, "http://", 7) == 0) ||
          (len > 4 && memcmp(s, "www.", 4) == 0)))
        return 0;
    for (i = 0; i < len; i++)
        if (s[i] == ' ' || s[i] == '\t')
            return 0;
    return 1;
}

/* An agency acronym as a footer line: 2-6 capital letters ("AA", "DHA",
 * "İHA", "AFP").  A capitalised word ("Avrupa", "Türkiye") is a topic
 * label, never a source. */
static int acronym_shape(const char *s, size_t len)
{
    size_t i = 0, w;
    unsigned n = 0;
    while (i < len) {
        utf8proc_int32_t c = cp_at(s + i, len - i, &w);
        if (!is_upper(c))
            return 0;
        n++;
        i += w;
    }
    return n >= 2 && n <= 6;
}

/* ---- classification ------------------------------------------------------- */

/* Dates carry a year or a time: a line without a digit holds none. */
static int has_digit(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

static int key_eq(const nd_extractor *ex, const xline *a, const xline *b)
{
    return a->klen == b->klen && memcmp(ex->keys.ptr + a->key, ex->keys.ptr + b->key, a->klen) == 0;
}

static int title_shape(const char *page, const xline *l)
{
    return l->cls == C_TEXT && l->stop - l->start <= TITLE_MAX && l->words >= 2 &&
           page[l->stop - 1] != '.';
}

/* Remember the date of line l.  ND_OK or ND_ENOMEM. */
static int keep_date(nd_extractor *ex, xline *l, const nd_date *d)
{
    int rc = ND__GROW1(ex->dates, ex->dcap, ex->ndates);
    if (rc != ND_OK)
        return rc;
    l->di = ex->ndates;
    ex->dates[ex->ndates++] = *d;
    return ND_OK;
}

/* Split s into trimmed non-blank lines and classify each. */
static int classify(nd_extractor *ex, const char *s, size_t len, nd_date_opts *dopts, int guess_lang)
{
    size_t pos = 0;
    int rc;
    ex->n = 0;
    ex->ndates = 0;
    ex->keys.len = 0;
    while (pos < len) {
        const char *nl = memchr(s + pos, '\n', len - pos), *cr;
        size_t end = nl ? (size_t)(nl - s) : len, a, b, lead = 0, kend = 0;
        xline *l;
        int kind = 0, datelike;
        nd_date d;
        size_t begin = pos;
        /* a lone CR (old Mac line ends) ends a line too; CRLF is trimmed below */
        if ((cr = memchr(s + pos, '\r', end - pos)) != NULL && (size_t)(cr - s) + 1 < end) {
            end = (size_t)(cr - s);
            pos = end + 1;
        } else {
            pos = nl ? end + 1 : len;
        }
        a = begin;
        b = end;
        for (;;) {   /* trim blanks, including no-break spaces */
            if (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\f'))
                a++;
            else if (b - a >= 2 && s[a] == '\xc2' && s[a + 1] == '\xa0')
                a += 2;
            else
                break;
        }
        for (;;) {
            if (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' || s[b - 1] == '\f'))
                b--;
            else if (b - a >= 2 && s[b - 2] == '\xc2' && s[b - 1] == '\xa0')
                b -= 2;
            else
                break;
        }
        if (a == b)
            continue;
        if ((rc = ND__GROW1(ex->lines, ex->cap, ex->n)) != ND_OK)
            return rc;
        l = &ex->lines[ex->n++];
        memset(l, 0, sizeof *l);
        l->begin = begin;
        l->start = a;
        l->stop = b;
        if ((rc = nd__line_key(&ex->key, &ex->tmp, s + a, b - a, 0, &lead)) != ND_OK)
            return rc;
        l->key = ex->keys.len;
        l->klen = ex->key.len;
        if ((rc = nd_buf_append(&ex->keys, ex->key.ptr ? ex->key.ptr : "", ex->key.len)) != ND_OK)
            return rc;
        l->cls = C_TEXT;
        l->words = count_words(s + a, b - a, 0);
        if (is_url_line(s + a, b - a)) {
            l->cls = C_URL;
            continue;
        }
        if (l->klen <= 1) {                     /* no text, or a stray letter */
            l->cls = C_DROP;
            continue;
        }
        if ((rc = nd__boilerplate_match_key(ex->bp, ex->keys.ptr + l->key, l->klen, &kind, &kend)) != ND_OK)
            return rc;
        l->para = (l->words >= 4 && ends_sentence(s + a, b - a)) || l->words >= 30;
        if ((kind == ND_BP_SOURCE || kind == ND_BP_AUTHOR) && (b - a > NAME_LINE_MAX || l->para))
            kind = 0;       /* "By the end of the day, ..." is a sentence */
        datelike = b - a <= DATE_LINE_MAX && has_digit(s + a, b - a);
        if (datelike && guess_lang && memchr(s + a, '/', b - a)) {
            /* 4/11/2024 reads by language: guess the page's, once */
            const char *pl = nd_lang_detect(s, len < 2048 ? len : 2048);
            dopts->lang = strcmp(pl, "und") == 0 ? NULL : pl;
            guess_lang = 0;
        }
        if (kind == ND_BP_DROP && datelike &&
            nd_date_parse(s + a, b - a, dopts, &d) == ND_OK && d.is_update) {
            l->cls = C_UPDATE;      /* chrome, but its time goes to meta */
            if ((rc = keep_date(ex, l, &d)) != ND_OK)
                return rc;
            continue;
        }
        if (kind) {
            static const int cls_of[] = { C_TEXT, C_DROP, C_SOURCE, C_AUTHOR, C_END };
            l->cls = cls_of[kind];
            if ((kind == ND_BP_SOURCE || kind == ND_BP_AUTHOR) &&
                (rc = nd__key_to_original(s + a, b - a, lead, kend, &l->value)) != ND_OK)
                return rc;
            l->value += a;
            continue;
        }
        if (datelike && nd_date_parse(s + a, b - a, dopts, &d) == ND_OK) {
            size_t ds = a + d.start, de = a + d.stop;
            d.start = ds;
            d.stop = de;
            if (d.is_update || count_words(s + a, ds - a, 1) + count_words(s + de, b - de, 1) <= 3) {
                l->cls = d.is_update ? C_UPDATE : C_DATE;
                if ((rc = keep_date(ex, l, &d)) != ND_OK)
                    return rc;
                continue;
            }
        }
        if (!l->para) {
            int shape = name_shape(s + a, b - a);
            l->namelike = shape == 2;
            l->oneword = shape == 1;
        }
    }
    return ND_OK;
}

/* Does line i, though it ends in '.' ("Stadtrat beschließt Haushalt.",
 * "Wahl in Wien: knapp..."), read as a headline: at most 14 words, and the
 * next plain line a longer paragraph? */
static int headline_before_text(const nd_extractor *ex, size_t i)
{
    const xline *l = &ex->lines[i];
    size_t j;
    if (l->words > 14)
        return 0;
    for (j = i + 1; j < ex->n; j++) {
        const xline *m = &ex->lines[j];
        if (m->cls == C_TEXT)
            return m->para && m->stop - m->start > l->stop - l->start;
        if (m->cls != C_DROP && m->cls != C_DATE && m->cls != C_URL && m->cls != C_AUTHOR)
            return 0;
    }
    return 0;
}

/* Mark titles: repeated short lines; else a short line followed by a date
 * line; else the first plain line.  Fills ex->anchors. */
static int find_titles(nd_extractor *ex, const char *s)
{
    size_t i, j;
    int rc;
    ex->nanchors = 0;
    for (i = 0; i < ex->n; i++) {
        xline *l = &ex->lines[i];
        int found = 0;
        if (!title_shape(s, l))
            continue;
        for (j = i + 1; j < ex->n && j <= i + REPEAT_WINDOW; j++) {
            if (ex->lines[j].cls == C_TEXT && key_eq(ex, l, &ex->lines[j])) {
                ex->lines[j].cls = C_REPEAT;
                found = 1;
            }
        }
        if (found)
            l->cls = C_TITLE;
    }
    for (i = 0; i < ex->n && ex->lines[i].cls != C_TITLE; i++)
        ;
    if (i == ex->n) {
        /* a short line with a date line after it (bylines, chrome between) */
        for (i = 0; i < ex->n; i++) {
            xline *l = &ex->lines[i];
            if (!title_shape(s, l) || l->para)
                continue;
            for (j = i + 1; j < ex->n && j <= i + 3; j++) {
                const xline *m = &ex->lines[j];
                if (m->cls == C_DATE) {
                    l->cls = C_TITLE;
                    i = j;          /* a byline between is not a title */
                    break;
                }
                if (!(m->cls == C_DROP || m->cls == C_AUTHOR || m->cls == C_SOURCE ||
                      (m->cls == C_TEXT && m->namelike)))
                    break;
            }
        }
    }
    for (i = 0; i < ex->n; i++)
        if (ex->lines[i].cls == C_TITLE) {
            if ((rc = ND__GROW1(ex->anchors, ex->ancap, ex->nanchors)) != ND_OK)
                return rc;
            ex->anchors[ex->nanchors++] = i;
        }
    /* a title with no paragraph before the next one is chrome (a teaser) */
    if (ex->nanchors > 1) {
        size_t k, m = 0;
        for (k = 0; k < ex->nanchors; k++) {
            size_t a = ex->anchors[k], hi = k + 1 < ex->nanchors ? ex->anchors[k + 1] : ex->n;
            int body = 0;
            for (j = a + 1; j < hi && !body; j++)
                body = ex->lines[j].cls == C_TEXT && ex->lines[j].para;
            if (body)
                ex->anchors[m++] = a;
            else
                ex->lines[a].cls = C_DROP;
        }
        ex->nanchors = m;
    }
    if (!ex->nanchors) {
        for (i = 0; i < ex->n; i++) {
            xline *l = &ex->lines[i];
            if (l->cls == C_TEXT && l->stop - l->start <= TITLE_MAX &&
                (s[l->stop - 1] != '.' || headline_before_text(ex, i))) {
                l->cls = C_TITLE;
                if ((rc = ND__GROW1(ex->anchors, ex->ancap, 0)) != ND_OK)
                    return rc;
                ex->anchors[ex->nanchors++] = i;
                break;
            }
            if (l->cls == C_TEXT)
                break;          /* the page starts with a paragraph: no title */
        }
    }
    return ND_OK;
}

/* ---- datelines ------------------------------------------------------------- */

/* Trimmed s[a..b). */
static void trim_range(const char *s, size_t *a, size_t *b)
{
    while (*a < *b && (s[*a] == ' ' || s[*a] == '\t'))
        (*a)++;
    while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t'))
        (*b)--;
}

/* The date of s[a..b) when that text is a date and little else: 1 and *d
 * (offsets in s).  A date without its year ("4. November") is placed by
 * o->ref; with no ref it still counts, with d->year 0. */
static int dateline_date(const char *s, size_t a, size_t b, const nd_date_opts *o, nd_date *d)
{
    int unplaced = 0;
    if (b <= a)
        return 0;
    if (nd_date_parse(s + a, b - a, o, d) != ND_OK) {
        nd_date any;
        nd_date_opts yo = *o;
        if (o->ref)
            return 0;
        memset(&any, 0, sizeof any);
        any.year = 2000;            /* a year only: tells a year-less date from no date */
        yo.ref = &any;
        if (nd_date_parse(s + a, b - a, &yo, d) != ND_OK)
            return 0;
        unplaced = 1;
    }
    if (d->month <= 0)
        return 0;
    if (unplaced)
        d->year = 0;
    if (count_words(s + a, d->start, 1) + count_words(s + a + d->stop, b - a - d->stop, 1) > 1)
        return 0;
    d->start += a;
    d->stop += a;
    return 1;
}

/* Length of a dash (-, en dash, em dash) at s[i..b), else 0. */
static size_t dash_at(const char *s, size_t i, size_t b)
{
    if (i < b && s[i] == '-')
        return 1;
    if (b - i >= 3 && memcmp(s + i, "\xe2\x80", 2) == 0 && (s[i + 2] == '\x93' || s[i + 2] == '\x94'))
        return 3;
    return 0;
}

/* The place of a dateline: 1-3 words without digits, the first in capitals
 * (2 letters or more; "SANKT-PETERBURG"). */
static int place_shape(const char *s, size_t a, size_t b)
{
    size_t i, w;
    unsigned caps = 0;
    for (i = a; i < b; i += w) {
        utf8proc_int32_t c = cp_at(s + i, b - i, &w);
        if (c == '-' && caps)
            continue;
        if (!is_letter(c))
            break;
        if (!is_upper(c))
            return 0;
        caps++;
    }
    return caps >= 2 && (i == b || s[i] == ' ') && !has_digit(s + a, b - a) &&
           !memchr(s + a, '(', b - a) && !memchr(s + a, ')', b - a) &&
           count_words(s + a, b - a, 0) <= 3;
}

/* What a dateline shape found: the agency s[agency, agency_end), the date. */
typedef struct dlmatch {
    size_t agency, agency_end;
    int has_date;               /* d is a whole date (with its year) */
    nd_date d;
} dlmatch;

enum { DL_PLACE = 1, DL_AGENCY, DL_DATE };

/* The token at p[0..n): DL_* with *w its length, or 0 for a literal byte. */
static int dl_token(const char *p, size_t n, size_t *w)
{
    static const struct { const char *name; size_t len; int tok; } toks[] = {
        { "PLACE", 5, DL_PLACE }, { "AGENCY", 6, DL_AGENCY }, { "DATE", 4, DL_DATE },
    };
    size_t k;
    for (k = 0; k < ND_ARRAY_LEN(toks); k++)
        if (n >= toks[k].len && memcmp(p, toks[k].name, toks[k].len) == 0) {
            *w = toks[k].len;
            return toks[k].tok;
        }
    *w = 1;
    return 0;
}

/* Match shape p[0..n) at s[i..b): the end of the match, or (size_t)-1.
 * A token takes the shortest text (at most 48 bytes) after which the rest
 * matches; m collects what the tokens found. */
static size_t dl_match(nd_extractor *ex, const char *p, size_t n, const char *s, size_t i, size_t b,
                       const nd_date_opts *o, dlmatch *m, int depth)
{
    size_t w, j, k;
    int tok;
    if (n == 0)
        return i;
    if (depth > 8)
        return (size_t)-1;
    tok = dl_token(p, n, &w);
    if (!tok) {
        if (p[0] == ' ') {
            while (i < b && (s[i] == ' ' || s[i] == '\t'))
                i++;
            return dl_match(ex, p + 1, n - 1, s, i, b, o, m, depth);
        }
        if (p[0] == '-')
            return (k = dash_at(s, i, b)) ? dl_match(ex, p + 1, n - 1, s, i + k, b, o, m, depth) : (size_t)-1;
        return i < b && s[i] == p[0] ? dl_match(ex, p + 1, n - 1, s, i + 1, b, o, m, depth) : (size_t)-1;
    }
    for (j = i + 1; j <= b && j - i <= 48; j++) {
        size_t ta = i, tb = j, e;
        dlmatch save = *m;
        /* the rest must start here: a cheap test before the token's own */
        if (w < n && p[w] != ' ' && p[w] != '-' && !dl_token(p + w, n - w, &k) && (j >= b || s[j] != p[w]))
            continue;
        trim_range(s, &ta, &tb);
        if (tb <= ta)
            continue;
        if (tok == DL_PLACE) {
            if (!place_shape(s, ta, tb))
                continue;
        } else if (tok == DL_AGENCY) {
            int yes;
            if (tb - ta > 30 || nd__boilerplate_agency(ex->bp, &ex->key, &ex->tmp, s + ta, tb - ta, &yes) != ND_OK ||
                !yes)
                continue;
            m->agency = ta;
            m->agency_end = tb;
        } else {
            nd_date d;
            if (!dateline_date(s, ta, tb, o, &d))
                continue;
            m->d = d;
            m->has_date = d.year > 0;
        }
        if ((e = dl_match(ex, p + w, n - w, s, j, b, o, m, depth + 1)) != (size_t)-1)
            return e;
        *m = save;
    }
    return (size_t)-1;
}

/* A closing dateline at the end of the line s[a..b) (a SUFFIX shape of
 * the rules: "... (APA, 1.2.2015)", "(red, 15.5.2016)").  1 with *cut =
 * where it starts, *src = the agency and *d its date (offsets in s); else 0. */
static int dateline_end(nd_extractor *ex, const char *s, size_t a, size_t b, const nd_date_opts *o,
                        size_t *cut, nd_str *src, nd_date *d)
{
    size_t r = 0, n, st;
    const char *p;
    while ((p = nd__boilerplate_shape(ex->bp, &r, ND_BP_SUFFIX, &n)) != NULL) {
        size_t w;
        int lit = p[0] != ' ' && p[0] != '-' && !dl_token(p, n, &w);
        char last = p[n - 1];
        if (b <= a || (last != ' ' && last != '-' && !(last >= 'A' && last <= 'Z') && s[b - 1] != last))
            continue;           /* "(AGENCY, DATE)" needs a line ending in ')': most lines stop here */
        for (st = b - a > 64 ? b - 64 : a; st < b; st++) {
            dlmatch m;
            memset(&m, 0, sizeof m);
            if ((lit && s[st] != p[0]) ||
                dl_match(ex, p, n, s, st, b, o, &m, 0) != b || !m.has_date)
                continue;
            *cut = st;
            src->ptr = s + m.agency;
            src->len = m.agency_end - m.agency;
            *d = m.d;
            return 1;
        }
    }
    return 0;
}

/* An opening dateline at the start of the line s[a..b) (a PREFIX shape of
 * the rules: "ANKARA (AA) - ...", "BERLIN, 4. November (Reuters) - ..."),
 * followed by a blank.  1 with *rest = where the story text starts, *src =
 * the agency, *has_date and *d = the date when the dateline gives one a
 * date parser can place. */
static int dateline_start(nd_extractor *ex, const char *s, size_t a, size_t b, const nd_date_opts *o,
                          size_t *rest, nd_str *src, nd_date *d, int *has_date)
{
    size_t r = 0, n, e, lim = b - a > 90 ? a + 90 : b;
    const char *p;
    *has_date = 0;
    if (b <= a || memchr(s + a, '(', lim - a) == NULL)
        return 0;   /* every shape names its agency in parentheses: most lines stop here */
    while ((p = nd__boilerplate_shape(ex->bp, &r, ND_BP_PREFIX, &n)) != NULL) {
        dlmatch m;
        memset(&m, 0, sizeof m);
        if ((e = dl_match(ex, p, n, s, a, lim, o, &m, 0)) == (size_t)-1 || e >= b || s[e] != ' ')
            continue;
        while (e < b && (s[e] == ' ' || s[e] == '\t'))
            e++;
        *rest = e;
        src->ptr = s + m.agency;
        src->len = m.agency_end - m.agency;
        *has_date = m.has_date;
        if (m.has_date)
            *d = m.d;
        return 1;
    }
    return 0;
}

/* ---- assembly -------------------------------------------------------------- */

/* Where article k's lines end: the next article's header (its date, site
 * name, tagline) starts at the returned line.  a = title line, p = last
 * paragraph, hi = next title. */
static size_t split_point(const nd_extractor *ex, size_t lo, size_t p, size_t hi)
{
    size_t i, d = hi;
    int has_date = 0;
    for (i = lo; i <= p && i < hi; i++)
        has_date |= ex->lines[i].cls == C_DATE;
    for (i = p + 1; i < hi; i++) {
        const xline *l = &ex->lines[i];
        if (l->cls == C_DATE) {
            if (has_date) {
                d = i;
                break;
            }
            has_date = 1;       /* a footer date: still ours */
            continue;
        }
        if (l->cls == C_TEXT && !l->namelike && !l->oneword)
            break;              /* a site name or tagline: the next header */
    }
    return i < d ? i : d;
}

/* Trimmed value text of a SOURCE/AUTHOR line: after the prefix, without
 * leading ':', '-', spaces. */
static nd_str rule_value(const char *s, const xline *l)
{
    nd_str v;
    size_t a = l->value > l->start ? l->value : l->start;
    while (a < l->stop && (s[a] == ':' || s[a] == ' ' || s[a] == '-' || s[a] == '\t'))
        a++;
    v.ptr = s + a;
    v.len = l->stop - a;
    return v;
}

static nd_str line_str(const char *s, const xline *l)
{
    nd_str v;
    v.ptr = s + l->start;
    v.len = l->stop - l->start;
    return v;
}

/* The site name a header line gives, or ptr NULL: a short line, or the
 * first part of "Site | Menu | ..." or "Site — tagline". */
static nd_str site_name(const char *s, const xline *l)
{
    static const char *const seps[] = { " | ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", " - ", " \xc2\xb7 ", "|" };
    nd_str v = line_str(s, l);
    size_t k, cut = v.len;
    for (k = 0; k < ND_ARRAY_LEN(seps); k++) {
        size_t n = strlen(seps[k]), i;
        for (i = 1; i + n <= v.len && i < cut; i++)
            if (memcmp(v.ptr + i, seps[k], n) == 0) {
                cut = i;
                break;
            }
    }
    while (cut && v.ptr[cut - 1] == ' ')
        cut--;
    v.len = cut;
    if (count_words(v.ptr, v.len, 0) > 5 || count_words(v.ptr, v.len, 0) == 0)
        v.ptr = NULL;
    return v;
}

static int put_date(nd_extractor *ex, const nd_date *d, size_t *off, size_t *len)
{
    int rc = nd_date_format(d, &ex->iso);
    if (rc != ND_OK)
        return rc;
    *off = ex->out.len;
    *len = ex->iso.len;
    return nd_buf_append(&ex->out, ex->iso.ptr, ex->iso.len);
}

/* Build article k from lines [lo, end) with title line a (or (size_t)-1).
 * all_text: with no paragraph, every plain line is body (a story whose
 * title is known); else such an article has no body. */
static int assemble(nd_extractor *ex, const char *s, size_t lo, size_t a, size_t end,
                    size_t body_hi, int all_text, const nd_date_opts *dopts,
                    nd_extracted *art, xoff *off)
{
    static const nd_str none = { NULL, 0 };
    size_t i, p = (size_t)-1, first_para = (size_t)-1, from = a == (size_t)-1 ? lo : a + 1;
    size_t body_from = 0, body_to = 0;      /* datelines cut from the first / last paragraph */
    const xline *date = NULL, *upd = NULL;
    nd_str dl_src = none;
    nd_date dl_date;
    int rc, nbody = 0, dl_has_date = 0;
    memset(off, 0, sizeof *off);
    art->title = a == (size_t)-1 ? none : line_str(s, &ex->lines[a]);
    art->source = art->author = art->date = art->date_text = art->updated = art->url = none;
    for (i = from; i < body_hi; i++)
        if (ex->lines[i].cls == C_TEXT && ex->lines[i].para) {
            p = i;
            if (first_para == (size_t)-1)
                first_para = i;
        }
    if (p == (size_t)-1 && all_text)
        for (i = from; i < body_hi; i++)
            if (ex->lines[i].cls == C_TEXT) {
                p = i;
                if (first_para == (size_t)-1)
                    first_para = i;
            }
    /* agency datelines: "ANKARA (AA) - ..." opens the story, "(APA,
     * 1.2.2015)" closes it; neither stays in the body */
    if (first_para != (size_t)-1) {
        const xline *l = &ex->lines[first_para];
        nd_date d;
        int hd;
        if (dateline_start(ex, s, l->start, l->stop, dopts, &body_from, &dl_src, &d, &hd) && hd) {
            dl_date = d;
            dl_has_date = 1;
        }
    }
    if (p != (size_t)-1) {
        const xline *l = &ex->lines[p];
        nd_str src;
        nd_date d;
        if (dateline_end(ex, s, l->start, l->stop, dopts, &body_to, &src, &d)) {
            while (body_to > l->start && (s[body_to - 1] == ' ' || s[body_to - 1] == '\t'))
                body_to--;
            if (!dl_src.ptr)
                dl_src = src;
            if (!dl_has_date) {
                dl_date = d;
                dl_has_date = 1;
            }
        }
    }
    for (i = p == (size_t)-1 ? from : p + 1; i < end && !dl_src.ptr; i++) {
        const xline *l = &ex->lines[i];     /* a dateline on a line of its own */
        size_t cut;
        nd_date d;
        nd_str src;
        if ((l->cls == C_DATE || l->cls == C_TEXT) &&
            dateline_end(ex, s, l->start, l->stop, dopts, &cut, &src, &d) && cut == l->start) {
            dl_src = src;
            if (!dl_has_date) {
                dl_date = d;
                dl_has_date = 1;
            }
        }
    }
    /* the body: plain lines after the title up to the last paragraph */
    off->body = ex->out.len;
    if (p != (size_t)-1) {
        for (i = from; i <= p; i++) {
            const xline *l = &ex->lines[i];
            size_t ls = l->start, le = l->stop;
            if (l->cls != C_TEXT || (l->namelike && i < first_para) || l->oneword)
                continue;
            if (i == first_para && body_from)
                ls = body_from;
            if (i == p && body_to)
                le = body_to;
            if (le <= ls)
                continue;
            if ((nbody++ && (rc = nd_buf_append(&ex->out, "\n\n", 2)) != ND_OK) ||
                (rc = nd_buf_append(&ex->out, s + ls, le - ls)) != ND_OK)
                return rc;
        }
    }
    off->blen = ex->out.len - off->body;
    for (i = lo; i < end && !art->url.ptr; i++)
        if (ex->lines[i].cls == C_URL)
            art->url = line_str(s, &ex->lines[i]);
    /* the date: under the title, else above it, else in the footer */
    for (i = from; i < end && !date; i++)
        if (ex->lines[i].cls == C_DATE && (p == (size_t)-1 || i <= p))
            date = &ex->lines[i];
    for (i = from; i > lo && !date; i--)
        if (ex->lines[i - 1].cls == C_DATE)
            date = &ex->lines[i - 1];
    for (i = p == (size_t)-1 ? from : p + 1; i < end && !date; i++)
        if (ex->lines[i].cls == C_DATE)
            date = &ex->lines[i];
    for (i = lo; i < end && !upd; i++)
        if (ex->lines[i].cls == C_UPDATE)
            upd = &ex->lines[i];
    if (date || dl_has_date) {
        const nd_date *dd = date ? &ex->dates[date->di] : &dl_date;
        art->date_text.ptr = s + dd->start;
        art->date_text.len = dd->stop - dd->start;
        if ((rc = put_date(ex, dd, &off->date, &off->dlen)) != ND_OK)
            return rc;
        off->has_date = 1;
    }
    if (upd) {
        if ((rc = put_date(ex, &ex->dates[upd->di], &off->upd, &off->ulen)) != ND_OK)
            return rc;
        off->has_upd = 1;
    }
    /* source and author: rule lines first, then the footer's name shapes,
     * then a byline under the title, then the site name above it */
    for (i = lo; i < end; i++) {
        const xline *l = &ex->lines[i];
        if (l->cls == C_SOURCE && !art->source.ptr)
            art->source = rule_value(s, l);
        if (l->cls == C_AUTHOR && !art->author.ptr)
            art->author = rule_value(s, l);
    }
    if (!art->source.ptr && dl_src.ptr)
        art->source = dl_src;
    for (i = p == (size_t)-1 ? from : p + 1; i < end; i++) {
        const xline *l = &ex->lines[i];
        if (l->cls != C_TEXT)
            continue;
        if (l->oneword && !art->source.ptr && acronym_shape(s + l->start, l->stop - l->start))
            art->source = line_str(s, l);
        if (l->namelike && !art->author.ptr)
            art->author = line_str(s, l);
    }
    for (i = from; i < end && i < first_para && !art->author.ptr; i++)
        if (ex->lines[i].cls == C_TEXT && ex->lines[i].namelike)
            art->author = line_str(s, &ex->lines[i]);
    if (a != (size_t)-1)
        for (i = lo; i < a && !art->source.ptr; i++) {
            const xline *l = &ex->lines[i];
            if (l->cls == C_TEXT && !l->para)
                art->source = site_name(s, l);
        }
    return ND_OK;
}

static void finish(nd_extractor *ex);

/* Reset ex for a new text, set the date options for lang, classify. */
static int begin(nd_extractor *ex, const char *s, size_t len, const char *lang, nd_date_opts *dopts)
{
    ex->narts = 0;
    ex->out.len = 0;
    memset(dopts, 0, sizeof *dopts);
    dopts->day_first = -1;
    dopts->lang = lang;
    dopts->ref = ex->has_ref ? &ex->ref : NULL;
    return classify(ex, s, len, dopts, lang == NULL);
}

int nd_extract_page(nd_extractor *ex, const char *s, size_t len, const char *lang, size_t *count)
{
    nd_date_opts dopts;
    size_t k, lo = 0;
    int rc;
    *count = 0;
    if ((rc = begin(ex, s, len, lang, &dopts)) != ND_OK || (rc = find_titles(ex, s)) != ND_OK)
        return rc;
    if (ex->n == 0)
        return ND_OK;
    for (k = 0; k < (ex->nanchors ? ex->nanchors : 1); k++) {
        size_t a = ex->nanchors ? ex->anchors[k] : (size_t)-1;
        size_t hi = k + 1 < ex->nanchors ? ex->anchors[k + 1] : ex->n;
        size_t body_hi = hi, end = hi, i, p = a == (size_t)-1 ? lo : a;
        nd_extracted *art;
        for (i = (a == (size_t)-1 ? lo : a + 1); i < hi; i++)
            if (ex->lines[i].cls == C_END) {
                body_hi = i;
                break;
            }
        for (i = p; i < body_hi; i++)
            if (ex->lines[i].cls == C_TEXT && ex->lines[i].para)
                p = i;
        if (k + 1 < ex->nanchors)
            end = split_point(ex, lo, p, hi);
        if ((rc = ND__GROW1(ex->arts, ex->acap, ex->narts)) != ND_OK ||
            (rc = ND__GROW1(ex->offs, ex->ocap, ex->narts)) != ND_OK)
            return rc;
        art = &ex->arts[ex->narts];
        if ((rc = assemble(ex, s, lo, a, end, body_hi, 0, &dopts, art, &ex->offs[ex->narts])) != ND_OK)
            return rc;
        art->raw_start = k == 0 ? 0 : ex->lines[lo].begin;
        art->raw_stop = end < ex->n ? ex->lines[end].begin : len;
        ex->narts++;
        lo = end;
    }
    finish(ex);
    *count = ex->narts;
    return ND_OK;
}

/* Point the articles' produced strings into ex->out (it may have moved);
 * an article with no date of its own takes the one before it. */
static void finish(nd_extractor *ex)
{
    size_t k;
    for (k = 0; k < ex->narts; k++) {
        xoff *o = &ex->offs[k];
        nd_extracted *art = &ex->arts[k];
        if (!o->has_date && k > 0 && ex->offs[k - 1].has_date) {
            /* no date line of its own: the page's date, from the one before */
            o->has_date = 1;
            o->date = ex->offs[k - 1].date;
            o->dlen = ex->offs[k - 1].dlen;
            art->date_text = ex->arts[k - 1].date_text;
        }
        art->body.ptr = ex->out.ptr ? ex->out.ptr + o->body : "";
        art->body.len = o->blen;
        if (o->has_date) {
            art->date.ptr = ex->out.ptr + o->date;
            art->date.len = o->dlen;
        }
        if (o->has_upd) {
            art->updated.ptr = ex->out.ptr + o->upd;
            art->updated.len = o->ulen;
        }
    }
}

int nd_extract_story(nd_extractor *ex, const char *s, size_t len, const char *lang,
                     const char *title, size_t tlen, size_t *count)
{
    nd_date_opts dopts;
    nd_extracted *art;
    size_t i, body_hi;
    int rc;
    *count = 0;
    if ((rc = begin(ex, s, len, lang, &dopts)) != ND_OK)
        return rc;
    /* the title again inside the text (a heading in the markup) */
    if (title && tlen) {
        if ((rc = nd__line_key(&ex->key, &ex->tmp, title, tlen, 0, NULL)) != ND_OK)
            return rc;
        for (i = 0; i < ex->n; i++) {
            xline *l = &ex->lines[i];
            if (l->cls == C_TEXT && l->klen == ex->key.len &&
                memcmp(ex->keys.ptr + l->key, ex->key.ptr, l->klen) == 0)
                l->cls = C_REPEAT;
        }
    }
    for (body_hi = 0; body_hi < ex->n && ex->lines[body_hi].cls != C_END; body_hi++)
        ;
    if ((rc = ND__GROW1(ex->arts, ex->acap, 0)) != ND_OK || (rc = ND__GROW1(ex->offs, ex->ocap, 0)) != ND_OK)
        return rc;
    art = &ex->arts[0];
    if ((rc = assemble(ex, s, 0, (size_t)-1, ex->n, body_hi, 1, &dopts, art, &ex->offs[0])) != ND_OK)
        return rc;
    art->title.ptr = title;
    art->title.len = title ? tlen : 0;
    art->raw_start = 0;
    art->raw_stop = len;
    ex->narts = 1;
    finish(ex);
    *count = 1;
    return ND_OK;
}
