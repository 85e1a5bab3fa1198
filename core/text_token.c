/*
 * text_token.c — the tokenizer: words (with hyphen parts and apostrophe
 * suffixes), numbers with separators, URLs and e-mail addresses.
 */
#include <string.h>

#include <utf8proc.h>

#include "text_internal.h"

enum {                       /* the classes of internal.h, short */
    C_OTHER = ND__C_OTHER, C_LETTER = ND__C_LETTER, C_DIGIT = ND__C_DIGIT, C_NUMBER = ND__C_NUMBER,
    C_MARK = ND__C_MARK, C_JOINER = ND__C_JOINER, C_APOS = ND__C_APOS, C_HYPHEN = ND__C_HYPHEN,
    C_SPACE = ND__C_SPACE
};

/* Classes of the ASCII characters: controls (DEL too) and space are
 * C_SPACE, letters, digits, ' and - their own, the rest C_OTHER. */
#define S_ C_SPACE
#define O_ C_OTHER
#define L_ C_LETTER
#define D_ C_DIGIT
const unsigned char nd__ascii_class[128] = {
    S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_,
    S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_,
    S_, O_, O_, O_, O_, O_, O_, C_APOS, O_, O_, O_, O_, O_, C_HYPHEN, O_, O_,
    D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, O_, O_, O_, O_, O_, O_,
    O_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
    L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, O_, O_, O_, O_, O_,
    O_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
    L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, O_, O_, O_, O_, S_,
};
#undef S_
#undef O_
#undef L_
#undef D_

/* U+00C0..U+024F (Latin-1 letters, Latin Extended-A and -B) are all letters
 * but for the multiplication and division signs. */
static int latin_letter(int32_t cp)
{
    return cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7;
}

/* U+0400..U+047F (the Cyrillic letters of Russian, Ukrainian and their
 * neighbours; two UTF-8 bytes led by 0xD0 or 0xD1) are all letters. */
static int cyrillic_letter(int32_t cp)
{
    return cp >= 0x400 && cp <= 0x47F;
}

/* The class of code point cp (internal.h): the one classifier. */
int nd__char_class(int32_t cp)
{
    if (cp < 0x80)
        return nd__ascii_class[cp];
    if (latin_letter(cp) || cyrillic_letter(cp))
        return C_LETTER;
    switch (cp) {
    case 0x2019: case 0x2018: case 0x2BC:
        return C_APOS;
    case 0x2010: case 0x2011:
        return C_HYPHEN;
    default:
        if (nd__tok_joiner(cp))
            return C_JOINER;
        break;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return C_LETTER;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return C_NUMBER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
        return C_SPACE;
    default:
        return C_OTHER;
    }
}

/* class_at past the end and for characters not in ASCII. */
static int class_at_decode(const nd_tokenizer *tz, size_t pos, size_t *n)
{
    int32_t cp;
    size_t k;
    if (pos >= tz->len) {
        if (n)
            *n = 0;
        return C_OTHER;
    }
    k = nd__utf8_decode((const unsigned char *)tz->s + pos, tz->len - pos, &cp);
    if (n)
        *n = k;
    return cp < 0 ? C_OTHER : nd__char_class(cp);
}

/* Class of the character at pos (C_OTHER past the end); *n = its length.
 * ASCII, most of what is scanned, is one table lookup in the caller. */
static inline int class_at(const nd_tokenizer *tz, size_t pos, size_t *n)
{
    if (pos < tz->len && (unsigned char)tz->s[pos] < 0x80) {
        if (n)
            *n = 1;
        return nd__ascii_class[(unsigned char)tz->s[pos]];
    }
    return class_at_decode(tz, pos, n);
}

static int is_wordish(int c)
{
    return c == C_LETTER || c == C_DIGIT || c == C_NUMBER || c == C_MARK;
}

/* 1 for the bytes that are a whole letter or digit: ASCII A-Z a-z 0-9. */
static const unsigned char ascii_alnum[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Consume letters, digits, marks, and joiners followed by one of those. */
static size_t scan_word(const nd_tokenizer *tz, size_t pos)
{
    const unsigned char *u = (const unsigned char *)tz->s;
    for (;;) {
        size_t n, n2;
        int c;
        while (pos < tz->len) {         /* fast path: ASCII letters, digits, Latin and Cyrillic letters */
            unsigned b = u[pos];
            if (ascii_alnum[b])
                pos++;
            else if (((b >= 0xC3 && b <= 0xC9) || b == 0xD0 || b == 0xD1) && pos + 1 < tz->len &&
                     (u[pos + 1] & 0xC0) == 0x80 &&
                     (b >= 0xD0 || latin_letter((int32_t)((b & 0x1Fu) << 6 | (u[pos + 1] & 0x3Fu)))))
                pos += 2;
            else
                break;
        }
        c = class_at(tz, pos, &n);
        if (is_wordish(c))
            pos += n;
        else if (c == C_JOINER && is_wordish(class_at(tz, pos + n, &n2)))
            pos += n;
        else
            return pos;
    }
}

static int ieq_prefix(const char *s, size_t len, const char *p)
{
    size_t i, n = strlen(p);
    if (len < n)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != p[i])
            return 0;
    }
    return 1;
}

/* End of a URL starting at pos, or pos if there is none. */
static size_t scan_url(const nd_tokenizer *tz, size_t pos)
{
    const char *s = tz->s + pos;
    size_t len = tz->len - pos, i, end, opens = 0, closes = 0;
    if ((s[0] | 0x20) != 'h' && (s[0] | 0x20) != 'w')
        return pos;                     /* no scheme and no www. */
    if (ieq_prefix(s, len, "https://"))
        i = 8;
    else if (ieq_prefix(s, len, "http://"))
        i = 7;
    else if (ieq_prefix(s, len, "www."))
        i = 4;
    else
        return pos;
    end = i;
    while (i < len) {
        int32_t cp;
        size_t n = nd__utf8_decode((const unsigned char *)s + i, len - i, &cp);
        int c = cp < 0 ? C_OTHER : nd__char_class(cp);
        if (cp < 0 || c == C_SPACE || cp == '<' || cp == '>' || cp == '"' || cp == 0xAB ||
            cp == 0xBB || cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019)
            break;
        if (cp == '(')
            opens++;
        if (cp == ')')
            closes++;
        i += n;
        end = i;
    }
    /* Trailing punctuation, and closing parentheses that close nothing in
     * the URL, are the sentence's: trimmed until neither is left, so the
     * URL read again alone ends in the same place. */
    while (end > 0) {
        if (strchr(".,;:!?'", s[end - 1]) && s[end - 1] != '\0')
            end--;
        else if (s[end - 1] == ')' && closes > opens) {
            end--;
            closes--;
        } else
            break;
    }
    if (end <= 4 || (end <= 8 && (s[end - 1] == '/' || s[end - 1] == '.')))
        return pos;
    return pos + end;
}

/* ASCII characters of e-mail addresses: E_LOCAL, the part before the @
 * (letters, digits and . _ % + -), E_DOMAIN, after it (letters, digits
 * and . -). */
enum { E_LOCAL = 1, E_DOMAIN = 2 };
static const unsigned char email_class[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 3, 3, 0,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0,
    0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 1,
    0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
};

static int email_char(const unsigned char *u, size_t i, int part)
{
    return u[i] < 0x80 && (email_class[u[i]] & part);
}

/* Whether the character at pos can follow letters and digits inside the
 * part of an address before the @, or is the @. */
static int may_continue_address(const nd_tokenizer *tz, size_t pos)
{
    const unsigned char *u = (const unsigned char *)tz->s;
    if (pos >= tz->len)
        return 0;
    return u[pos] == '@' || (email_char(u, pos, E_LOCAL) && !ascii_alnum[u[pos]]);
}

/* End of an e-mail address starting at pos, or pos if there is none. */
static size_t scan_email(const nd_tokenizer *tz, size_t pos)
{
    const char *s = tz->s;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = pos, at, end, dot = 0, k;
    while (i < tz->len && email_char(u, i, E_LOCAL))
        i++;
    if (i == pos || i >= tz->len || s[i] != '@' || s[i - 1] == '.')
        return pos;
    at = i++;
    while (i < tz->len && email_char(u, i, E_DOMAIN))
        i++;
    end = i;
    while (end > at + 1 && (s[end - 1] == '.' || s[end - 1] == '-'))
        end--;
    for (k = at + 1; k < end; k++)
        if (s[k] == '.')
            dot = k;
    if (!dot || dot == at + 1 || end - dot < 3)
        return pos;
    for (k = dot + 1; k < end; k++)
        if (!((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z'))
            return pos;
    if (is_wordish(class_at(tz, end, NULL)))
        return pos;                     /* "a@b.orgçok": glued to a word, no address */
    return end;
}

void nd_tokenizer_init(nd_tokenizer *tz, const char *s, size_t len)
{
    tz->s = s;
    tz->len = s ? len : 0;
    tz->pos = 0;
}

int nd_tokenizer_next(nd_tokenizer *tz, nd_token *tok)
{
    size_t pos = tz->pos, start, end, n, n2;
    int c, first;
    memset(tok, 0, sizeof *tok);
    for (;;) {
        c = class_at(tz, pos, &n);
        if (pos >= tz->len) {
            tz->pos = pos;
            return 0;
        }
        if (c == C_LETTER || c == C_DIGIT || c == C_NUMBER)
            break;
        pos += n;
    }
    start = pos;
    tok->start = start;
    tok->nparts = 1;
    if ((end = scan_url(tz, start)) > start) {
        tok->kind = ND_TOKEN_URL;
        goto whole;
    }
    tok->kind = ND_TOKEN_WORD;
    if (c == C_DIGIT) {
        tok->kind = ND_TOKEN_NUMBER;
        for (;;) {
            while (class_at(tz, pos, &n) == C_DIGIT)
                pos += n;
            if (pos < tz->len && (tz->s[pos] == '.' || tz->s[pos] == ',' || tz->s[pos] == ':') &&
                class_at(tz, pos + 1, NULL) == C_DIGIT)
                pos++;
            else
                break;
        }
        if (is_wordish(class_at(tz, pos, NULL)))
            tok->kind = ND_TOKEN_WORD;
    }
    for (first = 1;; first = 0) {
        pos = scan_word(tz, pos);
        /* An address's part before the @ holds only ASCII letters, digits
         * and . _ % + -, so the first run of letters and digits stops at
         * one of those or at the @: only then can there be an address. */
        if (first && may_continue_address(tz, pos) && (end = scan_email(tz, start)) > start) {
            tok->kind = ND_TOKEN_EMAIL;
            goto whole;
        }
        c = class_at(tz, pos, &n);
        if (c == C_HYPHEN && is_wordish(c = class_at(tz, pos + n, &n2)) && c != C_MARK &&
            !(tok->kind == ND_TOKEN_NUMBER && c == C_DIGIT)) {
            tok->kind = ND_TOKEN_WORD;
            tok->nparts++;
            pos += n;
            continue;
        }
        break;
    }
    tok->stem_stop = pos;
    c = class_at(tz, pos, &n);
    if (c == C_APOS && class_at(tz, pos + n, NULL) == C_LETTER) {
        tok->suffix_start = pos + n;
        pos = scan_word(tz, pos + n);
        while (class_at(tz, pos, &n) == C_APOS && class_at(tz, pos + n, NULL) == C_LETTER)
            pos = scan_word(tz, pos + n);
        tok->stop = pos;
    } else {
        tok->stop = pos;
        tok->suffix_start = pos;
    }
    tz->pos = pos;
    return 1;
whole:
    tok->stop = tok->stem_stop = tok->suffix_start = end;
    tz->pos = end;
    return 1;
}

int nd_token_part(const char *s, const nd_token *tok, unsigned k, size_t *start, size_t *stop)
{
    nd_tokenizer tz;
    size_t pos, n;
    unsigned part = 0;
    *start = *stop = 0;
    if (k >= tok->nparts)
        return ND_EINVAL;
    if (tok->nparts == 1) {
        *start = tok->start;
        *stop = tok->stem_stop;
        return ND_OK;
    }
    nd_tokenizer_init(&tz, s, tok->stem_stop);
    pos = tok->start;
    *start = pos;
    while (pos < tok->stem_stop) {
        int c = class_at(&tz, pos, &n);
        if (c == C_HYPHEN) {
            if (part == k) {
                *stop = pos;
                return ND_OK;
            }
            part++;
            *start = pos + n;
        }
        pos += n;
    }
    *stop = tok->stem_stop;
    return part == k ? ND_OK : ND_EINVAL;
}
