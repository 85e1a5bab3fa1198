/*
 * text.c — UTF-8 validity and repair, normalization, case mapping and
 * character counts.  The fold lives in text_fold.c, tokens in
 * text_token.c.
 */
#include <string.h>

#include <utf8proc.h>

#include "text_internal.h"

/* ---- shared helpers ------------------------------------------------------ */

int nd__buf_putcp(nd_buf *b, int32_t cp)
{
    int rc = nd_buf_reserve(b, 4);
    if (rc != ND_OK)
        return rc;
    b->len += nd__utf8_encode(cp, (unsigned char *)b->ptr + b->len);
    b->ptr[b->len] = '\0';
    return ND_OK;
}

int nd__cpvec_reserve(nd__cpvec *c, size_t extra)
{
    size_t cap;
    int32_t *p;
    if (extra > SIZE_MAX / 8 - c->n)
        return ND_ENOMEM;
    if (c->n + extra <= c->cap)
        return ND_OK;
    cap = c->cap ? c->cap : 32;
    while (cap < c->n + extra)
        cap *= 2;
    p = nd__realloc(c->v, cap * sizeof *p);
    if (!p)
        return ND_ENOMEM;
    c->v = p;
    c->cap = cap;
    return ND_OK;
}

void nd__cpvec_free(nd__cpvec *c)
{
    nd__free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
}

int nd__composes_backward(int32_t cp)
{
    const utf8proc_property_t *p;
    if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2))
        return 1;   /* Hangul V and T jamo compose algorithmically */
    p = utf8proc_get_property(cp);
    return p->comb_index != UINT16_MAX && p->comb_index >= 0x8000;
}

static int ccc(int32_t cp)
{
    return cp < 0x300 ? 0 : utf8proc_get_property(cp)->combining_class;
}

void nd__canonical_order(int32_t *v, size_t n)
{
    size_t i, k;
    for (i = 1; i < n; i++) {
        int c = ccc(v[i]);
        if (c == 0)
            continue;
        for (k = i; k > 0 && ccc(v[k - 1]) > c; k--) {
            int32_t t = v[k - 1];
            v[k - 1] = v[k];
            v[k] = t;
        }
    }
}

/* Length of the run of ASCII bytes at the start of s[0..len). */
static size_t ascii_run(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & UINT64_C(0x8080808080808080))
            break;
        i += 8;
    }
    while (i < len && s[i] < 0x80)
        i++;
    return i;
}

/* ---- validity ------------------------------------------------------------ */

/* 1 if the shift DFA accepts s[0..len): ASCII words skipped 8 bytes at a
 * time, everything else byte by byte (state 6 rejects and absorbs). */
static int dfa_accepts(const uint64_t *dfa, const unsigned char *u, size_t len)
{
    uint64_t st = 0;
    size_t i = 0;
    for (;;) {
        if (st == 0)
            while (i + 8 <= len && !(nd__load64(u + i) & ND_HIGHS))
                i += 8;
        if (i + 8 > len)
            break;
        st = dfa[u[i]] >> st & 63;
        st = dfa[u[i + 1]] >> st & 63;
        st = dfa[u[i + 2]] >> st & 63;
        st = dfa[u[i + 3]] >> st & 63;
        st = dfa[u[i + 4]] >> st & 63;
        st = dfa[u[i + 5]] >> st & 63;
        st = dfa[u[i + 6]] >> st & 63;
        st = dfa[u[i + 7]] >> st & 63;
        i += 8;
        if (st == ND_UTF8_REJECT)
            return 0;
    }
    for (; i < len; i++)
        st = dfa[u[i]] >> st & 63;
    return st == 0;
}

int nd_utf8_check(const char *s, size_t len, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    if (bad)
        *bad = 0;
    if (dfa_accepts(nd__utf8_dfa, u, len))
        return ND_OK;
    while (i < len) {
        int32_t cp;
        size_t n;
        i += ascii_run(u + i, len - i);
        if (i >= len)
            break;
        n = nd__utf8_decode(u + i, len - i, &cp);
        if (cp < 0) {
            if (bad)
                *bad = i;
            return ND_EUTF8;
        }
        i += n;
    }
    return ND_OK;   /* not reached: utf8_valid and the decoder agree */
}

int nd_utf8_repair(nd_buf *out, const char *s, size_t len, size_t *nrepl)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, done = 0, count = 0;
    int rc;
    if (nrepl)
        *nrepl = 0;
    out->len = 0;
    if ((rc = nd_buf_reserve(out, len)) != ND_OK || len == 0)
        return rc == ND_OK ? nd__buf_finish(out) : rc;
    while (i < len) {
        int32_t cp;
        size_t n = nd__utf8_decode(u + i, len - i, &cp);
        if (cp >= 0) {
            i += n;
            continue;
        }
        if ((rc = nd_buf_append(out, s + done, i - done)) != ND_OK ||
            (rc = nd__buf_putcp(out, ND_REPLACEMENT)) != ND_OK)
            return rc;
        count++;
        i += n;
        done = i;
    }
    if ((rc = nd_buf_append(out, s + done, len - done)) != ND_OK)
        return rc;
    if (nrepl)
        *nrepl = count;
    return ND_OK;
}

/* ---- normalization ------------------------------------------------------- */

static utf8proc_option_t form_options(int form)
{
    switch (form) {
    case ND_NFC: return UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    case ND_NFD: return UTF8PROC_STABLE | UTF8PROC_DECOMPOSE;
    case ND_NFKC: return UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
    case ND_NFKD: return UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT;
    default: return 0;
    }
}

/* Normalize valid UTF-8 v[0..len) and append the result to out; cps is
 * scratch space kept by the caller. */
static int normalize_valid(nd_buf *out, const char *v, size_t len, utf8proc_option_t opt, nd__cpvec *cps)
{
    utf8proc_ssize_t n;
    size_t i;
    int rc;
    if (len > (size_t)PTRDIFF_MAX / 8)
        return ND_ENOMEM;
    cps->n = 0;
    if ((rc = nd__cpvec_reserve(cps, len + 8)) != ND_OK)
        return rc;
    for (;;) {
        n = utf8proc_decompose((const utf8proc_uint8_t *)v, (utf8proc_ssize_t)len, cps->v,
                               (utf8proc_ssize_t)cps->cap, opt);
        if (n < 0)
            return n == UTF8PROC_ERROR_NOMEM ? ND_ENOMEM : ND_ERROR;
        if ((size_t)n <= cps->cap)
            break;
        if ((rc = nd__cpvec_reserve(cps, (size_t)n)) != ND_OK)
            return rc;
    }
    if (opt & UTF8PROC_COMPOSE) {
        n = utf8proc_normalize_utf32(cps->v, n, opt);
        if (n < 0)
            return ND_ERROR;
    }
    if ((rc = nd_buf_reserve(out, (size_t)n * 4)) != ND_OK)
        return rc;
    for (i = 0; i < (size_t)n; i++)
        out->len += nd__utf8_encode(cps->v[i], (unsigned char *)out->ptr + out->len);
    out->ptr[out->len] = '\0';
    return ND_OK;
}

/* 1 if valid s[0..len) stays the same under opt, 0 if not, or ND_ENOMEM. */
static int unchanged(const char *s, size_t len, utf8proc_option_t opt, nd_buf *tmp, nd__cpvec *cps)
{
    int rc;
    tmp->len = 0;
    if ((rc = normalize_valid(tmp, s, len, opt, cps)) != ND_OK)
        return rc;
    return tmp->len == len && memcmp(tmp->ptr, s, len) == 0;
}

static int nfc_inert(int32_t cp)
{
    return cp < 0x10000 && (nd__nfc_inert[cp >> 5] >> (cp & 31) & 1);
}

/* NFC by segments: a normalization boundary lies before every ASCII or
 * "inert" character (nd__nfc_inert), so only the segments holding other
 * characters go through utf8proc.  With out == NULL only checks: returns 1
 * if s (which may be invalid) is NFC, else 0.  With out, s must be valid;
 * appends NFC(s) and returns ND_OK or ND_ENOMEM. */
static int nfc_walk(nd_buf *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, last = 0, done = 0;
    nd_buf tmp = ND_BUF_INIT;
    nd__cpvec cps = { NULL, 0, 0 };
    int rc = out ? ND_OK : 1;
    while (i < len) {
        size_t n, j, start;
        int32_t cp;
        int same;
        if (i + 8 <= len) {
            uint64_t h = nd__load64(u + i) & ND_HIGHS;
            if (!h) {
                i += 8;
                last = i - 1;
                continue;
            }
            if ((n = nd__first_byte(h)) != 0) {
                i += n;
                last = i - 1;
            }
        }
        if (u[i] < 0x80) {
            last = i++;
            continue;
        }
        if (u[i] >= 0xC2 && u[i] <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
            cp = (int32_t)((u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F));
            n = 2;
        } else if ((n = nd__utf8_decode(u + i, len - i, &cp)) && cp < 0) {
            rc = 0;
            goto done;
        }
        if (nfc_inert(cp)) {
            last = i;
            i += n;
            continue;
        }
        start = last;
        for (j = i + n; j < len && u[j] >= 0x80; j += n) {
            n = nd__utf8_decode(u + j, len - j, &cp);
            if (cp < 0) {
                rc = 0;
                goto done;
            }
            if (nfc_inert(cp))
                break;
        }
        same = unchanged(s + start, j - start, form_options(ND_NFC), &tmp, &cps);
        if (same < 0) {
            rc = out ? same : 0;
            goto done;
        }
        if (!same && !out) {
            rc = 0;
            goto done;
        }
        if (!same && ((rc = nd_buf_append(out, s + done, start - done)) != ND_OK ||
                      (rc = nd_buf_append(out, tmp.ptr, tmp.len)) != ND_OK))
            goto done;
        if (!same)
            done = j;
        i = j;
    }
    if (out)
        rc = nd_buf_append(out, s + done, len - done);
done:
    nd_buf_free(&tmp);
    nd__cpvec_free(&cps);
    return rc;
}

int nd_text_normalize(nd_buf *out, const char *s, size_t len, int form)
{
    utf8proc_option_t opt = form_options(form);
    nd_buf fixed = ND_BUF_INIT;
    nd__cpvec cps = { NULL, 0, 0 };
    int rc;
    out->len = 0;
    if (!opt)
        return ND_EINVAL;
    if ((rc = nd__buf_finish(out)) != ND_OK)
        return rc;
    if (form == ND_NFC && dfa_accepts(nd__nfc_dfa, (const unsigned char *)s, len))
        return nd_buf_append(out, s, len);   /* valid and NFC: a copy */
    if (nd_utf8_check(s, len, NULL) != ND_OK) {
        if ((rc = nd_utf8_repair(&fixed, s, len, NULL)) != ND_OK)
            goto done;
        s = fixed.ptr;
        len = fixed.len;
    }
    if (form == ND_NFC)
        rc = nfc_walk(out, s, len);
    else if (ascii_run((const unsigned char *)s, len) == len)
        rc = nd_buf_append(out, s, len);
    else
        rc = normalize_valid(out, s, len, opt, &cps);
done:
    nd_buf_free(&fixed);
    nd__cpvec_free(&cps);
    return rc;
}

int nd__nfc_inert_ref(int32_t cp)
{
    unsigned char s[4];
    nd_buf b = ND_BUF_INIT;
    nd__cpvec cps = { NULL, 0, 0 };
    size_t n;
    int inert;
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
        return 0;
    if (ccc(cp) != 0 || nd__composes_backward(cp))
        return 0;
    n = nd__utf8_encode(cp, s);
    inert = unchanged((const char *)s, n, form_options(ND_NFC), &b, &cps) == 1;
    nd_buf_free(&b);
    nd__cpvec_free(&cps);
    return inert;
}

int nd_text_is_normalized(const char *s, size_t len, int form)
{
    utf8proc_option_t opt = form_options(form);
    nd_buf tmp = ND_BUF_INIT;
    nd__cpvec cps = { NULL, 0, 0 };
    int same;
    if (!opt)
        return 0;
    if (form == ND_NFC)
        return dfa_accepts(nd__nfc_dfa, (const unsigned char *)s, len) || nfc_walk(NULL, s, len);
    if (ascii_run((const unsigned char *)s, len) == len)
        return 1;
    if (nd_utf8_check(s, len, NULL) != ND_OK)
        return 0;
    same = unchanged(s, len, opt, &tmp, &cps);
    nd_buf_free(&tmp);
    nd__cpvec_free(&cps);
    return same == 1;
}

/* ---- case ---------------------------------------------------------------- */

int nd_text_turkic(const char *lang)
{
    if (!lang)
        return 0;
    if ((lang[0] == 't' || lang[0] == 'T') && (lang[1] == 'r' || lang[1] == 'R'))
        lang += 2;
    else if ((lang[0] == 'a' || lang[0] == 'A') && (lang[1] == 'z' || lang[1] == 'Z'))
        lang += 2;
    else
        return 0;
    return *lang == '\0' || *lang == '-' || *lang == '_';
}

static int map_case(nd_buf *out, const char *s, size_t len, const char *lang, int upper)
{
    const unsigned char *u = (const unsigned char *)s;
    int turkic = nd_text_turkic(lang);
    size_t i = 0;
    int rc;
    out->len = 0;
    if ((rc = nd_buf_reserve(out, len)) != ND_OK)
        return rc;
    while (i < len) {
        int32_t cp, m;
        size_t n = nd__utf8_next(u + i, len - i, &cp);
        i += n;
        if (upper) {
            if (turkic && cp == 'i')
                m = 0x130;
            else if (turkic && cp == 0x131)
                m = 'I';
            else if (cp == 0xDF) {
                if ((rc = nd_buf_append(out, "SS", 2)) != ND_OK)
                    return rc;
                continue;
            } else
                m = cp < 0x80 ? (cp >= 'a' && cp <= 'z' ? cp - 32 : cp) : utf8proc_toupper(cp);
        } else {
            if (turkic && cp == 'I') {
                int32_t next = 0;
                m = 0x131;
                if (i < len && nd__utf8_next(u + i, len - i, &next) == 2 && next == 0x307) {
                    m = 'i';   /* I + combining dot above is plain i */
                    i += 2;
                }
            } else if (cp == 0x130)
                m = 'i';
            else
                m = cp < 0x80 ? (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp) : utf8proc_tolower(cp);
        }
        if ((rc = nd__buf_putcp(out, m)) != ND_OK)
            return rc;
    }
    return nd__buf_finish(out);
}

int nd_text_lower(nd_buf *out, const char *s, size_t len, const char *lang)
{
    return map_case(out, s, len, lang, 0);
}

int nd_text_upper(nd_buf *out, const char *s, size_t len, const char *lang)
{
    return map_case(out, s, len, lang, 1);
}

/* ---- characters ---------------------------------------------------------- */

size_t nd_text_len(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n = 0;
    while (i < len) {
        size_t a = ascii_run(u + i, len - i);
        int32_t cp;
        i += a;
        n += a;
        if (i < len) {
            i += nd__utf8_decode(u + i, len - i, &cp);
            n++;
        }
    }
    return n;
}

size_t nd_text_offset(const char *s, size_t len, size_t k)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len && k > 0) {
        int32_t cp;
        i += nd__utf8_decode(u + i, len - i, &cp);
        k--;
    }
    return i;
}

size_t nd_text_width(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, w = 0;
    while (i < len) {
        int32_t cp;
        i += nd__utf8_next(u + i, len - i, &cp);
        if (cp >= 0x20 && cp < 0x7F)
            w++;
        else if (cp >= 0x80)
            w += (size_t)utf8proc_charwidth(cp);
    }
    return w;
}

size_t nd_grapheme_next(const char *s, size_t len, size_t pos)
{
    const unsigned char *u = (const unsigned char *)s;
    int32_t prev, cp, state = 0;
    if (pos >= len)
        return pos;
    pos += nd__utf8_next(u + pos, len - pos, &prev);
    while (pos < len) {
        size_t n = nd__utf8_next(u + pos, len - pos, &cp);
        if (utf8proc_grapheme_break_stateful(prev, cp, &state))
            break;
        prev = cp;
        pos += n;
    }
    return pos;
}
