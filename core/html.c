/*
 * html.c — HTML fragments (RSS descriptions, scraped bodies) to plain text,
 * and character references.  Not a full HTML parser: enough for the markup
 * news feeds carry.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest_internal.h"

/* ---- character references --------------------------------------------- */

/* html_named[] (sorted by name, bytewise) and html_c1_remap[], generated at
 * build time from the WHATWG list by core/textgen/gen_entities.py. */
#include "html_entities.h"

/* The entry named exactly s[0..n), or NULL. */
static const char *named_lookup(const char *s, size_t n)
{
    size_t lo = 0, hi = ND_HTML_NAMED_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *name = html_named[mid].name;
        int c = strncmp(name, s, n);
        if (c == 0 && name[n] != '\0')
            c = 1;
        if (c == 0)
            return html_named[mid].utf8;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int is_alnum_ascii(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* UTF-8 encoding of code point c into out[4]. */
static size_t utf8_encode(unsigned long c, char *out)
{
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

/* The character reference starting at s[0] == '&', as the HTML standard's
 * tokenizer reads it: its text in *rep (static, or rbuf[8]) and the bytes
 * it spans, or 0 when the '&' is plain text.  attr: inside an attribute
 * value, where a legacy name without ';' followed by '=' or a letter or
 * digit stays as written. */
static size_t charref_at(const char *s, size_t len, int attr, const char **rep, size_t *replen,
                         char *rbuf)
{
    size_t i, run;
    if (len < 2)
        return 0;
    if (s[1] == '#') {
        unsigned long c = 0;
        int hex = 0;
        size_t d0;
        i = 2;
        if (i < len && (s[i] == 'x' || s[i] == 'X')) {
            hex = 1;
            i++;
        }
        for (d0 = i; i < len; i++) {
            char ch = s[i];
            unsigned v;
            if (ch >= '0' && ch <= '9') v = (unsigned)(ch - '0');
            else if (hex && ch >= 'a' && ch <= 'f') v = (unsigned)(ch - 'a' + 10);
            else if (hex && ch >= 'A' && ch <= 'F') v = (unsigned)(ch - 'A' + 10);
            else break;
            if (c <= 0x10FFFF)       /* saturate: any larger value is out of range */
                c = c * (hex ? 16 : 10) + v;
        }
        if (i == d0)
            return 0;                /* "&#" or "&#x" with no digits: text */
        if (i < len && s[i] == ';')
            i++;
        if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            c = 0xFFFD;
        else if (c >= 0x80 && c <= 0x9F && html_c1_remap[c - 0x80])
            c = html_c1_remap[c - 0x80];
        *rep = rbuf;
        *replen = utf8_encode(c, rbuf);
        return i;
    }
    for (run = 0; 1 + run < len && run <= ND_HTML_NAME_MAX && is_alnum_ascii(s[1 + run]); run++)
        ;
    if (run == 0)
        return 0;
    /* a name ending in ';' can only be the whole run and its ';' */
    if (1 + run < len && s[1 + run] == ';' && run + 1 <= ND_HTML_NAME_MAX &&
        (*rep = named_lookup(s + 1, run + 1)) != NULL) {
        *replen = strlen(*rep);
        return run + 2;
    }
    /* else the longest legacy name (valid without ';') the run starts with */
    for (i = run < ND_HTML_LEGACY_MAX ? run : ND_HTML_LEGACY_MAX; i >= 2; i--) {
        if ((*rep = named_lookup(s + 1, i)) == NULL)
            continue;
        if (attr && 1 + i < len && (s[1 + i] == '=' || is_alnum_ascii(s[1 + i])))
            return 0;
        *replen = strlen(*rep);
        return i + 1;
    }
    return 0;
}

int nd__html_decode_refs(nd_buf *out, const char *s, size_t len, int attr)
{
    size_t i = 0, run = 0;
    int rc = ND_OK;
    out->len = 0;
    if ((rc = nd_buf_reserve(out, len)) != ND_OK)
        return rc;
    while (i < len) {
        char rbuf[8];
        const char *rep = NULL;
        size_t rl = 0, n;
        const char *amp = memchr(s + i, '&', len - i);
        if (!amp)
            break;
        i = (size_t)(amp - s);
        n = charref_at(s + i, len - i, attr, &rep, &rl, rbuf);
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

int nd_html_decode_entities(nd_buf *out, const char *s, size_t len)
{
    return nd__html_decode_refs(out, s, len, 0);
}

/* ---- tags ------------------------------------------------------------- */

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower_ascii(char c)
{
    return (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Elements whose tags mark text as HTML (sorted).  A '<' before any other
 * word is text: "a <b c" is not markup, "x<y>z" in a plain sentence neither. */
static const char *const html_elements[] = {
    "a", "abbr", "address", "article", "aside", "audio", "b", "blockquote", "body", "br",
    "button", "caption", "center", "cite", "code", "dd", "div", "dl", "dt", "em", "embed",
    "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "head", "header", "hr", "html", "i", "iframe", "img", "input", "label", "li", "link",
    "main", "meta", "nav", "noscript", "object", "ol", "option", "p", "picture", "pre",
    "script", "section", "small", "source", "span", "strong", "style", "sub", "sup", "svg",
    "table", "tbody", "td", "template", "th", "thead", "time", "title", "tr", "u", "ul",
    "video", "wbr",
};

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(a, *(const char *const *)b);
}

int nd_html_has_tags(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        const char *q = p + 1;
        char name[12];
        size_t n = 0;
        p++;
        if (q < end && *q == '!') {
            if ((end - q >= 3 && q[1] == '-' && q[2] == '-') ||
                (end - q >= 8 && strncasecmp(q + 1, "doctype", 7) == 0))
                return 1;
            continue;
        }
        if (q < end && *q == '/')
            q++;
        while (q < end && n + 1 < sizeof name && is_alnum_ascii(*q))
            name[n++] = lower_ascii(*q++);
        name[n] = '\0';
        if (n == 0 || q >= end || !(*q == '>' || *q == '/' || is_space(*q)))
            continue;
        if (bsearch(name, html_elements, ND_ARRAY_LEN(html_elements), sizeof html_elements[0], cmp_cstr) &&
            memchr(q, '>', (size_t)(end - q)))
            return 1;
    }
    return 0;
}

/* What a tag does to the text flow. */
enum { TAG_INLINE, TAG_LINE, TAG_PARA, TAG_SKIP };

static int tag_class(const char *name, size_t n)
{
    /* dropped with their content: code, fallback content, and figure
     * captions (a caption is not the story; it stays in the raw page) */
    static const char *const skip[] = { "script", "style", "noscript", "template", "head", "svg",
                                        "iframe", "object", "figcaption", "textarea", "select" };
    static const char *const line[] = { "br", "li", "tr", "dt", "dd", "td", "th", "option" };
    static const char *const para[] = {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
        "blockquote", "section", "article", "header", "footer", "aside", "nav",
        "figure", "pre", "hr", "main", "address", "form", "title", "body", "html"
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

/* The '>' closing the tag whose attributes start at s[k] (quoted
 * attribute values may hold '>'), or NULL. */
static const char *tag_end(const char *s, size_t len, size_t k)
{
    size_t k0 = k;
    char quote = 0;
    for (; k < len; k++) {
        char c = s[k];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '>') {
            return s + k;
        } else if ((c == '"' || c == '\'') && k > 0 && (s[k - 1] == '=' || is_space(s[k - 1]))) {
            quote = c;
        }
    }
    /* an unclosed quote: the first '>' ends the tag after all */
    return quote ? memchr(s + k0, '>', len - k0) : NULL;
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
            gt = tag_end(s, len, k);
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
