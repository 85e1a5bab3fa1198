/*
 * bench_rules.c — speed of the entity matcher beside grep.
 *
 * Generates a news-like corpus (Turkish, English and German words with
 * diacritics, curly apostrophes and suffixes) and gazetteers of 10,000 and
 * 100,000 person names, then reports for each: compile time, table memory,
 * peak RSS, and MB/s of nd_rules_scan over the corpus in article-sized
 * pieces, beside `LC_ALL=C grep -F -o -i -f names.txt` over the same text
 * (grep does less: no folding, no suffixes).  Times are CPU seconds
 * (this process; grep and wc as finished children) because the machine is
 * shared.
 *   BENCH_MB=8 BENCH_NAMES=100000 build/bench/bench_rules
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "newsdesk.h"

#define ND_ARRAY_LEN_(a) (sizeof(a) / sizeof((a)[0]))

/* CPU seconds of this process (the machine is shared: wall time lies). */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of finished children (grep). */
static double child_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static unsigned long long rng = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static const char *const words[] = {
    "ve", "bir", "bu", "için", "ile", "olarak", "açıklama", "yaptı", "görüşme", "dışişleri",
    "bakanı", "ülke", "güvenlik", "savunma", "işbirliği", "hükümet", "başkan", "seçim", "ekonomi",
    "toplantı", "anlaşma", "müzakere", "yardım", "silah", "asker", "sınır", "barış", "savaş",
    "the", "of", "and", "to", "in", "said", "minister", "talks", "government", "security",
    "president", "agreement", "meeting", "foreign", "officials", "statement", "week",
    "der", "die", "und", "mit", "über", "Außenministerin", "Gespräche", "Regierung", "Woche",
    "İstanbul'da", "Türkiye’nin", "Çarşamba", "Şubat", "ığdır", "öğle", "güneş",
    "2024", "15", "3,5", "yüzde", "milyon", "NATO", "AB", "BM",
};

static const char *const syl[] = {
    "ka", "lo", "mi", "ter", "son", "al", "ber", "dan", "ri", "ko", "va", "len", "tur", "ni",
    "ma", "sel", "ro", "de", "fi", "gan", "hu", "jo", "ke", "lu", "mer", "no", "pa", "qui",
    "sa", "ti", "ur", "vi", "wa", "xe", "ya", "zo", "bra", "cle", "dro", "fla", "gri", "plo",
    "ş", "ç", "ğu", "ö", "ü", "ı",
};

/* A name of 2 or 3 capitalized words of 2-3 syllables each. */
static void make_name(char *out, size_t cap)
{
    size_t n = 0, w, nw = 2 + rnd(2);
    for (w = 0; w < nw; w++) {
        size_t s, ns = 2 + rnd(2), start = n;
        if (w) out[n++] = ' ';
        start = n;
        for (s = 0; s < ns && n + 8 < cap; s++) {
            const char *p = syl[rnd(ND_ARRAY_LEN_(syl))];
            size_t l = strlen(p);
            memcpy(out + n, p, l);
            n += l;
        }
        if (out[start] >= 'a' && out[start] <= 'z') out[start] = (char)(out[start] - 32);
    }
    out[n] = '\0';
}


static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(void)
{
    size_t target = (size_t)(getenv("BENCH_MB") ? atof(getenv("BENCH_MB")) : 8.0) * 1000000;
    static const size_t sizes[] = { 10000, 100000 };
    char **names;
    nd_buf text = ND_BUF_INIT;
    size_t i, k, nwords = 0;
    char tdir[] = "/tmp/nd_bench_rulesXXXXXX";
    char tpath[128], npath[128], cmd[512];
    FILE *f;

    names = malloc(100000 * sizeof *names);
    for (i = 0; i < 100000; i++) {
        char b[128];
        make_name(b, sizeof b);
        names[i] = strdup(b);
    }
    /* corpus: lines of ~40 words; a name (from the first 10,000, so both
     * gazetteers find it) every ~60 words, sometimes with a suffix */
    while (text.len < target) {
        if (rnd(60) == 0) {
            const char *nm = names[rnd(10000)];
            static const char *const suf[] = { "", "", "'nin", "’e", "'da", "" };
            const char *sf = suf[rnd(6)];
            nd_buf_append(&text, nm, strlen(nm));
            nd_buf_append(&text, sf, strlen(sf));
        } else {
            const char *w = words[rnd(ND_ARRAY_LEN_(words))];
            nd_buf_append(&text, w, strlen(w));
        }
        nwords++;
        nd_buf_append(&text, nwords % 40 == 0 ? ".\n" : " ", nwords % 40 == 0 ? 2 : 1);
    }
    if (!mkdtemp(tdir)) return 1;
    snprintf(tpath, sizeof tpath, "%s/text.txt", tdir);
    snprintf(npath, sizeof npath, "%s/names.txt", tdir);
    f = fopen(tpath, "wb");
    fwrite(text.ptr, 1, text.len, f);
    fclose(f);
    printf("corpus: %.1f MB generated (tr/en/de words, names with suffixes)\n", (double)text.len / 1e6);

    for (k = 0; k < ND_ARRAY_LEN_(sizes); k++) {
        size_t n = sizes[k], found = 0, off;
        if (getenv("BENCH_NAMES") && (size_t)atol(getenv("BENCH_NAMES")) != n) continue;
        nd_rules *r = NULL;
        nd_scan *sc = NULL;
        nd_rule_def d = { "bench", "PERSON", NULL, 0, 0, 0, NULL };
        unsigned ri, e;
        double t0, tc, ts, tg;
        long grep_matches = -1;
        char line[64];
        FILE *p;

        t0 = now();
        nd_rules_new(&r);
        nd_rules_add_rule(r, &d, &ri);
        for (i = 0; i < n; i++) {
            nd_rules_add_entry(r, ri, NULL, NULL, &e);
            nd_rules_add_name(r, e, names[i], strlen(names[i]));
        }
        tc = now() - t0;
        nd_scan_new(&sc);
        t0 = now();
        for (off = 0; off < text.len;) {            /* article-sized pieces, cut at a line end */
            size_t end = off + 4000 < text.len ? off + 4000 : text.len;
            while (end < text.len && text.ptr[end - 1] != '\n') end++;
            nd_rules_scan(r, sc, text.ptr + off, end - off, 0);
            found += nd_scan_count(sc);
            off = end;
        }
        ts = now() - t0;

        f = fopen(npath, "wb");
        for (i = 0; i < n; i++) fprintf(f, "%s\n", names[i]);
        fclose(f);
        snprintf(cmd, sizeof cmd, "LC_ALL=C grep -F -o -i -f %s %s | wc -l", npath, tpath);
        t0 = child_cpu();
        p = popen(cmd, "r");
        if (p && fgets(line, sizeof line, p)) grep_matches = atol(line);
        if (p) pclose(p);
        tg = child_cpu() - t0;

        printf("%6zu names: compile %.3f s, tables %.1f MB, peak RSS %.1f MB\n", n, tc,
               (double)nd_rules_memory(r) / 1e6, (double)peak_rss_kb() / 1e3);
        printf("%6zu names: nd_rules_scan %7.1f MB/s (%zu matches) | grep -F -o -i %7.1f MB/s (%ld matches)\n",
               n, (double)text.len / 1e6 / ts, found, (double)text.len / 1e6 / tg, grep_matches);
        nd_scan_free(sc);
        nd_rules_free(r);
    }
    remove(tpath);
    remove(npath);
    rmdir(tdir);
    for (i = 0; i < 100000; i++) free(names[i]);
    free(names);
    nd_buf_free(&text);
    return 0;
}
