/*
 * host.c — an example host application embedding newsdesk.  Built against
 * the library through pkg-config only:
 *
 *   cc $(pkg-config --cflags newsdesk) host.c $(pkg-config --libs newsdesk)
 *
 *   host FILTER.lua HOSTILE.lua
 *
 * It keeps its articles in memory, asks the analyst's filter which to keep,
 * collects the mentions its rules find and a JSON summary of each, then
 * calls every function of a hostile script and checks that each fails with
 * a clear message while the runtime keeps working.  Exit status 0 when all
 * of that held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <newsdesk.h>

#define STR(s) { (s), sizeof(s) - 1 }

static const nd_runtime_article articles[] = {
    { 1, STR("TBMM'de 2025 bütçesi kabul edildi"),
      STR("Ankara — Türkiye Büyük Millet Meclisi Genel Kurulu'nda bütçe görüşmeleri tamamlandı."),
      STR("2024-12-21"), STR("ornek-haber"), STR("Ayşe Yılmaz"), STR("https://example.org/tr/1"), STR("tr"),
      STR("{\"section\":\"ekonomi\"}") },
    { 2, STR("Bundestag streitet über den Haushalt"),
      STR("Berlin — Der Haushaltsausschuss vertagte die Beratungen über Russland-Sanktionen."),
      STR("2024-11-14"), STR("beispiel-zeitung"), { NULL, 0 }, STR("https://example.org/de/2"), STR("de"),
      { NULL, 0 } },
    { 3, STR("Football: late winner in Istanbul"),
      STR("A stoppage-time goal settled the derby on Sunday evening."),
      STR("2024-11-10"), STR("example-sport"), { NULL, 0 }, STR("https://example.org/en/3"), STR("en"),
      { NULL, 0 } },
    { 4, STR("Госдума приняла бюджет"),
      STR("Депутаты России одобрили проект бюджета на три года."),
      STR("2024-11-20"), STR("primer-novosti"), { NULL, 0 }, STR("https://example.org/ru/4"), STR("ru"),
      { NULL, 0 } },
};

static const char *const hostile[] = {
    "spin", "hog", "bomb", "shell", "peek", "swallow", "flood", "crash", "deep", "binary", "gazetteer"
};

/* print output of the scripts: shown up to 1 KB in all, counted always */
static void on_print(void *ud, const char *s, size_t n)
{
    size_t *total = ud;
    if (*total < 1024)
        printf("  script says: %.*s", (int)n, s);
    *total += n;
}

/* First line of a message. */
static int line_len(const char *s)
{
    const char *nl = strchr(s, '\n');
    return nl ? (int)(nl - s) : (int)strlen(s);
}

/* The store from C, through newsdesk's own cursor (no SQLite type, no
 * -lsqlite3 on the link line): add the articles, read them back.  Returns
 * the number of failures. */
static int read_store(void)
{
    nd_store *db;
    nd_cursor *cur = NULL;
    nd_query q;
    nd_row row;
    size_t i;
    int rc, n = 0;
    int64_t id;
    int status;
    rc = nd_store_open(&db, NULL, 0);
    for (i = 0; rc == ND_OK && i < sizeof articles / sizeof articles[0]; i++) {
        nd_article a;
        memset(&a, 0, sizeof a);
        a.title = articles[i].title;
        a.body = articles[i].body;
        a.date = articles[i].date;
        a.lang = articles[i].lang;
        rc = nd_store_add(db, &a, &id, &status);
    }
    memset(&q, 0, sizeof q);
    q.order = ND_ORDER_DATE;
    if (rc == ND_OK)
        rc = nd_store_select(db, &q, &cur);
    while (rc == ND_OK && (rc = nd_cursor_next(cur, &row)) == 1) {
        printf("row %lld %.*s %.*s\n", (long long)row.id, (int)row.date.len, row.date.ptr,
               (int)row.title.len, row.title.ptr);
        n++;
        rc = ND_OK;
    }
    if (rc < 0)
        printf("store: %s\n", nd_store_errmsg(db));
    nd_cursor_close(cur);
    nd_store_close(db);
    printf("read %d rows from the store\n", n);
    return rc < 0 || n != (int)(sizeof articles / sizeof articles[0]);
}

int main(int argc, char **argv)
{
    nd_runtime *rt = NULL;
    nd_runtime_opts o;
    nd_buf json = ND_BUF_INIT;
    size_t printed = 0, i, k;
    int rc, verdict, failures = 0, kept = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: host FILTER.lua HOSTILE.lua\n");
        return 2;
    }
    printf("newsdesk %s\n", nd_version());
    nd_runtime_opts_init(&o);              /* sandboxed */
    o.memory_limit = (size_t)32 << 20;
    o.instruction_budget = 20000000;
    o.time_limit = 5;
    o.output_limit = 4096;
    o.print = on_print;
    o.print_ud = &printed;
    if (nd_runtime_new(&rt, &o) != ND_OK) {
        fprintf(stderr, "host: %s\n", nd_runtime_errmsg(rt));
        nd_runtime_free(rt);
        return 1;
    }
    if (nd_runtime_load_file(rt, argv[1]) != ND_OK) {
        fprintf(stderr, "host: %s\n", nd_runtime_errmsg(rt));
        nd_runtime_free(rt);
        return 1;
    }

    for (i = 0; i < sizeof articles / sizeof articles[0]; i++) {
        const nd_runtime_article *a = &articles[i];
        const nd_runtime_mention *m;
        size_t n;
        rc = nd_runtime_filter(rt, "keep", a, &verdict);
        printf("article %lld (%.*s): %s\n", (long long)a->id, (int)a->lang.len, a->lang.ptr,
               rc != ND_OK ? "error" : verdict == ND_VERDICT_KEEP ? "keep" : "drop");
        if (rc != ND_OK) {
            printf("  %s\n", nd_runtime_errmsg(rt));
            failures++;
            continue;
        }
        if (verdict != ND_VERDICT_KEEP)
            continue;
        kept++;
        rc = nd_runtime_mentions(rt, "mentions", a, &m, &n);
        if (rc != ND_OK) {
            printf("  mentions failed: %s\n", nd_runtime_errmsg(rt));
            failures++;
        }
        for (k = 0; rc == ND_OK && k < n; k++) {
            const nd_str *field = strcmp(m[k].field.ptr ? m[k].field.ptr : "", "title") == 0 ? &a->title : &a->body;
            int same = m[k].stop <= field->len && m[k].stop - m[k].start == m[k].text.len &&
                       memcmp(field->ptr + m[k].start, m[k].text.ptr, m[k].text.len) == 0;
            printf("  mention %s %s in %s [%zu, %zu) '%s'%s\n", m[k].type.ptr, m[k].id.ptr,
                   m[k].field.ptr ? m[k].field.ptr : "?", m[k].start, m[k].stop, m[k].text.ptr,
                   same ? "" : " OFFSETS DO NOT MATCH THE TEXT");
            failures += !same;
        }
        rc = nd_runtime_call_json(rt, "summary", a, &json);
        if (rc == ND_OK) {
            printf("  json %s\n", json.ptr);
        } else {
            printf("  summary failed: %s\n", nd_runtime_errmsg(rt));
            failures++;
        }
    }
    printf("kept %d of %zu\n", kept, sizeof articles / sizeof articles[0]);

    /* the hostile script, loaded into the same runtime */
    if (nd_runtime_load_file(rt, argv[2]) != ND_OK) {
        printf("hostile script did not load: %s\n", nd_runtime_errmsg(rt));
        failures++;
    }
    for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        const char *msg;
        rc = nd_runtime_filter(rt, hostile[i], &articles[0], &verdict);
        msg = nd_runtime_errmsg(rt);
        printf("hostile %s: %s (%s): %.*s\n", hostile[i], rc == ND_OK ? "NOT STOPPED" : nd_errstr(rc),
               verdict == ND_VERDICT_ERROR ? "error, not a drop" : "VERDICT", line_len(msg), msg);
        failures += rc == ND_OK || verdict != ND_VERDICT_ERROR;
        /* C work (a rule set compiled in C) is stopped by the memory limit
         * itself, not by whichever limit comes next */
        if (strcmp(hostile[i], "gazetteer") == 0 && !strstr(msg, "memory limit")) {
            printf("  gazetteer was not stopped by the memory limit\n");
            failures++;
        }
        rc = nd_runtime_filter(rt, "keep", &articles[0], &verdict);
        if (rc != ND_OK || verdict != ND_VERDICT_KEEP) {
            printf("  the runtime broke after %s: %s\n", hostile[i], nd_runtime_errmsg(rt));
            failures++;
        }
    }
    printf("script printed %zu bytes\n", printed);
    failures += read_store();
    printf("%s\n", failures ? "host: FAILED" : "host: survived");
    nd_buf_free(&json);
    nd_runtime_free(rt);
    return failures ? 1 : 0;
}
