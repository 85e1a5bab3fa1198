/* The embedding API: create a runtime, load scripts, call filters, get
 * mentions and JSON back, and read errors with file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "newsdesk.h"
#include "tap.h"

#define LOAD(rt, name, code) nd_runtime_load_string((rt), (name), (code), strlen(code))
#define S(lit) ((nd_str){ (lit), sizeof(lit) - 1 })

static const char filter_src[] =
    "-- keep Turkish articles that talk about the parliament\n"
    "function keep(a)\n"
    "  if a.lang ~= 'tr' then return false end\n"
    "  return a.body:find('Meclis', 1, true) ~= nil\n"
    "end\n"
    "function broken(a)\n"
    "  local t = nil\n"
    "  return t.field\n"
    "end\n"
    "function count_calls() calls = (calls or 0) + 1; return calls end\n"
    "function summary(a)\n"
    "  return { title = a.title, words = select(2, a.body:gsub('%S+', '')),\n"
    "           tags = { 'tbmm', 'ankara' }, source = a.source, n = 1.5, ok = true,\n"
    "           meta = a.meta }\n"
    "end\n"
    "function marks(a)\n"
    "  local s, e = a.body:find('Ankara', 1, true)\n"
    "  return { { type = 'place', id = 'ankara', text = a.body:sub(s, e), start = s, stop = e, field = 'body' },\n"
    "           { type = 'org', id = 'tbmm', text = 'TBMM', start = 1, stop = 4, field = 'title', suffix = \"'de\" } }\n"
    "end\n"
    "function bad_marks() return { { type = 'x', start = 'one' } } end\n"
    "function not_a_list() return 42 end\n"
    "function fn_result() return { f = print } end\n"
    "function bad_utf8() return { s = '\\xff\\xfe' } end\n"
    "function nothing() end\n"
    "function stash(a) saved = a; saved_title = a.title; return true end\n"
    "function use_saved() return saved.title == saved_title and saved.body end\n"
    "function fields(a) local n = {} for k in pairs(a) do n[#n + 1] = k end table.sort(n) return table.concat(n, ',') end\n"
    "function echo(a) a.extra = 'x'; return a end\n";

/* One runtime per thread, several threads at once: each filters its own
 * articles and counts how many verdicts came out right. */
typedef struct worker {
    int lang_tr;          /* which articles this thread keeps */
    int right;
} worker;

static void *work(void *p)
{
    static const char src[] = "function keep(a) return a.lang == LANG and #a.title > 0 end";
    worker *w = p;
    nd_runtime *rt;
    nd_runtime_opts o;
    int i, v;
    nd_runtime_opts_init(&o);
    o.instruction_budget = 100000;
    if (nd_runtime_new(&rt, &o) == ND_OK) {
        lua_State *L = nd_runtime_lua(rt);
        lua_pushstring(L, w->lang_tr ? "tr" : "en");
        lua_setglobal(L, "LANG");
        if (nd_runtime_load_string(rt, "t.lua", src, sizeof src - 1) == ND_OK) {
            for (i = 0; i < 2000; i++) {
                nd_runtime_article a;
                memset(&a, 0, sizeof a);
                a.title = (nd_str){ "Başlık", 7 };
                a.lang = (i % 2) ? (nd_str){ "tr", 2 } : (nd_str){ "en", 2 };
                if (nd_runtime_filter(rt, "keep", &a, &v) == ND_OK &&
                    v == (((i % 2) == w->lang_tr) ? ND_VERDICT_KEEP : ND_VERDICT_DROP))
                    w->right++;
            }
        }
    }
    nd_runtime_free(rt);
    return NULL;
}

static void collect(void *ud, const char *s, size_t n)
{
    nd_buf *b = ud;
    nd_buf_append(b, s, n);
}

int main(void)
{
    nd_runtime *rt = NULL;
    nd_runtime_opts o;
    nd_buf out = ND_BUF_INIT, json = ND_BUF_INIT;
    int v = 42, rc;
    const char *title = "TBMM'de bütçe görüşmeleri";
    const char *body = "Ankara — Meclis Genel Kurulu'nda bütçe görüşmeleri sürüyor.";
    nd_runtime_article a;

    memset(&a, 0, sizeof a);
    a.title = (nd_str){ title, strlen(title) };
    a.body = (nd_str){ body, strlen(body) };
    a.lang = S("tr");
    a.source = S("ornek-haber");
    a.id = 7;
    a.meta_json = S("{\"section\":\"politika\",\"tags\":[1,2]}");

    nd_runtime_opts_init(&o);
    ok(o.sandbox == 1, "runtimes are sandboxed by default");
    o.print = collect;
    o.print_ud = &out;
    rc = nd_runtime_new(&rt, &o);
    is_int(rc, ND_OK, "nd_runtime_new succeeds");
    is_str(nd_runtime_errmsg(rt), "", "no error message after success");

    rc = nd_runtime_load_string(rt, "filter.lua", filter_src, sizeof filter_src - 1);
    is_int(rc, ND_OK, "a filter script loads");

    rc = nd_runtime_filter(rt, "keep", &a, &v);
    is_int(rc, ND_OK, "filter call succeeds");
    is_int(v, ND_VERDICT_KEEP, "a Turkish article about the Meclis is kept");
    a.lang = S("en");
    rc = nd_runtime_filter(rt, "keep", &a, &v);
    is_int(v, ND_VERDICT_DROP, "an English article is dropped");
    a.lang = S("tr");

    rc = nd_runtime_filter(rt, "broken", &a, &v);
    is_int(rc, ND_ESCRIPT, "a script error is ND_ESCRIPT");
    is_int(v, ND_VERDICT_ERROR, "an error is never a drop");
    ok(strstr(nd_runtime_errmsg(rt), "filter.lua:8:") != NULL, "the message names file:line (%s)",
       nd_runtime_errmsg(rt));
    ok(strstr(nd_runtime_errmsg(rt), "stack traceback:") != NULL, "the message carries a traceback");
    ok(strstr(nd_runtime_errmsg(rt), "<filter.lua:6>") != NULL, "the traceback names the function's definition");

    rc = nd_runtime_filter(rt, "keep", &a, &v);
    ok(rc == ND_OK && v == ND_VERDICT_KEEP, "the runtime is usable after a script error");

    rc = nd_runtime_filter(rt, "no_such_fn", &a, &v);
    is_int(rc, ND_ENOTFOUND, "calling a missing function is ND_ENOTFOUND");
    ok(strstr(nd_runtime_errmsg(rt), "no_such_fn") != NULL, "the message names the function");

    nd_runtime_filter(rt, "count_calls", NULL, &v);
    nd_runtime_filter(rt, "count_calls", NULL, &v);
    rc = nd_runtime_call_json(rt, "count_calls", NULL, &json);
    is_str(json.ptr, "3", "globals persist between calls; a call without an article works");

    rc = nd_runtime_call_json(rt, "summary", &a, &json);
    is_int(rc, ND_OK, "a table result converts to JSON");
    is_str(json.ptr,
           "{\"meta\":{\"section\":\"politika\",\"tags\":[1,2]},\"n\":1.5,\"ok\":true,"
           "\"source\":\"ornek-haber\",\"tags\":[\"tbmm\",\"ankara\"],"
           "\"title\":\"TBMM'de bütçe görüşmeleri\",\"words\":8}",
           "JSON has sorted keys, arrays, integers, reals, booleans and the decoded meta");
    rc = nd_runtime_call_json(rt, "nothing", &a, &json);
    ok(rc == ND_OK && strcmp(json.ptr, "null") == 0, "no result is JSON null");
    rc = nd_runtime_call_json(rt, "fn_result", &a, &json);
    is_int(rc, ND_ESCRIPT, "a function in the result cannot be converted");
    ok(strstr(nd_runtime_errmsg(rt), "result.f") != NULL, "the message names the path (%s)",
       nd_runtime_errmsg(rt));
    ok(json.len == 0, "the buffer is empty after a failed conversion");
    rc = nd_runtime_call_json(rt, "bad_utf8", &a, &json);
    ok(rc == ND_ESCRIPT && strstr(nd_runtime_errmsg(rt), "UTF-8"), "invalid UTF-8 in a result is refused");

    {
        const nd_runtime_mention *m;
        size_t n;
        const char *at = strstr(body, "Ankara");
        rc = nd_runtime_mentions(rt, "marks", &a, &m, &n);
        is_int(rc, ND_OK, "mentions call succeeds");
        is_int(n, 2, "two mentions");
        if (n == 2) {
            is_int(m[0].start, at - body, "start is a 0-based byte offset");
            is_int(m[0].stop, at - body + 6, "stop is exclusive");
            is_mem(body + m[0].start, m[0].stop - m[0].start, "Ankara", 6, "offsets point into the host's text");
            is_str(m[0].type.ptr, "place", "type");
            is_str(m[0].id.ptr, "ankara", "id");
            is_str(m[0].text.ptr, "Ankara", "text");
            ok(m[0].suffix.ptr == NULL, "absent suffix is NULL");
            is_str(m[1].suffix.ptr, "'de", "suffix");
            is_str(m[1].field.ptr, "title", "field");
        }
        rc = nd_runtime_mentions(rt, "bad_marks", &a, &m, &n);
        ok(rc == ND_ESCRIPT && n == 0 && m == NULL, "a malformed mention is an error with no mentions");
        ok(strstr(nd_runtime_errmsg(rt), "mention 1") != NULL, "the message names the entry (%s)",
           nd_runtime_errmsg(rt));
        rc = nd_runtime_mentions(rt, "not_a_list", &a, &m, &n);
        ok(rc == ND_ESCRIPT, "a non-list result is an error");
        rc = nd_runtime_mentions(rt, "nothing", &a, &m, &n);
        ok(rc == ND_OK && n == 0, "nil means no mentions");
    }

    /* the article table: lazy fields, pairs, JSON, use after the call */
    rc = nd_runtime_filter(rt, "stash", &a, &v);
    ok(rc == ND_OK && v == ND_VERDICT_KEEP, "a script may keep the article table");
    rc = nd_runtime_filter(rt, "use_saved", NULL, &v);
    ok(rc == ND_ESCRIPT && strstr(nd_runtime_errmsg(rt), "article field 'body' was not read during the call"),
       "a field first read after its call raises instead of giving nil (%.80s)", nd_runtime_errmsg(rt));
    rc = nd_runtime_call_json(rt, "fields", &a, &json);
    is_str(json.ptr, "\"body,id,lang,meta,meta_json,source,title\"", "pairs() lists every present field");
    rc = nd_runtime_call_json(rt, "echo", &a, &json);
    ok(rc == ND_OK && strstr(json.ptr, "\"body\":\"Ankara") && strstr(json.ptr, "\"extra\":\"x\"") &&
       strstr(json.ptr, "\"id\":7"), "returning the article gives all its fields as JSON (%s)", json.ptr);

    rc = LOAD(rt, "syntax.lua", "function x(\n  return\n");
    is_int(rc, ND_ESYNTAX, "a syntax error is ND_ESYNTAX");
    ok(strstr(nd_runtime_errmsg(rt), "syntax.lua:") != NULL, "and names the chunk (%s)", nd_runtime_errmsg(rt));
    rc = nd_runtime_load_file(rt, "/nonexistent/dir/filter.lua");
    is_int(rc, ND_EIO, "a missing file is ND_EIO");
    ok(strstr(nd_runtime_errmsg(rt), "/nonexistent/dir/filter.lua") != NULL, "and names the path");

    out.len = 0;
    rc = LOAD(rt, "p.lua", "print('merhaba', 1, nil, true)");
    ok(rc == ND_OK && out.len && strcmp(out.ptr, "merhaba\t1\tnil\ttrue\n") == 0,
       "print output goes to the host callback");
    out.len = 0;
    rc = LOAD(rt, "w.lua", "io.write('bir ', 2, ' ') io.stdout:write('üç\\n')");
    ok(rc == ND_OK && out.len && strcmp(out.ptr, "bir 2 üç\n") == 0,
       "io.write and io.stdout:write go to the host callback too (%s)", nd_runtime_errmsg(rt));

    {
        lua_State *L = nd_runtime_lua(rt);
        int top = lua_gettop(L);
        lua_getglobal(L, "newsdesk");
        ok(lua_istable(L, -1), "the newsdesk module is the global newsdesk");
        lua_getfield(L, -1, "version");
        is_str(lua_tostring(L, -1), nd_version(), "with the library's version");
        lua_settop(L, top);
        nd_runtime_pushenv(rt);
        lua_getfield(L, -1, "count_calls");
        ok(lua_isfunction(L, -1), "nd_runtime_pushenv gives the table the script's functions live in");
        lua_settop(L, top);
        lua_getglobal(L, "error");
        lua_pushstring(L, "boom");
        rc = nd_runtime_pcall(rt, 1, 0);
        ok(rc == ND_ESCRIPT && strstr(nd_runtime_errmsg(rt), "boom"), "nd_runtime_pcall reports errors");
        is_int(lua_gettop(L), top, "nd_runtime_pcall leaves the stack balanced on error");
        is_int(lua_gc(L, LUA_GCINC, 0, 0, 0), LUA_GCGEN, "the state runs the generational collector");
        lua_gc(L, LUA_GCGEN, 0, 0);
    }
    nd_runtime_free(rt);
    nd_runtime_free(NULL);
    ok(nd_runtime_errmsg(NULL) != NULL, "nd_runtime_errmsg(NULL) is still text");

    /* unsandboxed: the full standard library, as lua5.4 */
    nd_runtime_opts_init(&o);
    o.sandbox = 0;
    rc = nd_runtime_new(&rt, &o);
    is_int(rc, ND_OK, "an unsandboxed runtime");
    rc = LOAD(rt, "full.lua", "assert(os.getenv and io.popen and debug and package.loadlib)");
    ok(rc == ND_OK, "has os.getenv, io.popen, debug and package.loadlib (%s)", nd_runtime_errmsg(rt));
    rc = LOAD(rt, "req.lua", "assert(require('newsdesk') == newsdesk)");
    ok(rc == ND_OK, "require('newsdesk') is the preloaded module (%s)", nd_runtime_errmsg(rt));
    nd_runtime_free(rt);

    /* The allocator keeps freed blocks of up to 4 KB for reuse, by size
     * class.  Strings of every length to past that, kept, dropped and made
     * again, and tables grown and shrunk through the classes, must come back
     * intact; and the state's count must return to where it was.  No time
     * limit: under valgrind on a busy machine the loops take over 10 s. */
    nd_runtime_opts_init(&o);
    o.sandbox = 0;
    o.time_limit = 0;
    rc = nd_runtime_new(&rt, &o);
    is_int(rc, ND_OK, "a runtime for the allocator checks");
    rc = LOAD(rt, "alloc.lua",
        "local function text(n) return string.rep(string.char(65 + n % 26), n - 1) .. '|' end\n"
        "collectgarbage() collectgarbage()\n"
        "local base = collectgarbage('count')\n"
        "for round = 1, 3 do\n"
        "  local kept = {}\n"
        "  for n = 1, 5000 do\n"
        "    local s = text(n)\n"
        "    if n % 3 == round % 3 then kept[n] = s end\n"
        "    assert(#s == n and s:sub(-1) == '|')\n"
        "  end\n"
        "  collectgarbage('step')\n"
        "  local t = {}\n"
        "  for i = 1, 1200 do t[i] = i * round end\n"
        "  for i = 1200, 2, -1 do t[i] = nil; if i % 97 == 0 then collectgarbage('step') end end\n"
        "  for i = 2, 600 do t[i] = -i end\n"
        "  for n, s in pairs(kept) do\n"
        "    if s ~= text(n) then error('string of ' .. n .. ' bytes changed') end\n"
        "  end\n"
        "  for i = 2, 600 do assert(t[i] == -i, 'table slot ' .. i) end\n"
        "  assert(t[1] == round)\n"
        "end\n"
        "collectgarbage() collectgarbage()\n"
        "local now = collectgarbage('count')\n"
        "assert(math.abs(now - base) < 16, string.format('heap was %.1f KB, now %.1f KB', base, now))\n");
    ok(rc == ND_OK, "reused blocks keep every string and table intact, and the count is exact (%s)",
       nd_runtime_errmsg(rt));
    nd_runtime_free(rt);

    /* with a memory limit, reuse does not let a script past it */
    nd_runtime_opts_init(&o);
    o.memory_limit = 2u << 20;
    rc = nd_runtime_new(&rt, &o);
    rc = LOAD(rt, "grow.lua",
        "local t = {}\n"
        "for i = 1, 100000 do t[i] = string.rep('x', 3000 + i % 900) .. i\n"
        "  if i % 2 == 0 then t[i - 1] = nil end end\n");
    ok(rc != ND_OK && strstr(nd_runtime_errmsg(rt), "memory limit of 2 MiB exceeded"),
       "a script keeping half of many 3-4 KB strings still meets the memory limit (%s)", nd_runtime_errmsg(rt));
    nd_runtime_free(rt);

    /* read_dirs must name directories */
    {
        const char *dirs[] = { "tests/c/test_runtime.c", NULL };
        nd_runtime_opts_init(&o);
        o.read_dirs = dirs;
        rc = nd_runtime_new(&rt, &o);
        ok(rc == ND_EINVAL && strstr(nd_runtime_errmsg(rt), "not a directory: tests/c/test_runtime.c"),
           "a file in read_dirs is refused (%s)", nd_runtime_errmsg(rt));
        nd_runtime_free(rt);
    }

    /* a store that cannot be opened is reported */
    nd_runtime_opts_init(&o);
    o.store_path = "/nonexistent/dir/x.db";
    rc = nd_runtime_new(&rt, &o);
    ok(rc != ND_OK && strstr(nd_runtime_errmsg(rt), "/nonexistent/dir/x.db"),
       "a store that cannot be opened fails creation with its path (%s)", nd_runtime_errmsg(rt));
    nd_runtime_free(rt);

    /* many runtimes, one per thread */
    {
        pthread_t th[4];
        worker w[4];
        int t, started = 0;
        for (t = 0; t < 4; t++) {
            w[t].lang_tr = t % 2;
            w[t].right = 0;
            started += pthread_create(&th[t], NULL, work, &w[t]) == 0;
        }
        for (t = 0; t < started; t++)
            pthread_join(th[t], NULL);
        ok(started == 4 && w[0].right == 2000 && w[1].right == 2000 && w[2].right == 2000 && w[3].right == 2000,
           "four threads with a runtime each get every verdict right (%d %d %d %d)",
           w[0].right, w[1].right, w[2].right, w[3].right);
    }

    /* a host that owns its lua_State uses luaopen_newsdesk */
    {
        lua_State *L = luaL_newstate();
        luaL_openlibs(L);
        luaL_requiref(L, "newsdesk", luaopen_newsdesk, 1);
        lua_pop(L, 1);
        rc = luaL_dostring(L, "return newsdesk.version, newsdesk.text.upper('istanbul', 'tr')");
        ok(rc == LUA_OK && strcmp(lua_tostring(L, -2), nd_version()) == 0 &&
           strcmp(lua_tostring(L, -1), "İSTANBUL") == 0,
           "luaopen_newsdesk in a host's own lua_State: version and Turkish upper case");
        lua_close(L);
    }

    nd_buf_free(&out);
    nd_buf_free(&json);
    return tap_done();
}
