/*
 * bench_text.c — speed of the text layer beside utf8proc on the same data
 * in the same process: validation, NFC of already-NFC text (quick check and
 * full copy), NFC of mixed text, and the fold.  The corpus (corpus.h) is
 * about 100 MB of news-like text (ND_BENCH_MB overrides), processed one
 * article at a time as the library does in use.  Prints MB/s and ratios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "corpus.h"
#include "newsdesk.h"

typedef struct chunks {
    const char *base;
    size_t *off;    /* article i is [off[i], off[i+1]) */
    size_t n;
} chunks;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Cut text at the article separators. */
static chunks split(const nd_buf *b)
{
    chunks c = { b->ptr, NULL, 0 };
    size_t cap = 1024, i = 0;
    c.off = malloc(cap * sizeof *c.off);
    c.off[c.n++] = 0;
    while (c.off && i < b->len) {
        const char *p = b->ptr + i, *end = b->ptr + b->len;
        while ((p = memchr(p, '\n', (size_t)(end - p))) && (end - p < 3 || p[1] != '\n' || p[2] != '\n'))
            p++;
        i = p ? (size_t)(p - b->ptr) + 3 : b->len;
        if (c.n + 1 >= cap)
            c.off = realloc(c.off, (cap *= 2) * sizeof *c.off);
        c.off[c.n++] = i;
    }
    c.n--;
    return c;
}

static volatile size_t sink;

enum { OP_CHECK, OP_ITERATE, OP_ISNFC, OP_NFC, OP_MAP_NFC, OP_FOLD, OP_FOLD_MAP, OP_MAP_FOLD };

/* Run op over every article; returns seconds. */
static double run(const chunks *c, int op)
{
    nd_buf out = ND_BUF_INIT;
    nd_offmap *map = nd_offmap_new();
    double t0 = now();
    size_t i, acc = 0;
    for (i = 0; i < c->n; i++) {
        const char *s = c->base + c->off[i];
        size_t len = c->off[i + 1] - c->off[i];
        utf8proc_uint8_t *dst = NULL;
        utf8proc_ssize_t r, k;
        utf8proc_int32_t cp;
        switch (op) {
        case OP_CHECK: acc += (size_t)nd_utf8_check(s, len, NULL); break;
        case OP_ITERATE:
            for (k = 0; k < (utf8proc_ssize_t)len; k += r) {
                r = utf8proc_iterate((const utf8proc_uint8_t *)s + k, (utf8proc_ssize_t)len - k, &cp);
                if (r < 0)
                    break;
            }
            acc += (size_t)k;
            break;
        case OP_ISNFC: acc += (size_t)nd_text_is_normalized(s, len, ND_NFC); break;
        case OP_NFC: nd_text_normalize(&out, s, len, ND_NFC); acc += out.len; break;
        case OP_FOLD: nd_text_fold(&out, s, len, 0, NULL); acc += out.len; break;
        case OP_FOLD_MAP: nd_text_fold(&out, s, len, 0, map); acc += out.len; break;
        case OP_MAP_NFC:
        case OP_MAP_FOLD:
            r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst,
                             op == OP_MAP_NFC ? UTF8PROC_STABLE | UTF8PROC_COMPOSE
                                              : UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                    UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
            acc += (size_t)r;
            free(dst);
            break;
        }
    }
    sink = acc;
    nd_buf_free(&out);
    nd_offmap_free(map);
    return now() - t0;
}

/* Best of `reps` runs, in MB/s of input. */
static double rate(const chunks *c, int op, int reps, size_t bytes)
{
    double best = 1e30;
    int k;
    for (k = 0; k < reps; k++) {
        double t = run(c, op);
        if (t < best)
            best = t;
    }
    return (double)bytes / 1e6 / best;
}

static void line(const char *what, double ours, double theirs, const char *baseline)
{
    if (theirs > 0)
        printf("%-34s %9.0f MB/s   %-28s %7.1f MB/s   x%.1f\n", what, ours, baseline, theirs, ours / theirs);
    else
        printf("%-34s %9.0f MB/s\n", what, ours);
}

int main(void)
{
    const char *env = getenv("ND_BENCH_MB");
    size_t mb = env && atoi(env) > 0 ? (size_t)atoi(env) : 100;
    nd_buf corpus = ND_BUF_INIT, nfc = ND_BUF_INIT;
    chunks raw, pure;
    double t0 = now(), gen;
    size_t narticles = nd_bench_corpus(&corpus, mb * 1000000, 20241104);
    gen = now() - t0;
    nd_text_normalize(&nfc, corpus.ptr, corpus.len, ND_NFC);
    raw = split(&corpus);
    pure = split(&nfc);
    printf("corpus: %.1f MB, %zu articles (generated in %.2f s); NFC copy %.1f MB; utf8proc %s\n",
           (double)corpus.len / 1e6, narticles, gen, (double)nfc.len / 1e6, utf8proc_version());
    if (!raw.off || !pure.off)
        return 1;
    line("validate (nd_utf8_check)", rate(&raw, OP_CHECK, 3, corpus.len), rate(&raw, OP_ITERATE, 1, corpus.len),
         "utf8proc_iterate loop");
    line("NFC quick check, already NFC", rate(&pure, OP_ISNFC, 3, nfc.len), rate(&pure, OP_MAP_NFC, 1, nfc.len),
         "utf8proc_map COMPOSE");
    line("NFC normalize, already NFC (copy)", rate(&pure, OP_NFC, 3, nfc.len), 0, "");
    line("NFC normalize, mixed corpus", rate(&raw, OP_NFC, 2, corpus.len), rate(&raw, OP_MAP_NFC, 1, corpus.len),
         "utf8proc_map COMPOSE");
    line("fold", rate(&raw, OP_FOLD, 3, corpus.len), rate(&raw, OP_MAP_FOLD, 1, corpus.len),
         "utf8proc_map NFKC_CF+STRIPMARK");
    line("fold with offset map", rate(&raw, OP_FOLD_MAP, 3, corpus.len), 0, "");
    free(raw.off);
    free(pure.off);
    nd_buf_free(&corpus);
    nd_buf_free(&nfc);
    return 0;
}
