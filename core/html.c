/*
 * html.c — HTML fragments (RSS descriptions, scraped bodies) to plain text,
 * and character references.  Not a full HTML parser: enough for the markup
 * news feeds carry.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "nd_ingest.h"

/* ---- character references --------------------------------------------- */

/* Named references common in Turkish and European news; sorted by name
 * (strcmp order) for bsearch. */
static const struct entity {
    const char *name;
    const char *utf8;
} entities[] = {
    { "AElig", "\xc3\x86" }, { "Aacute", "\xc3\x81" }, { "Acirc", "\xc3\x82" },
    { "Agrave", "\xc3\x80" }, { "Aring", "\xc3\x85" }, { "Atilde", "\xc3\x83" },
    { "Auml", "\xc3\x84" }, { "Ccedil", "\xc3\x87" }, { "Eacute", "\xc3\x89" },
    { "Ecirc", "\xc3\x8a" }, { "Egrave", "\xc3\x88" }, { "Euml", "\xc3\x8b" },
    { "Gbreve", "\xc4\x9e" }, { "Iacute", "\xc3\x8d" }, { "Icirc", "\xc3\x8e" },
    { "Idot", "\xc4\xb0" }, { "Igrave", "\xc3\x8c" }, { "Iuml", "\xc3\x8f" },
    { "Ntilde", "\xc3\x91" }, { "Oacute", "\xc3\x93" }, { "Ocirc", "\xc3\x94" },
    { "Ograve", "\xc3\x92" }, { "Oslash", "\xc3\x98" }, { "Otilde", "\xc3\x95" },
    { "Ouml", "\xc3\x96" }, { "Prime", "\xe2\x80\xb3" }, { "Scaron", "\xc5\xa0" },
    { "Scedil", "\xc5\x9e" }, { "Uacute", "\xc3\x9a" }, { "Ucirc", "\xc3\x9b" },
    { "Ugrave", "\xc3\x99" }, { "Uuml", "\xc3\x9c" }, { "Yacute", "\xc3\x9d" },
    { "aacute", "\xc3\xa1" }, { "acirc", "\xc3\xa2" }, { "acute", "\xc2\xb4" },
    { "aelig", "\xc3\xa6" }, { "agrave", "\xc3\xa0" }, { "amp", "&" },
    { "apos", "'" }, { "aring", "\xc3\xa5" }, { "atilde", "\xc3\xa3" },
    { "auml", "\xc3\xa4" }, { "bdquo", "\xe2\x80\x9e" }, { "brvbar", "\xc2\xa6" },
    { "bull", "\xe2\x80\xa2" }, { "ccedil", "\xc3\xa7" }, { "cedil", "\xc2\xb8" },
    { "cent", "\xc2\xa2" }, { "copy", "\xc2\xa9" }, { "dagger", "\xe2\x80\xa0" },
    { "deg", "\xc2\xb0" }, { "divide", "\xc3\xb7" }, { "eacute", "\xc3\xa9" },
    { "ecirc", "\xc3\xaa" }, { "egrave", "\xc3\xa8" }, { "emsp", "\xe2\x80\x83" },
    { "ensp", "\xe2\x80\x82" }, { "euml", "\xc3\xab" }, { "euro", "\xe2\x82\xac" },
    { "frac12", "\xc2\xbd" }, { "frac14", "\xc2\xbc" }, { "frac34", "\xc2\xbe" },
    { "gbreve", "\xc4\x9f" }, { "gt", ">" }, { "hellip", "\xe2\x80\xa6" },
    { "iacute", "\xc3\xad" }, { "icirc", "\xc3\xae" }, { "iexcl", "\xc2\xa1" },
    { "igrave", "\xc3\xac" }, { "imath", "\xc4\xb1" }, { "inodot", "\xc4\xb1" },
    { "iquest", "\xc2\xbf" }, { "iuml", "\xc3\xaf" }, { "laquo", "\xc2\xab" },
    { "larr", "\xe2\x86\x90" }, { "ldquo", "\xe2\x80\x9c" }, { "lrm", "\xe2\x80\x8e" },
    { "lsaquo", "\xe2\x80\xb9" }, { "lsquo", "\xe2\x80\x98" }, { "lt", "<" },
    { "macr", "\xc2\xaf" }, { "mdash", "\xe2\x80\x94" }, { "micro", "\xc2\xb5" },
    { "middot", "\xc2\xb7" }, { "nbsp", "\xc2\xa0" }, { "ndash", "\xe2\x80\x93" },
    { "not", "\xc2\xac" }, { "ntilde", "\xc3\xb1" }, { "oacute", "\xc3\xb3" },
    { "ocirc", "\xc3\xb4" }, { "oelig", "\xc5\x93" }, { "ograve", "\xc3\xb2" },
    { "ordf", "\xc2\xaa" }, { "ordm", "\xc2\xba" }, { "oslash", "\xc3\xb8" },
    { "otilde", "\xc3\xb5" }, { "ouml", "\xc3\xb6" }, { "para", "\xc2\xb6" },
    { "permil", "\xe2\x80\xb0" }, { "plusmn", "\xc2\xb1" }, { "pound", "\xc2\xa3" },
    { "prime", "\xe2\x80\xb2" }, { "quot", "\"" }, { "raquo", "\xc2\xbb" },
    { "rarr", "\xe2\x86\x92" }, { "rdquo", "\xe2\x80\x9d" }, { "reg", "\xc2\xae" },
    { "rlm", "\xe2\x80\x8f" }, { "rsaquo", "\xe2\x80\xba" }, { "rsquo", "\xe2\x80\x99" },
    { "sbquo", "\xe2\x80\x9a" }, { "scaron", "\xc5\xa1" }, { "scedil", "\xc5\x9f" },
    { "sect", "\xc2\xa7" }, { "shy", "" }, { "sup1", "\xc2\xb9" },
    { "sup2", "\xc2\xb2" }, { "sup3", "\xc2\xb3" }, { "szlig", "\xc3\x9f" },
    { "thinsp", "\xe2\x80\x89" }, { "times", "\xc3\x97" }, { "trade", "\xe2\x84\xa2" },
    { "uacute", "\xc3\xba" }, { "ucirc", "\xc3\xbb" }, { "ugrave", "\xc3\xb9" },
    { "uml", "\xc2\xa8" }, { "uuml", "\xc3\xbc" }, { "yacute", "\xc3\xbd" },
    { "yen", "\xc2\xa5" }, { "yuml", "\xc3\xbf" }, { "zwj", "\xe2\x80\x8d" },
    { "zwnj", "\xe2\x80\x8c" },
};

static int entity_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct entity *)elem)->name);
}

/* UTF-8 encoding of code point c (invalid ones as U+FFFD) into out[4]. */
static size_t utf8_encode(unsigned long c, char *out)
{
    if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        c = 0xFFFD;
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* If s[0] == '&' starts a reference that ends in ';', write its text to
 * rep[8] and return the bytes it spans; 0 when it is not one. */
static size_t entity_at(const char *s, size_t len, char *rep, size_t *replen)
{
    size_t i = 1;
    if (len < 3)
        return 0;
    if (s[1] == '#') {
        unsigned long c = 0;
        int hex = 0, digits = 0;
        i = 2;
        if (i < len && (s[i] == 'x' || s[i] == 'X')) {
            hex = 1;
            i++;
        }
        for (; i < len && digits < 10; i++, digits++) {
            char ch = s[i];
            int v;
            if (ch >= '0' && ch <= '9') v = ch - '0';
            else if (hex && ch >= 'a' && ch <= 'f') v = ch - 'a' + 10;
            else if (hex && ch >= 'A' && ch <= 'F') v = ch - 'A' + 10;
            else break;
            c = c * (hex ? 16 : 10) + (unsigned long)v;
        }
        if (!digits || i >= len || s[i] != ';')
            return 0;
        *replen = utf8_encode(c, rep);
        return i + 1;
    } else {
        char name[16];
        const struct entity *e;
        for (; i < len && i < sizeof name; i++) {
            char ch = s[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
                break;
        }
        if (i >= len || s[i] != ';' || i == 1)
            return 0;
        memcpy(name, s + 1, i - 1);
        name[i - 1] = '\0';
        e = bsearch(name, entities, ND_ARRAY_LEN(entities), sizeof entities[0], entity_cmp);
        if (!e)
            return 0;
        *replen = strlen(e->utf8);
        memcpy(rep, e->utf8, *replen);
        return i + 1;
    }
}

int nd_html_decode_entities(nd_buf *out, const char *s, size_t len)
{
    size_t i = 0, run = 0;
    int rc = ND_OK;
    out->len = 0;
    if ((rc = nd_buf_reserve(out, len)) != ND_OK)
        return rc;
    while (i < len) {
        char rep[8];
        size_t rl = 0, n;
        const char *amp = memchr(s + i, '&', len - i);
        if (!amp)
            break;
        i = (size_t)(amp - s);
        n = entity_at(s + i, len - i, rep, &rl);
        if (!n) {
            i++;
            continue;
        }
        if ((rc = nd_buf_append(out, s + run, i - run)) != ND_OK ||
            (rc = nd_buf_append(out, rep, rl)) != ND_OK)
            return rc;
        i += n;
        run = i;
    }
    if ((rc = nd_buf_append(out, s + run, len - run)) != ND_OK)
        return rc;
    out->ptr[out->len] = '\0';
    return ND_OK;
}

/* ---- tags ------------------------------------------------------------- */

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower_ascii(char c);

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int nd_html_has_tags(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i + 2 < len; i++) {
        if (s[i] != '<')
            continue;
        if (is_alpha(s[i + 1]) || (s[i + 1] == '/' && is_alpha(s[i + 2])) || s[i + 1] == '!') {
            if (memchr(s + i, '>', len - i))
                return 1;
        }
    }
    return 0;
}

/* What a tag does to the text flow. */
enum { TAG_INLINE, TAG_LINE, TAG_PARA, TAG_SKIP };

static int tag_class(const char *name, size_t n)
{
    static const char *const skip[] = { "script", "style", "noscript", "template", "head", "svg" };
    static const char *const line[] = { "br", "li", "tr", "dt", "dd", "td", "th", "option" };
    static const char *const para[] = {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
        "blockquote", "section", "article", "header", "footer", "aside", "nav",
        "figure", "figcaption", "pre", "hr", "main", "address", "form", "title", "body", "html"
    };
    char low[16];
    size_t i;
    if (n == 0 || n >= sizeof low)
        return TAG_INLINE;
    for (i = 0; i < n; i++)
        low[i] = lower_ascii(name[i]);
    low[n] = '\0';
    for (i = 0; i < ND_ARRAY_LEN(skip); i++)
        if (strcmp(low, skip[i]) == 0) return TAG_SKIP;
    for (i = 0; i < ND_ARRAY_LEN(line); i++)
        if (strcmp(low, line[i]) == 0) return TAG_LINE;
    for (i = 0; i < ND_ARRAY_LEN(para); i++)
        if (strcmp(low, para[i]) == 0) return TAG_PARA;
    return TAG_INLINE;
}

static char lower_ascii(char c)
{
    return (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
}

/* Find "</name" (any case) from s[i]; returns its offset or len. */
static size_t find_close(const char *s, size_t len, size_t i, const char *name, size_t n)
{
    for (; i + 2 + n <= len; i++) {
        size_t k;
        if (s[i] != '<' || s[i + 1] != '/')
            continue;
        for (k = 0; k < n; k++)
            if (lower_ascii(s[i + 2 + k]) != lower_ascii(name[k]))
                break;
        if (k == n)
            return i;
    }
    return len;
}

/* The text accumulator: collapses white space, trims lines, keeps at most
 * one blank line between paragraphs. */
typedef struct flow {
    nd_buf *out;
    int pending;        /* 0 none, 1 space, 2 line break, 3 blank line */
} flow;

static int flow_text(flow *f, const char *s, size_t n)
{
    static const char *const sep[] = { "", " ", "\n", "\n\n" };
    size_t i = 0, run = 0;
    int rc;
    while (i <= n) {
        size_t w = 0;       /* width of the space at i, 0 if none */
        if (i < n) {
            if (is_space(s[i]))
                w = 1;
            else if (s[i] == '\xc2' && i + 1 < n && s[i + 1] == '\xa0')
                w = 2;
            else {
                i++;
                continue;
            }
        }
        if (i > run) {
            if (f->out->len && f->pending &&
                (rc = nd_buf_append(f->out, sep[f->pending], strlen(sep[f->pending]))) != ND_OK)
                return rc;
            f->pending = 0;
            if ((rc = nd_buf_append(f->out, s + run, i - run)) != ND_OK)
                return rc;
        }
        if (i == n)
            break;
        if (f->pending < 1)
            f->pending = 1;
        i += w;
        run = i;
    }
    return ND_OK;
}

static void flow_break(flow *f, int level)
{
    if (f->pending < level)
        f->pending = level;
}

int nd_html_to_text(nd_buf *out, const char *s, size_t len)
{
    nd_buf dec = ND_BUF_INIT;
    flow f;
    size_t i = 0;
    int rc;
    out->len = 0;
    if ((rc = nd_buf_append(out, "", 0)) != ND_OK)
        return rc;
    f.out = out;
    f.pending = 0;
    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        size_t j = lt ? (size_t)(lt - s) : len;
        if (j > i) {
            if ((rc = nd_html_decode_entities(&dec, s + i, j - i)) != ND_OK ||
                (rc = flow_text(&f, dec.ptr, dec.len)) != ND_OK)
                goto done;
        }
        if (j >= len)
            break;
        if (j + 3 < len && memcmp(s + j, "<!--", 4) == 0) {
            const char *end = NULL;
            size_t k;
            for (k = j + 4; k + 2 < len; k++)
                if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>') {
                    end = s + k + 3;
                    break;
                }
            i = end ? (size_t)(end - s) : len;
            continue;
        }
        {
            size_t k = j + 1, ns, ne;
            int closing = 0, cls;
            const char *gt;
            if (k < len && s[k] == '/') {
                closing = 1;
                k++;
            }
            if (k >= len || !(is_alpha(s[k]) || s[k] == '!' || s[k] == '?')) {
                /* a lone '<' is text */
                if ((rc = flow_text(&f, "<", 1)) != ND_OK)
                    goto done;
                i = j + 1;
                continue;
            }
            ns = k;
            while (k < len && (is_alpha(s[k]) || (s[k] >= '0' && s[k] <= '9')))
                k++;
            ne = k;
            gt = memchr(s + k, '>', len - k);
            i = gt ? (size_t)(gt - s) + 1 : len;
            cls = tag_class(s + ns, ne - ns);
            if (cls == TAG_SKIP && !closing && !(gt && gt > s && gt[-1] == '/')) {
                char name[16];
                memcpy(name, s + ns, ne - ns);
                name[ne - ns] = '\0';
                i = find_close(s, len, i, name, ne - ns);
                if (i < len) {
                    gt = memchr(s + i, '>', len - i);
                    i = gt ? (size_t)(gt - s) + 1 : len;
                }
            } else if (cls == TAG_LINE) {
                flow_break(&f, 2);
            } else if (cls == TAG_PARA) {
                flow_break(&f, 3);
            }
        }
    }
done:
    nd_buf_free(&dec);
    return rc;
}
