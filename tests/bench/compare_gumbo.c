/*
 * compare_gumbo.c — the measurement behind keeping the hand-written HTML
 * converter: libgumbo (Debian libgumbo-dev, an HTML5 parser) against
 * nd_html_to_text on the input of bench_ingest's "HTML to text" line, for
 * speed, and on the text-state cases of tests/data/html5lib/charrefs.jsonl,
 * for character references.  Run by `make bench-gumbo` (not part of the
 * default build: libgumbo is no dependency of newsdesk).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gumbo.h>
#include <jansson.h>

#include "newsdesk.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Text of the tree under n, script and style left out, a blank line after
 * each paragraph: what nd_html_to_text gives, for the speed comparison. */
static void gumbo_text(const GumboNode *n, nd_buf *o)
{
    const GumboVector *c;
    unsigned i;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE) {
        nd_buf_append(o, n->v.text.text, strlen(n->v.text.text));
        return;
    }
    if (n->type == GUMBO_NODE_ELEMENT &&
        (n->v.element.tag == GUMBO_TAG_SCRIPT || n->v.element.tag == GUMBO_TAG_STYLE))
        return;
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT)
        return;
    c = n->type == GUMBO_NODE_ELEMENT ? &n->v.element.children : &n->v.document.children;
    for (i = 0; i < c->length; i++)
        gumbo_text(c->data[i], o);
    if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_P)
        nd_buf_append(o, "\n\n", 2);
}

static const char *const words[] = {
    "kuzey", "güney", "kore", "rusya", "bakanı", "açıklamada", "savunma", "ekonomi",
    "seçim", "belediye", "hükümet", "meclis", "ticaret", "anlaşma", "ülke", "şehir",
    "liman", "fırtına", "enerji", "fiyatları", "piyasa", "İstanbul'da", "Ankara'nın",
};

int main(int argc, char **argv)
{
    nd_buf html = ND_BUF_INIT, out = ND_BUF_INIT, doc = ND_BUF_INIT;
    unsigned seed = 42;
    int k, i, n = 0, right_nd = 0, right_gumbo = 0;
    double t;
    char line[512];
    FILE *f;
    for (k = 0; k < 400; k++) {
        const char *tail = "&nbsp;&ccedil;</p>\n<script>x()</script>";
        nd_buf_append(&html, "<p>", 3);
        for (i = 0; i < 330; i++) {
            const char *w;
            seed = seed * 1103515245u + 12345u;
            w = words[(seed >> 16) % (sizeof words / sizeof words[0])];
            nd_buf_append(&html, w, strlen(w));
            nd_buf_append(&html, i % 30 == 29 ? ".\n\n" : " ", i % 30 == 29 ? 3 : 1);
        }
        nd_buf_append(&html, tail, strlen(tail));
    }
    t = now();
    for (k = 0; k < 10; k++)
        nd_html_to_text(&out, html.ptr, html.len);
    t = now() - t;
    printf("nd_html_to_text            %6.1f MB/s  (%zu bytes x 10)\n", (double)html.len * 10 / 1e6 / t, html.len);
    t = now();
    for (k = 0; k < 10; k++) {
        GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, html.ptr, html.len);
        out.len = 0;
        gumbo_text(g->root, &out);
        gumbo_destroy_output(&kGumboDefaultOptions, g);
    }
    t = now() - t;
    printf("libgumbo parse + text walk %6.1f MB/s\n", (double)html.len * 10 / 1e6 / t);

    if (argc < 2 || !(f = fopen(argv[1], "r"))) {
        fprintf(stderr, "usage: %s tests/data/html5lib/charrefs.jsonl\n", argv[0]);
        return 1;
    }
    while (fgets(line, sizeof line, f)) {
        json_t *j = json_loads(line, 0, NULL);
        const char *in = json_string_value(json_object_get(j, "in"));
        const char *want = json_string_value(json_object_get(j, "out"));
        if (!in || !want || json_integer_value(json_object_get(j, "attr"))) {
            json_decref(j);
            continue;       /* text-state cases only: gumbo gives text nodes */
        }
        doc.len = 0;
        nd_buf_append(&doc, "<body>", 6);
        nd_buf_append(&doc, in, strlen(in));
        {
            GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, doc.ptr, doc.len);
            out.len = 0;
            nd_buf_append(&out, "", 0);
            gumbo_text(g->root, &out);
            right_gumbo += out.len == strlen(want) && memcmp(out.ptr, want, out.len) == 0;
            gumbo_destroy_output(&kGumboDefaultOptions, g);
        }
        nd_html_decode_entities(&out, in, strlen(in));
        right_nd += out.len == strlen(want) && memcmp(out.ptr, want, out.len) == 0;
        n++;
        json_decref(j);
    }
    fclose(f);
    printf("html5lib text-state reference cases right: nd_html_decode_entities %d of %d, libgumbo %d of %d\n",
           right_nd, n, right_gumbo, n);
    nd_buf_free(&html);
    nd_buf_free(&out);
    nd_buf_free(&doc);
    return 0;
}
