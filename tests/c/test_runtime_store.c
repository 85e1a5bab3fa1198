/* The runtime with a store: the global db, SQLite work counted against the
 * budget and the deadline, stores outside the allowed directories closed to
 * sandboxed scripts, and SQL injection through API arguments going nowhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lua.h>

#include "newsdesk.h"
#include "tap.h"

#define LOAD(rt, name, code) nd_runtime_load_string((rt), (name), (code), strlen(code))

static const char setup_src[] =
    "db:add{ title = 'Meclis bütçeyi kabul etti', body = 'Ankara - Genel Kurul bütçeyi onayladı.',\n"
    "        source = 'ornek', lang = 'tr', date = '2024-12-21' }\n"
    "db:add{ title = 'Minister visits Brussels', body = 'Talks on trade continued.',\n"
    "        source = 'example', lang = 'en', date = '2024-11-04' }\n"
    "function count() return db:count() end\n";

static const char runaway[] =
    "for row in db:sql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT count(*) AS n FROM c') do end";

static const struct attempt {
    const char *name;
    const char *code;
    int rc;
    const char *msg;
} attempts[] = {
    { "search with quotes and SQL", "db:search(\"x'); DROP TABLE articles; --\")", -1, NULL },
    { "search with FTS syntax", "db:search('title:* OR \"')", -1, NULL },
    { "a bound parameter is data, not SQL",
      "for r in db:sql('SELECT count(*) AS n FROM articles WHERE title = ?', \"x' OR '1'='1\") do "
      "assert(r.n == 0, 'injected') end", ND_OK, NULL },
    { "db:get with SQL in the id", "db:get(\"1 OR 1=1\")", ND_ESCRIPT, NULL },
    { "db:sql refuses writes", "for r in db:sql('DROP TABLE articles') do end", ND_ESCRIPT, "not authorized" },
    { "db:sql refuses a second statement",
      "for r in db:sql('SELECT 1 AS x; DROP TABLE articles') do end", ND_ESCRIPT, "one statement" },
    { "db:sql refuses ATTACH", "for r in db:sql(\"ATTACH DATABASE '\" .. DIR .. \"/attached.db' AS x\") do end",
      ND_ESCRIPT, NULL },
    { "db:sql cannot load extensions", "for r in db:sql(\"SELECT load_extension('/lib/x86_64-linux-gnu/libc.so.6')\") do end",
      ND_ESCRIPT, NULL },
    { "newsdesk.open of a new file", "assert(newsdesk.open(DIR .. '/new.db'))", ND_ESCRIPT, "not readable in the sandbox" },
    { "newsdesk.store.open of a new file", "assert(newsdesk.store.open(DIR .. '/new2.db'))", ND_ESCRIPT, "not readable" },
    { "an in-memory store is fine", "local m = assert(newsdesk.open()) m:add{ title = 'x', body = 'y' } "
      "assert(m:count() == 1)", ND_OK, NULL },
    { "replacing the store's __gc", "local m = assert(newsdesk.open()) "
      "getmetatable(m).__gc = function() while true do end end m = nil collectgarbage() collectgarbage()",
      ND_OK, NULL },
    /* a:find and a:match search in C, out of the hook's reach: their work
     * is charged, whether the article comes from a cursor or db:get
     * (about 35,000 VM instructions here, 5 million units of search) */
    { "a:find on a cursor's article counts its bytes", "local m = assert(newsdesk.open()) "
      "m:add{ title = 'x', body = ('ab '):rep(5000) } "
      "for a in m:articles() do for i = 1, 5000 do a:find('zz', 1, true) end end", ND_ELIMIT,
      "instruction budget of 2000000 exceeded" },
    { "a:find on db:get's article counts its bytes", "local m = assert(newsdesk.open()) "
      "local a = m:get(m:add{ title = 'x', body = ('ab '):rep(5000) }) "
      "for i = 1, 5000 do a:find('zz', 1, true) end", ND_ELIMIT, "instruction budget of 2000000 exceeded" },
    { "a backtracking a:match is capped", "local m = assert(newsdesk.open()) "
      "m:add{ title = 'x', body = ('x '):rep(50000) } "
      "for a in m:articles() do a:match('.-.-.-y') end", ND_ESCRIPT, "a:match: the pattern needs more than" },
    { "a runaway query hits the budget", runaway, ND_ELIMIT, "instruction budget of 2000000 exceeded" },
    { "a runaway query under pcall", "pcall(function() for r in db:sql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
      "SELECT x + 1 FROM c) SELECT count(*) AS n FROM c') do end end) return 'escaped'", ND_ELIMIT, "instruction budget" },
};

int main(void)
{
    char dir[] = "/tmp/nd-rtstore-XXXXXX";
    char path[512];
    nd_runtime *rt;
    nd_runtime_opts o;
    nd_buf json = ND_BUF_INIT;
    size_t i;
    int rc;
    struct stat st;

    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    nd_runtime_opts_init(&o);
    o.store_path = ":memory:";
    o.store_writable = 1;                 /* the setup script adds articles */
    o.instruction_budget = 2000000;
    rc = nd_runtime_new(&rt, &o);
    is_int(rc, ND_OK, "a sandboxed runtime with an in-memory store (%s)", nd_runtime_errmsg(rt));
    {
        lua_State *L = nd_runtime_lua(rt);
        lua_pushstring(L, dir);
        lua_setglobal(L, "DIR");
    }
    rc = LOAD(rt, "setup.lua", setup_src);
    is_int(rc, ND_OK, "the script adds articles to the global db (%s)", nd_runtime_errmsg(rt));
    rc = nd_runtime_call_json(rt, "count", NULL, &json);
    is_str(json.ptr, "2", "db:count() sees them");

    for (i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
        const struct attempt *t = &attempts[i];
        rc = LOAD(rt, "attempt.lua", t->code);
        if (t->rc == -1)
            ok(rc == ND_OK || rc == ND_ESCRIPT, "%s: a result or a clean error (%d)", t->name, rc);
        else
            ok(rc == t->rc, "%s: code %d (got %d: %.200s)", t->name, t->rc, rc, nd_runtime_errmsg(rt));
        if (t->msg && !ok(strstr(nd_runtime_errmsg(rt), t->msg) != NULL, "%s: message names '%s'", t->name, t->msg))
            printf("#   message: %.300s\n", nd_runtime_errmsg(rt));
        rc = nd_runtime_call_json(rt, "count", NULL, &json);
        ok(rc == ND_OK && strcmp(json.ptr, "2") == 0, "%s: the store is intact and usable (%s)", t->name,
           rc == ND_OK ? json.ptr : nd_runtime_errmsg(rt));
    }
    rc = LOAD(rt, "runaway.lua", runaway);
    ok(strncmp(nd_runtime_errmsg(rt), "runaway.lua:1: instruction budget", 33) == 0,
       "the budget error names the script line (%.60s)", nd_runtime_errmsg(rt));
    snprintf(path, sizeof path, "%s/attached.db", dir);
    ok(stat(path, &st) != 0, "ATTACH created no file");
    snprintf(path, sizeof path, "%s/new.db", dir);
    ok(stat(path, &st) != 0, "newsdesk.open created no file");
    nd_runtime_free(rt);

    /* the deadline stops a runaway query too */
    nd_runtime_opts_init(&o);
    o.store_path = ":memory:";
    o.time_limit = 0.3;
    rc = nd_runtime_new(&rt, &o);
    rc = LOAD(rt, "slowsql.lua", runaway);
    is_int(rc, ND_ELIMIT, "a runaway query hits the time limit");
    ok(strstr(nd_runtime_errmsg(rt), "time limit of 0.3 s exceeded") != NULL, "with the limit named (%.80s)",
       nd_runtime_errmsg(rt));
    rc = LOAD(rt, "after.lua", "for r in db:sql('SELECT 1 AS one') do assert(r.one == 1) end");
    is_int(rc, ND_OK, "the store answers after the interrupted query");
    nd_runtime_free(rt);

    /* a store file inside an allowed directory opens read-only */
    snprintf(path, sizeof path, "%s/news.db", dir);
    nd_runtime_opts_init(&o);
    o.sandbox = 0;
    o.store_path = path;
    rc = nd_runtime_new(&rt, &o);
    rc = LOAD(rt, "fill.lua", "db:add{ title = 'Başlık', body = 'Metin' }");
    is_int(rc, ND_OK, "an unsandboxed runtime creates a store file (%s)", nd_runtime_errmsg(rt));
    nd_runtime_free(rt);
    {
        const char *dirs[2] = { dir, NULL };
        nd_runtime_opts_init(&o);
        o.read_dirs = dirs;
        rc = nd_runtime_new(&rt, &o);
        {
            lua_State *L = nd_runtime_lua(rt);
            lua_pushstring(L, path);
            lua_setglobal(L, "PATH");
        }
        rc = LOAD(rt, "ro.lua", "local s = assert(newsdesk.open(PATH)) assert(s:count() == 1) "
                                "local ok, id = pcall(s.add, s, { title = 'yeni', body = 'yazı' }) "
                                "assert(not (ok and id), 'wrote to a read-only store') s:close()");
        is_int(rc, ND_OK, "a sandboxed script opens an allowed store, read-only (%s)", nd_runtime_errmsg(rt));
        nd_runtime_free(rt);
    }

    /* ingest walks a folder inside read_dirs; a link in it that leads out
     * of read_dirs is not followed, and stdin is not the script's to read */
    {
        char feed[256], secret[256], link[300];
        const char *dirs[2] = { feed, NULL };
        FILE *f;
        snprintf(feed, sizeof feed, "%s/feed", dir);
        snprintf(secret, sizeof secret, "%s/secret.jsonl", dir);
        snprintf(link, sizeof link, "%s/feed/linked.jsonl", dir);
        mkdir(feed, 0700);
        snprintf(path, sizeof path, "%s/ok.jsonl", feed);
        if ((f = fopen(path, "w"))) { fputs("{\"title\": \"Açık haber\", \"body\": \"Okunabilir metin.\"}\n", f); fclose(f); }
        if ((f = fopen(secret, "w"))) { fputs("{\"title\": \"Gizli\", \"body\": \"Dışarıdaki dosya.\"}\n", f); fclose(f); }
        ok(symlink(secret, link) == 0, "a link inside the allowed folder points outside it");
        nd_runtime_opts_init(&o);
        o.store_path = ":memory:";
        o.store_writable = 1;
        o.read_dirs = dirs;
        rc = nd_runtime_new(&rt, &o);
        {
            lua_State *L = nd_runtime_lua(rt);
            lua_pushstring(L, feed);
            lua_setglobal(L, "FEED");
        }
        rc = LOAD(rt, "walk.lua",
                  "local st = db:ingest(FEED) "
                  "assert(st.added == 1, 'added ' .. st.added) "
                  "assert(st.rejected == 1, 'rejected ' .. st.rejected) "
                  "assert(st.errors[1].file:find('linked.jsonl', 1, true), st.errors[1].file) "
                  "assert(st.errors[1].message:find('not readable here', 1, true)) "
                  "for a in db:articles() do assert(a.title ~= 'Gizli', 'read a file outside read_dirs') end "
                  "local ok, e = pcall(db.ingest, db, '-') "
                  "assert(not ok or (e.rejected == 1 and e.added == 0), 'read the host stdin')");
        is_int(rc, ND_OK, "sandboxed ingest keeps to read_dirs, links and stdin included (%s)", nd_runtime_errmsg(rt));
        nd_runtime_free(rt);
    }

    nd_buf_free(&json);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    if (system(path) != 0)
        printf("# could not remove %s\n", dir);
    return tap_done();
}
