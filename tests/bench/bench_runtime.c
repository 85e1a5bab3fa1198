/* Host cost of calling a Lua filter on an in-memory article through
 * nd_runtime_filter, beside the same Lua function called with a plain
 * lua_pcall on a prebuilt table (the script's own work).
 *   build/bench/bench_runtime [CALLS]          (default 1000000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "newsdesk.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char script[] =
    "function empty(a) return true end\n"
    "function touch(a) return #a.title > 0 and a.lang == 'tr' end\n";

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000, i;
    nd_runtime *rt;
    nd_runtime_opts o;
    nd_runtime_article a;
    nd_buf body = ND_BUF_INIT;
    int v = 0, sandbox;
    long errors = 0;
    double t0, base, call, touch, nocpu;
    static const char para[] =
        "Ankara'da bugün Meclis Genel Kurulu'nda bütçe görüşmeleri sürdü; milletvekilleri "
        "ekonomi, eğitim ve sağlık harcamaları üzerine uzun bir tartışma yürüttü. ";

    while (body.len < (getenv("BODY") ? (size_t)atol(getenv("BODY")) : 3000))
        nd_buf_append(&body, para, sizeof para - 1);
    memset(&a, 0, sizeof a);
    a.title = (nd_str){ "Meclis'te bütçe görüşmeleri sürüyor", 37 };
    a.body = (nd_str){ body.ptr, body.len };
    a.date = (nd_str){ "2024-11-04T10:30:00+03:00", 25 };
    a.source = (nd_str){ "ornek-haber", 11 };
    a.url = (nd_str){ "https://example.org/haber/1", 27 };
    a.lang = (nd_str){ "tr", 2 };
    a.author = (nd_str){ "Ayşe Yılmaz", 13 };

    for (sandbox = 1; sandbox >= 0; sandbox--) {
        nd_runtime_opts_init(&o);
        o.sandbox = sandbox;
        if (nd_runtime_new(&rt, &o) != ND_OK ||
            nd_runtime_load_string(rt, "bench.lua", script, sizeof script - 1) != ND_OK) {
            fprintf(stderr, "bench_runtime: %s\n", nd_runtime_errmsg(rt));
            return 1;
        }
        /* baseline: the same function, plain lua_pcall, table built once */
        {
            lua_State *L = nd_runtime_lua(rt);
            luaL_loadstring(L, "return function(a) return true end");
            lua_call(L, 0, 1);
            lua_createtable(L, 0, 8);
            lua_pushlstring(L, a.title.ptr, a.title.len);
            lua_setfield(L, -2, "title");
            lua_pushlstring(L, a.body.ptr, a.body.len);
            lua_setfield(L, -2, "body");
            t0 = now();
            for (i = 0; i < n; i++) {
                lua_pushvalue(L, -2);
                lua_pushvalue(L, -2);
                lua_pcall(L, 1, 1, 0);
                v += lua_toboolean(L, -1);
                lua_pop(L, 1);
            }
            base = (now() - t0) / (double)n * 1e9;
            lua_pop(L, 2);
        }
        t0 = now();
        for (i = 0; i < n; i++)
            errors += nd_runtime_filter(rt, "empty", &a, &v) != ND_OK;
        call = (now() - t0) / (double)n * 1e9;
        t0 = now();
        for (i = 0; i < n; i++)
            errors += nd_runtime_filter(rt, "touch", &a, &v) != ND_OK || v != ND_VERDICT_KEEP;
        touch = (now() - t0) / (double)n * 1e9;
        nd_runtime_free(rt);
        /* the same without the per-call CPU clock (opts.measure_cpu = 0) */
        o.measure_cpu = 0;
        if (nd_runtime_new(&rt, &o) != ND_OK ||
            nd_runtime_load_string(rt, "bench.lua", script, sizeof script - 1) != ND_OK) {
            fprintf(stderr, "bench_runtime: %s\n", nd_runtime_errmsg(rt));
            return 1;
        }
        t0 = now();
        for (i = 0; i < n; i++)
            errors += nd_runtime_filter(rt, "empty", &a, &v) != ND_OK;
        nocpu = (now() - t0) / (double)n * 1e9;
        printf("runtime (%s, default limits): %ld calls, 3 KB body: "
               "nd_runtime_filter(empty) %.0f ns/call, plain lua_pcall of the same function %.0f ns/call, "
               "host overhead %.0f ns/call (%.0f ns with measure_cpu = 0); filter reading 2 fields %.0f ns/call\n",
               sandbox ? "sandboxed" : "unsandboxed", n, call, base, call - base, nocpu - base, touch);
        nd_runtime_free(rt);
    }
    nd_buf_free(&body);
    if (errors)
        fprintf(stderr, "bench_runtime: %ld calls failed or gave the wrong verdict\n", errors);
    return errors != 0;
}
