/*
 * test_runtime_threads.c — runtimes in threads: two runtimes run scripts
 * at the same time in two threads (no shared state between them), and a
 * third thread interrupts a runtime with no limits set, sandboxed and
 * unsandboxed, while it loops inside a coroutine, in the main thread, or
 * in a SQLite query.  `make tsan` runs this under ThreadSanitizer,
 * which reports any data race (the interrupt flag is a C11 atomic).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "newsdesk.h"
#include "tap.h"

#define LOAD(rt, name, code) nd_runtime_load_string((rt), (name), (code), strlen(code))

typedef struct worker {
    int sandbox;
    int rc;
    int verdicts;
    char msg[200];
} worker;

static const char work_src[] =
    "local R = newsdesk.rules.load('pack:countries')\n"
    "function keep(a)\n"
    "  local n = 0\n"
    "  for _, m in ipairs(R:matches(a.body)) do n = n + 1 end\n"
    "  local t = {} for i = 1, 200 do t[i] = string.format('%d:%s', i, a.title) end\n"
    "  table.sort(t)\n"
    "  return n > 0 and #table.concat(t) > 0\n"
    "end\n";

/* Load the rules script and filter an article 200 times. */
static void *run_worker(void *p)
{
    worker *w = p;
    nd_runtime *rt;
    nd_runtime_opts o;
    int i, v;
    const char body[] = "Dışişleri Bakanı Fidan, Rusya ve Almanya ile görüştü.";
    nd_runtime_article a;
    memset(&a, 0, sizeof a);
    a.title = (nd_str){ "Ankara", 6 };
    a.body = (nd_str){ body, sizeof body - 1 };
    nd_runtime_opts_init(&o);
    o.sandbox = w->sandbox;
    w->rc = nd_runtime_new(&rt, &o);
    if (w->rc == ND_OK)
        w->rc = LOAD(rt, "work.lua", work_src);
    for (i = 0; w->rc == ND_OK && i < 200; i++) {
        w->rc = nd_runtime_filter(rt, "keep", &a, &v);
        w->verdicts += v == ND_VERDICT_KEEP;
    }
    snprintf(w->msg, sizeof w->msg, "%s", nd_runtime_errmsg(rt));
    nd_runtime_free(rt);
    return NULL;
}

static void *interrupt_later(void *p)
{
    struct timespec ts = { 0, 200 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    nd_runtime_interrupt(p);
    return NULL;
}

int main(void)
{
    pthread_t t[2], it;
    worker w[2] = { { 1, 0, 0, "" }, { 0, 0, 0, "" } };
    nd_runtime *rt;
    nd_runtime_opts o;
    int i, rc;

    for (i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, run_worker, &w[i]) != 0)
            return 1;
    for (i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < 2; i++) {
        is_int(w[i].rc, ND_OK, "runtime %d (%s) ran in its own thread (%s)", i, i ? "unsandboxed" : "sandboxed",
               w[i].msg);
        is_int(w[i].verdicts, 200, "runtime %d kept every article", i);
    }

    /* runtimes without limits, sandboxed and not, interrupted from another
     * thread while Lua loops (in a coroutine or not) or SQLite runs */
    for (i = 0; i < 6; i++) {
        static const char *const spins[3] = {
            "coroutine.wrap(function() while true do end end)()",
            "local n = 0 while true do n = n + 1 end",
            "for r in db:sql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c') do end",
        };
        int sandbox = i < 3;
        nd_runtime_opts_init(&o);
        o.sandbox = sandbox;
        o.memory_limit = 0;
        o.time_limit = 0;
        o.output_limit = 0;
        o.store_path = ":memory:";
        rc = nd_runtime_new(&rt, &o);
        is_int(rc, ND_OK, "a%s runtime with no limits", sandbox ? " sandboxed" : "n unsandboxed");
        if (pthread_create(&it, NULL, interrupt_later, rt) != 0)
            return 1;
        rc = LOAD(rt, "spin.lua", spins[i % 3]);
        pthread_join(it, NULL);
        ok(rc == ND_ELIMIT && strstr(nd_runtime_errmsg(rt), "spin.lua:1: interrupted"),
           "another thread interrupts %s (%s; %.40s)", i % 3 == 0 ? "a loop in a coroutine"
           : i % 3 == 1 ? "a loop" : "a SQLite query", sandbox ? "sandboxed" : "unsandboxed",
           nd_runtime_errmsg(rt));
        rc = LOAD(rt, "after.lua", "x = 1");
        is_int(rc, ND_OK, "the runtime works after the interrupt");
        nd_runtime_free(rt);
    }
    return tap_done();
}
