/*
 * bench_discover.c — name discovery (nd_discover) in MB/s on the benchmark
 * corpus (corpus.h), article by article, beside the rule scanner with a
 * small gazetteer (nd_rules_scan, the baseline the reports already use):
 * the ratio says what discovery adds to tagging.  The Turkish Hunspell
 * dictionary is used when Debian's hunspell-tr is installed.
 *   ND_BENCH_MB=N (default 8) sets the corpus size.
 */
#include <stdlib.h>
#include <time.h>

#include "corpus.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds to run over every article of the corpus (split at "\n\n\n"). */
static double over_articles(const nd_buf *c, nd_discover *d, const nd_rules *r, nd_scan *sc, size_t *found)
{
    const char *p = c->ptr, *end = c->ptr + c->len;
    double t0 = now();
    *found = 0;
    while (p < end) {
        const char *q = strstr(p, "\n\n\n");
        size_t len = q ? (size_t)(q - p) : (size_t)(end - p), n = 0;
        const nd_found *f;
        if (d && nd_discover_run(d, p, len, &f, &n) != ND_OK) exit(1);
        if (r) {
            if (nd_rules_scan(r, sc, p, len, 0) != ND_OK) exit(1);
            n = nd_scan_count(sc);
        }
        *found += n;
        p = q ? q + 3 : end;
    }
    return now() - t0;
}

int main(void)
{
    static const char *const known[] = { "Türkiye", "Rusya", "Ankara", "İstanbul", "Berlin", "Moskova" };
    const char *env = getenv("ND_BENCH_MB");
    size_t mb = env && atoi(env) > 0 ? (size_t)atoi(env) : 8, i, nd = 0, nr = 0;
    nd_buf corpus = ND_BUF_INIT;
    nd_discover *d = NULL;
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    nd_rule_def def = { "places", "LOC", NULL, 0, 0, ND_RULE_SUFFIXES_TR, NULL };
    unsigned ri, e;
    double td = 1e30, tr = 1e30;
    int k, dict;
    size_t articles = nd_bench_corpus(&corpus, mb << 20, 42);
    if (nd_discover_new(&d, ND_DISCOVER_TR | ND_DISCOVER_APOS) != ND_OK || nd_rules_new(&r) != ND_OK ||
        nd_scan_new(&sc) != ND_OK || nd_rules_add_rule(r, &def, &ri) != ND_OK)
        return 1;
    for (i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (nd_discover_add(d, ND_CUE_KNOWN, "LOC", known[i], strlen(known[i])) != ND_OK ||
            nd_rules_add_entry(r, ri, NULL, NULL, &e) != ND_OK || nd_rules_add_name(r, e, known[i], strlen(known[i])) != ND_OK)
            return 1;
    }
    dict = nd_discover_dictionary(d, "/usr/share/hunspell/tr_TR.aff", "/usr/share/hunspell/tr_TR.dic", "tr") == ND_OK;
    for (k = 0; k < 3; k++) {
        double t = over_articles(&corpus, d, NULL, NULL, &nd);
        if (t < td) td = t;
        t = over_articles(&corpus, NULL, r, sc, &nr);
        if (t < tr) tr = t;
    }
    printf("corpus: %.1f MB, %zu articles; Hunspell tr dictionary: %s\n", (double)corpus.len / 1e6, articles,
           dict ? "yes" : "no");
    printf("%-34s %9.1f MB/s   %-28s %7.1f MB/s   x%.2f\n", "discover (names found)", (double)corpus.len / 1e6 / td,
           "rules scan, 6 names", (double)corpus.len / 1e6 / tr, tr / td);
    printf("names discovered: %zu, rule mentions: %zu\n", nd, nr);
    nd_scan_free(sc);
    nd_rules_free(r);
    nd_discover_free(d);
    nd_buf_free(&corpus);
    return 0;
}
