/*
 * lang_eval.c — how well a language identifier names the language of short
 * public texts (tests/data/lang, see its README for the sources).
 *
 *   build/lang/lang_eval [--engine nd|cld2|textcat] [--split test|dev|all]
 *                        [--data DIR] [--misses]
 *
 * The data directory holds sentences/LANG.txt and pairs/LANG.txt for the
 * languages newsdesk names (one text per line) and other/LANG.txt for
 * languages it does not name (their right answer is "und").  Every line is
 * put in the dev or the test half by a hash of its bytes (FNV-1a, low bit)
 * before anyone looks at results: tune on --split dev, report --split test.
 *
 * Per language it prints: sentences, % right, % wrong (a label that is not
 * the language), % "und", % right of the sentences 40-80 bytes long
 * (headline length), and % right of the two-word phrases.  Then the totals
 * the goal is stated in, and the time per call.
 *
 * Engines: "nd" is nd_lang_detect.  "cld2" and "textcat" are the Debian
 * libraries libcld2 and libexttextcat, built in by `make lang-eval-compare`
 * (ND_EVAL_CLD2 / ND_EVAL_TEXTCAT); a label outside the languages newsdesk
 * names counts as "und", as it would behind nd_lang_detect.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsdesk.h"

#ifdef ND_EVAL_TEXTCAT
#include <libexttextcat/textcat.h>
#endif

#ifdef ND_EVAL_CLD2
const char *nd_eval_cld2(const char *s, size_t len);   /* lang_eval_cld2.cc */
#endif

static const char *const listed[] = {
    "tr", "en", "de", "ru", "uk", "bg", "fr", "es", "it", "pt", "nl", "az", "ar", "fa",
};
#define NLISTED (sizeof listed / sizeof listed[0])

static const char *const others[] = { "be", "mk", "pl", "cs", "ro", "sv", "id" };
#define NOTHERS (sizeof others / sizeof others[0])

typedef const char *(*detect_fn)(const char *s, size_t len);

/* ---- engines ------------------------------------------------------------ */

#if defined ND_EVAL_CLD2 || defined ND_EVAL_TEXTCAT
static int is_listed(const char *code)
{
    size_t k;
    for (k = 0; k < NLISTED; k++)
        if (strcmp(code, listed[k]) == 0)
            return 1;
    return 0;
}
#endif

static const char *engine_nd(const char *s, size_t len)
{
    return nd_lang_detect(s, len);
}

#ifdef ND_EVAL_CLD2
static const char *engine_cld2(const char *s, size_t len)
{
    const char *c = nd_eval_cld2(s, len);
    return is_listed(c) ? c : "und";
}
#endif

#ifdef ND_EVAL_TEXTCAT
static void *textcat_handle;

/* textcat answers "[ru--utf8][uk--utf8]..." best first, or UNKNOWN/SHORT.
 * One candidate is an answer; several mean it could not tell. */
static const char *engine_textcat(const char *s, size_t len)
{
    static char code[16];
    const char *r = textcat_Classify(textcat_handle, s, len);
    size_t n = 0;
    if (!r || r[0] != '[' || strchr(r + 1, '['))
        return "und";
    while (r[1 + n] && r[1 + n] != '-' && r[1 + n] != ']' && n + 1 < sizeof code) {
        code[n] = r[1 + n];
        n++;
    }
    code[n] = '\0';
    return is_listed(code) ? code : "und";
}
#endif

/* ---- data --------------------------------------------------------------- */

typedef struct lines {
    char *buf;       /* the file, lines NUL-terminated in place */
    char **line;
    size_t n;
} lines;

/* Lines of path in the chosen split (0 test, 1 dev, 2 all); n = 0 when the
 * file does not exist. */
static int read_lines(const char *path, int split, lines *out)
{
    FILE *f = fopen(path, "rb");
    long size;
    size_t i, start = 0, cap = 64;
    memset(out, 0, sizeof *out);
    if (!f)
        return 0;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    out->buf = malloc((size_t)size + 1);
    out->line = malloc(cap * sizeof *out->line);
    if (!out->buf || !out->line || fread(out->buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        return -1;
    }
    fclose(f);
    out->buf[size] = '\n';
    for (i = 0; i <= (size_t)size; i++) {
        uint32_t h = 2166136261u;
        size_t j;
        if (out->buf[i] != '\n')
            continue;
        out->buf[i] = '\0';
        for (j = start; j < i; j++)
            h = (h ^ (unsigned char)out->buf[j]) * 16777619u;
        if (i > start && (split == 2 || (int)(h & 1) == split)) {
            if (out->n == cap) {
                char **g = realloc(out->line, (cap *= 2) * sizeof *g);
                if (!g)
                    return -1;
                out->line = g;
            }
            out->line[out->n++] = out->buf + start;
        }
        start = i + 1;
    }
    return 0;
}

static void free_lines(lines *l)
{
    free(l->buf);
    free(l->line);
}

/* ---- scoring ------------------------------------------------------------ */

typedef struct tally {
    size_t n, right, wrong, und;
    size_t head_n, head_right;       /* 40..80 bytes */
} tally;

static double pct(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static double calls;     /* detections run, for the time per call */

static void score(detect_fn detect, const lines *l, const char *want, tally *t, int misses,
                  const char *what)
{
    size_t i;
    memset(t, 0, sizeof *t);
    for (i = 0; i < l->n; i++) {
        size_t len = strlen(l->line[i]);
        const char *got = detect(l->line[i], len);
        int head = len >= 40 && len <= 80;
        calls++;
        t->n++;
        t->head_n += head;
        if (strcmp(got, want) == 0) {
            t->right++;
            t->head_right += head;
        } else if (strcmp(got, "und") == 0) {
            t->und++;
        } else {
            t->wrong++;
        }
        if (misses && strcmp(got, want) != 0)
            printf("  miss %s %s: got %s: %s\n", what, want, got, l->line[i]);
    }
}

int main(int argc, char **argv)
{
    const char *engine = "nd", *data = "tests/data/lang", *split_name = "test";
    int split = 0, misses = 0, a;
    detect_fn detect = engine_nd;
    size_t k;
    tally all_s = { 0 }, all_o = { 0 };
    double pairs_sum = 0, min_sent = 101;
    size_t pairs_langs = 0, pairs_n = 0, pairs_wrong = 0;
    clock_t t0;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--engine") == 0 && a + 1 < argc)
            engine = argv[++a];
        else if (strcmp(argv[a], "--split") == 0 && a + 1 < argc)
            split_name = argv[++a];
        else if (strcmp(argv[a], "--data") == 0 && a + 1 < argc)
            data = argv[++a];
        else if (strcmp(argv[a], "--misses") == 0)
            misses = 1;
        else {
            fprintf(stderr, "usage: %s [--engine nd|cld2|textcat] [--split test|dev|all] "
                            "[--data DIR] [--misses]\n", argv[0]);
            return 2;
        }
    }
    if (strcmp(split_name, "test") == 0)
        split = 0;
    else if (strcmp(split_name, "dev") == 0)
        split = 1;
    else if (strcmp(split_name, "all") == 0)
        split = 2;
    else {
        fprintf(stderr, "%s: --split must be test, dev or all\n", argv[0]);
        return 2;
    }
    if (strcmp(engine, "nd") == 0) {
        detect = engine_nd;
#ifdef ND_EVAL_CLD2
    } else if (strcmp(engine, "cld2") == 0) {
        detect = engine_cld2;
#endif
#ifdef ND_EVAL_TEXTCAT
    } else if (strcmp(engine, "textcat") == 0) {
        textcat_handle = special_textcat_Init("/usr/share/libexttextcat/fpdb.conf",
                                              "/usr/share/libexttextcat/");
        if (!textcat_handle) {
            fprintf(stderr, "%s: cannot load /usr/share/libexttextcat/fpdb.conf\n", argv[0]);
            return 1;
        }
        detect = engine_textcat;
#endif
    } else {
        fprintf(stderr, "%s: engine %s is not built in (make lang-eval-compare)\n", argv[0], engine);
        return 2;
    }

    printf("engine %s, %s split of %s\n\n", engine, split_name, data);
    printf("| lang | sentences | right | wrong | und | 40-80 bytes right | pairs | pairs right |\n");
    printf("|------|----------:|------:|------:|----:|------------------:|------:|------------:|\n");
    t0 = clock();
    for (k = 0; k < NLISTED; k++) {
        char path[4096];
        lines s, p;
        tally ts, tp;
        snprintf(path, sizeof path, "%s/sentences/%s.txt", data, listed[k]);
        if (read_lines(path, split, &s) != 0) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], path);
            return 1;
        }
        snprintf(path, sizeof path, "%s/pairs/%s.txt", data, listed[k]);
        if (read_lines(path, split, &p) != 0) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], path);
            return 1;
        }
        score(detect, &s, listed[k], &ts, misses, "sentence");
        score(detect, &p, listed[k], &tp, misses, "pair");
        printf("| %s | %zu | %.1f%% | %.1f%% | %.1f%% | %.1f%% of %zu | %zu | %.1f%% |\n",
               listed[k], ts.n, pct(ts.right, ts.n), pct(ts.wrong, ts.n), pct(ts.und, ts.n),
               pct(ts.head_right, ts.head_n), ts.head_n, tp.n, pct(tp.right, tp.n));
        all_s.n += ts.n;
        all_s.right += ts.right;
        all_s.wrong += ts.wrong;
        all_s.und += ts.und;
        all_s.head_n += ts.head_n;
        all_s.head_right += ts.head_right;
        if (ts.n && pct(ts.right, ts.n) < min_sent)
            min_sent = pct(ts.right, ts.n);
        if (tp.n) {
            pairs_sum += pct(tp.right, tp.n);
            pairs_langs++;
            pairs_n += tp.n;
            pairs_wrong += tp.wrong;
        }
        free_lines(&s);
        free_lines(&p);
    }
    printf("\nLanguages newsdesk does not name (right answer \"und\"):\n\n");
    printf("| lang | sentences | und | wrong |\n|------|----------:|----:|------:|\n");
    for (k = 0; k < NOTHERS; k++) {
        char path[4096];
        lines o;
        tally to;
        snprintf(path, sizeof path, "%s/other/%s.txt", data, others[k]);
        if (read_lines(path, split, &o) != 0) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], path);
            return 1;
        }
        score(detect, &o, "und", &to, misses, "other");
        printf("| %s | %zu | %.1f%% | %.1f%% |\n", others[k], to.n, pct(to.right, to.n),
               pct(to.n - to.right, to.n));
        all_o.n += to.n;
        all_o.right += to.right;
        free_lines(&o);
    }
    printf("\nSentences in the 14 languages: %zu, right %.1f%% (lowest language %.1f%%), "
           "wrong %.1f%%, und %.1f%%; 40-80 bytes right %.1f%% of %zu.\n",
           all_s.n, pct(all_s.right, all_s.n), min_sent, pct(all_s.wrong, all_s.n),
           pct(all_s.und, all_s.n), pct(all_s.head_right, all_s.head_n), all_s.head_n);
    printf("Two-word phrases right, average over languages: %.1f%%; wrong %.1f%% of %zu.\n",
           pairs_langs ? pairs_sum / (double)pairs_langs : 0.0, pct(pairs_wrong, pairs_n), pairs_n);
    printf("Other languages: %zu sentences, und %.1f%%, wrong label %.1f%%.\n", all_o.n,
           pct(all_o.right, all_o.n), pct(all_o.n - all_o.right, all_o.n));
    printf("Time: %.2f us per call (%.0f calls, one core, short texts).\n",
           calls ? 1e6 * (double)(clock() - t0) / CLOCKS_PER_SEC / calls : 0.0, calls);
#ifdef ND_EVAL_TEXTCAT
    if (textcat_handle)
        textcat_Done(textcat_handle);
#endif
    return 0;
}
