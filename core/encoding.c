/*
 * encoding.c — input encodings: detection (BOM, UTF-8 validity, legacy
 * Turkish code pages) and streaming conversion to UTF-8 with iconv.
 */
#include <errno.h>
#include <string.h>

#include "ingest_internal.h"

static const char *const REPL = "\xef\xbf\xbd";   /* U+FFFD */

static const struct alias {
    const char *name, *canonical;
} aliases[] = {
    { "utf-8", "utf-8" }, { "utf8", "utf-8" },
    { "utf-16", "utf-16" }, { "utf16", "utf-16" },
    { "utf-16le", "utf-16le" }, { "utf16le", "utf-16le" },
    { "utf-16be", "utf-16be" }, { "utf16be", "utf-16be" },
    { "windows-1254", "windows-1254" }, { "cp1254", "windows-1254" },
    { "win1254", "windows-1254" }, { "windows1254", "windows-1254" },
    { "iso-8859-9", "iso-8859-9" }, { "iso8859-9", "iso-8859-9" },
    { "latin5", "iso-8859-9" }, { "latin-5", "iso-8859-9" },
};

/* iconv's name for a canonical one. */
static const char *iconv_name(const char *canonical)
{
    if (strcmp(canonical, "utf-16le") == 0) return "UTF-16LE";
    if (strcmp(canonical, "utf-16be") == 0) return "UTF-16BE";
    if (strcmp(canonical, "utf-16") == 0) return "UTF-16";
    if (strcmp(canonical, "windows-1254") == 0) return "CP1254";
    if (strcmp(canonical, "iso-8859-9") == 0) return "ISO-8859-9";
    return canonical;
}

const char *nd__encoding_canonical(const char *name)
{
    char low[32];
    size_t i, n = strlen(name);
    iconv_t cd;
    if (n < sizeof low) {
        for (i = 0; i <= n; i++)
            low[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
        for (i = 0; i < ND_ARRAY_LEN(aliases); i++)
            if (strcmp(low, aliases[i].name) == 0)
                return aliases[i].canonical;
    }
    cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return NULL;
    iconv_close(cd);
    return name;
}

/* Length of the well-formed UTF-8 sequence at s (2-4), 0 if s[0] does not
 * start one, or -1 if it is a valid but truncated start at the end. */
static int utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    int need, k;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    for (k = 1; k <= need; k++) {
        if ((size_t)k >= n)
            return -1;
        if (s[k] < (k == 1 ? lo : 0x80) || s[k] > (k == 1 ? hi : 0xBF))
            return 0;
    }
    return need + 1;
}

const char *nd__encoding_sniff(const char *s, size_t n, int at_eof, size_t *bom)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i, multi = 0, bad = 0, c1 = 0;
    *bom = 0;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *bom = 3;
        return "utf-8";
    }
    if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        *bom = 2;
        return "utf-16le";
    }
    if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        *bom = 2;
        return "utf-16be";
    }
    /* A run of invalid bytes counts once, like one U+FFFD of a repair: in
     * Windows-1254 text every Turkish letter is its own run between ASCII
     * letters, while a stray multi-byte error in UTF-8 text is one run. */
    for (i = 0; i < n;) {
        int k, in_bad = 0;
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        for (; i < n && u[i] >= 0x80; ) {
            if (u[i] <= 0x9F)
                c1++;
            k = utf8_seq(u + i, n - i);
            if (k > 0) {
                multi++;
                i += (size_t)k;
                in_bad = 0;
            } else if (k < 0 && !at_eof) {
                goto done;
            } else {
                bad += !in_bad;
                in_bad = 1;
                i++;
            }
        }
    }
done:
    if (bad == 0 || multi >= bad)
        return "utf-8";
    return c1 ? "windows-1254" : "iso-8859-9";
}

int nd__decoder_init(nd__decoder *d, const char *canonical)
{
    d->ncarry = 0;
    d->nrepl = 0;
    d->unit = 1;
    d->join = (nd_buf)ND_BUF_INIT;
    d->cd = (iconv_t)-1;
    if (strcmp(canonical, "utf-8") == 0)
        return ND_OK;
    if (strncmp(canonical, "utf-16", 6) == 0)
        d->unit = 2;
    d->cd = iconv_open("UTF-8", iconv_name(canonical));
    return d->cd == (iconv_t)-1 ? ND_EINVAL : ND_OK;
}

void nd__decoder_close(nd__decoder *d)
{
    if (!d)
        return;
    nd_buf_free(&d->join);
    if (d->cd != (iconv_t)-1) {
        iconv_close(d->cd);
        d->cd = (iconv_t)-1;
    }
}

/* Convert in[0..n) completely except for an incomplete tail, which is
 * returned in *rest (bytes left unconverted at the end). */
static int convert(nd__decoder *d, nd_buf *out, const char *in, size_t n, size_t *rest)
{
    char *ip = (char *)in;
    size_t il = n;
    int rc;
    if ((rc = nd_buf_reserve(out, 0)) != ND_OK)
        return rc;
    while (il > 0) {
        char *op;
        size_t ol, r;
        if ((rc = nd_buf_reserve(out, il * 3 + 16)) != ND_OK)
            return rc;
        op = out->ptr + out->len;
        ol = out->cap - out->len - 1;
        r = iconv(d->cd, &ip, &il, &op, &ol);
        out->len = (size_t)(op - out->ptr);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        if (errno == EINVAL)          /* incomplete sequence at the end */
            break;
        /* EILSEQ: one unit cannot be converted */
        if ((rc = nd_buf_append(out, REPL, 3)) != ND_OK)
            return rc;
        d->nrepl++;
        r = il < d->unit ? il : d->unit;
        ip += r;
        il -= r;
    }
    out->ptr[out->len] = '\0';
    *rest = il;
    return ND_OK;
}

int nd__decoder_feed(nd__decoder *d, nd_buf *out, const char *in, size_t n, int final)
{
    size_t rest = 0;
    int rc = ND_OK;
    if (d->cd == (iconv_t)-1)
        return nd_buf_append(out, in, n);
    if (d->ncarry) {
        /* join the sequence cut at the previous chunk's end with this one */
        d->join.len = 0;
        if ((rc = nd_buf_append(&d->join, d->carry, d->ncarry)) != ND_OK ||
            (rc = nd_buf_append(&d->join, in, n)) != ND_OK)
            return rc;
        in = d->join.ptr;
        n = d->join.len;
        d->ncarry = 0;
    }
    if ((rc = convert(d, out, in, n, &rest)) != ND_OK)
        return rc;
    if (rest > sizeof d->carry)     /* cannot be a cut sequence: replace */
        final = 1;
    if (rest && !final) {
        memcpy(d->carry, in + n - rest, rest);
        d->ncarry = rest;
    } else if (rest) {
        d->nrepl++;
        rc = nd_buf_append(out, REPL, 3);
    }
    return rc;
}

int nd_text_decode(nd_buf *out, const char *s, size_t len, const char *encoding,
                   const char **detected)
{
    nd__decoder d;
    const char *name;
    size_t bom = 0;
    int rc;
    out->len = 0;
    if (detected)
        *detected = NULL;
    if (encoding) {
        size_t b2;
        const char *sn = nd__encoding_sniff(s, len, 1, &b2);
        name = nd__encoding_canonical(encoding);
        if (!name)
            return ND_EINVAL;
        /* a BOM that agrees with the requested encoding is dropped */
        if (b2 && (strcmp(sn, name) == 0 || (strcmp(name, "utf-16") == 0 && sn[3] == '-')))
            bom = b2;
        if (strcmp(name, "utf-16") == 0 && b2 && sn[3] == '-')
            name = sn;
    } else {
        name = nd__encoding_sniff(s, len, 1, &bom);
    }
    if ((rc = nd__decoder_init(&d, name)) != ND_OK)
        return rc;
    rc = nd__decoder_feed(&d, out, s + bom, len - bom, 1);
    nd__decoder_close(&d);
    if (rc == ND_OK && detected)
        *detected = name;
    return rc;
}
