/*
 * bench_rules.c — speed of the entity matcher beside grep.
 *
 * Over the shared bench corpus (tests/bench/corpus.h: mostly Turkish news
 * with suffixed names) and gazetteers of 10,000 and 100,000 names (the
 * corpus's own proper names, then generated person names), reports for
 * each: compile time, table memory, peak RSS, and MB/s of nd_rules_scan
 * article by article, beside `LC_ALL=C grep -F -o -i -f names.txt` over the
 * same text (grep does less: no folding, no suffixes, ASCII-only -i).  Times are CPU seconds
 * (this process; grep and wc as finished children) because the machine is
 * shared.  Then the dense case: names that are the corpus's own word pairs
 * and triples (a match every few dozen bytes), every match iterated from
 * Lua with rules:scan and counted in C with rules:tally, beside grep on
 * the same names and text, with the ratio; and db:tag in articles per CPU
 * second with pack:world and with 10,000 and 100,000 names.
 *   BENCH_MB=8 BENCH_NAMES=100000 build/bench/bench_rules
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "corpus.h"
#include "lnd.h"
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


/* db:tag over `n` stored articles cut from the corpus with the first
 * `names` names (or, names == 0, the rule pack `pack`), through the Lua
 * API as analysts call it. */
static const char tag_script[] =
    "local text, names, n, pack = ...\n"
    "local db = newsdesk.open()\n"
    "db:transaction(function()\n"
    "  local pos = 1\n"
    "  for i = 1, n do\n"
    "    local stop = text:find('\\n', pos + 3000, true) or #text\n"
    "    db:add{ title = 'Haber ' .. i, body = text:sub(pos, stop) }\n"
    "    pos = stop + 1\n"
    "    if pos > #text then pos = 1 end\n"
    "  end\n"
    "end)\n"
    "local rules\n"
    "if pack then rules = assert(newsdesk.rules.load(pack))\n"
    "else rules = newsdesk.rules.new(); rules:add{ type = 'PERSON', rule = 'bench', entities = names } end\n"
    "local t0 = os.clock()\n"
    "local st = db:tag(rules)\n"
    "return os.clock() - t0, st.tagged, st.mentions\n";

static void bench_tag(const char *text, size_t len, char **names, size_t nnames, const char *pack, lua_Integer n)
{
    lua_State *L = luaL_newstate();
    size_t i;
    luaL_openlibs(L);
    luaL_requiref(L, "newsdesk", luaopen_newsdesk, 1);
    lua_pop(L, 1);
    lua_settop(L, 0);
    if (luaL_loadbuffer(L, tag_script, sizeof tag_script - 1, "=bench_tag") != LUA_OK) goto fail;
    lua_pushlstring(L, text, len);
    lua_createtable(L, (int)nnames, 0);
    for (i = 0; i < nnames; i++) {
        lua_createtable(L, 0, 2);
        lua_pushfstring(L, "p%d", (int)i);
        lua_setfield(L, -2, "id");
        lua_pushstring(L, names[i]);
        lua_setfield(L, -2, "name");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushinteger(L, n);
    if (pack) lua_pushstring(L, pack);
    else lua_pushnil(L);
    if (lua_pcall(L, 4, 3, 0) != LUA_OK) goto fail;
    if (pack) printf("db:tag (%s, in-memory store):", pack);
    else printf("db:tag (%zu names, in-memory store):", nnames);
    printf(" %.0f articles/s (%lld articles of ~3 KB, %lld mentions)\n",
           (double)lua_tointeger(L, 2) / lua_tonumber(L, 1), (long long)lua_tointeger(L, 2),
           (long long)lua_tointeger(L, 3));
    lua_close(L);
    return;
fail:
    printf("db:tag: %s\n", lua_tostring(L, -1));
    lua_close(L);
}

/* ---- dense scans from Lua ----------------------------------------------------
 * Names built from the corpus's own words: word pairs and triples as they
 * stand in the text (in order of first appearance, each once), so matches
 * come every few dozen bytes.  Step 1 of the script builds the rule set and
 * the article list and writes names.txt for grep; step 2 (timed) iterates
 * every match of every article from Lua (a match table each with
 * rules:scan, the values start, stop, id, type with rules:each), or
 * (tally) counts per entity id in C.  Returns matches, articles. */
static const char dense_build[] =
    "local text, n, npath = ...\n"
    "local seen, names, prev2, prev1, pstop = {}, {}, nil, nil, -1\n"
    "local function add(s)\n"
    "  local k = s:lower()\n"
    "  if #names < n and not seen[k] then seen[k] = true; names[#names + 1] = s end\n"
    "end\n"
    "for a, w, b in text:gmatch('()([^%s%p%d]+)()') do\n"
    "  if #names >= n then break end\n"
    "  if a ~= pstop + 1 or text:sub(pstop, pstop) ~= ' ' then prev2, prev1 = nil, nil end\n"
    "  if prev1 and #prev1 + #w > 6 then add(prev1 .. ' ' .. w) end\n"
    "  if prev2 then add(prev2 .. ' ' .. prev1 .. ' ' .. w) end\n"
    "  prev2, prev1, pstop = prev1, w, b\n"
    "end\n"
    "local f = assert(io.open(npath, 'wb'))\n"
    "local ents = {}\n"
    "for i, s in ipairs(names) do ents[i] = { id = 'e' .. i, name = s }; f:write(s, '\\n') end\n"
    "f:close()\n"
    "local rules = newsdesk.rules.new()\n"
    "rules:add{ type = 'MISC', rule = 'dense', entities = ents }\n"
    "local arts, pos = {}, 1\n"
    "while pos <= #text do\n"
    "  local e = text:find('\\n\\n\\n', pos, true)\n"
    "  arts[#arts + 1] = text:sub(pos, (e or #text + 1) - 1)\n"
    "  pos = e and e + 3 or #text + 1\n"
    "end\n"
    "return rules, arts, #names\n";

static const char dense_scan[] =
    "local rules, arts = ...\n"
    "local n = 0\n"
    "for i = 1, #arts do\n"
    "  for m in rules:scan(arts[i]) do n = n + 1 end\n"
    "end\n"
    "return n\n";

static const char dense_each[] =
    "local rules, arts = ...\n"
    "local n = 0\n"
    "if not rules.each then return -1 end\n"
    "for i = 1, #arts do\n"
    "  for start, stop, id in rules:each(arts[i]) do n = n + 1 end\n"
    "end\n"
    "return n\n";

static const char dense_tally[] =
    "local rules, arts = ...\n"
    "local n = 0\n"
    "if not rules.tally then return -1 end\n"
    "for i = 1, #arts do\n"
    "  for _, c in pairs(rules:tally(arts[i])) do n = n + c end\n"
    "end\n"
    "return n\n";

/* CPU seconds of grep -F -o -i over the files; *matches gets its count. */
static double grep_cpu(const char *npath, const char *tpath, long *matches)
{
    char cmd[512], line[64];
    double t0 = child_cpu();
    FILE *p;
    *matches = -1;
    snprintf(cmd, sizeof cmd, "LC_ALL=C grep -F -o -i -f %s %s | wc -l", npath, tpath);
    p = popen(cmd, "r");
    if (p && fgets(line, sizeof line, p)) *matches = atol(line);
    if (p) pclose(p);
    return child_cpu() - t0;
}

static int run_chunk(lua_State *L, const char *src, const char *name, int nargs, int nres)
{
    if (luaL_loadbuffer(L, src, strlen(src), name) != LUA_OK) return -1;
    lua_insert(L, -nargs - 1);
    return lua_pcall(L, nargs, nres, 0) == LUA_OK ? 0 : -1;
}

/* Seconds of chunk src run on the rules and articles at 1 and 2 (left
 * there); *count gets its result.  -1 on an error (its message on top). */
static double timed_chunk(lua_State *L, const char *src, const char *name, lua_Integer *count)
{
    double t0;
    lua_settop(L, 2);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    t0 = now();
    if (run_chunk(L, src, name, 2, 1) != 0) return -1;
    t0 = now() - t0;
    *count = lua_tointeger(L, -1);
    lua_settop(L, 2);
    return t0;
}

static void bench_dense(const char *text, size_t len, const char *tpath, const char *npath, lua_Integer n)
{
    lua_State *L = luaL_newstate();
    double ts, te, tt, tg;
    lua_Integer nn, scanned, eached, tallied;
    long gm;
    luaL_openlibs(L);
    luaL_requiref(L, "newsdesk", luaopen_newsdesk, 1);
    lua_settop(L, 0);
    lua_pushlstring(L, text, len);
    lua_pushinteger(L, n);
    lua_pushstring(L, npath);
    if (run_chunk(L, dense_build, "=dense_build", 3, 3) != 0) goto fail;
    nn = lua_tointeger(L, 3);
    lua_settop(L, 2);                                /* rules, articles */
    if ((ts = timed_chunk(L, dense_scan, "=dense_scan", &scanned)) < 0 ||
        (te = timed_chunk(L, dense_each, "=dense_each", &eached)) < 0 ||
        (tt = timed_chunk(L, dense_tally, "=dense_tally", &tallied)) < 0)
        goto fail;
    tg = grep_cpu(npath, tpath, &gm);
    printf("dense, %6lld names of the corpus's words: a match every %.0f bytes\n", (long long)nn,
           scanned ? (double)len / (double)scanned : 0.0);
    printf("  Lua rules:scan loop  %6.3f s %6.1f MB/s (%lld matches)  %.2fx grep\n", ts, (double)len / 1e6 / ts,
           (long long)scanned, tg / ts);
    if (eached < 0) printf("  Lua rules:each loop  (not in this build)\n");
    else printf("  Lua rules:each loop  %6.3f s %6.1f MB/s (%lld matches)  %.2fx grep\n", te, (double)len / 1e6 / te,
                (long long)eached, tg / te);
    if (tallied < 0) printf("  Lua rules:tally      (not in this build)\n");
    else printf("  Lua rules:tally      %6.3f s %6.1f MB/s (%lld matches)  %.2fx grep\n", tt, (double)len / 1e6 / tt,
                (long long)tallied, tg / tt);
    printf("  grep -F -o -i        %6.3f s %6.1f MB/s (%ld matches)\n", tg, (double)len / 1e6 / tg, gm);
    lua_close(L);
    return;
fail:
    printf("dense scan: %s\n", lua_tostring(L, -1));
    lua_close(L);
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
    size_t i, k, narticles;
    char tdir[] = "/tmp/nd_bench_rulesXXXXXX";
    char tpath[128], npath[128], cmd[512];
    FILE *f;

    names = malloc(100000 * sizeof *names);
    for (i = 0; i < 100000; i++) {
        char b[128];
        if (i < ND_ARRAY_LEN_(nd_bench_tr_names)) {
            names[i] = strdup(nd_bench_tr_names[i]);
            continue;
        }
        make_name(b, sizeof b);
        names[i] = strdup(b);
    }
    narticles = nd_bench_corpus(&text, target, 42);
    if (!mkdtemp(tdir)) return 1;
    snprintf(tpath, sizeof tpath, "%s/text.txt", tdir);
    snprintf(npath, sizeof npath, "%s/names.txt", tdir);
    f = fopen(tpath, "wb");
    fwrite(text.ptr, 1, text.len, f);
    fclose(f);
    printf("corpus: %.1f MB, %zu articles (tests/bench/corpus.h, seed 42)\n", (double)text.len / 1e6, narticles);

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
        for (off = 0; off < text.len;) {            /* article by article */
            const char *end = strstr(text.ptr + off, "\n\n\n");
            size_t stop = end ? (size_t)(end - text.ptr) : text.len;
            nd_rules_scan(r, sc, text.ptr + off, stop - off, 0);
            found += nd_scan_count(sc);
            off = end ? stop + 3 : text.len;
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
    if (!getenv("BENCH_NAMES") || atol(getenv("BENCH_NAMES")) == 10000)
        bench_dense(text.ptr, text.len, tpath, npath, 10000);
    if (!getenv("BENCH_NAMES") || atol(getenv("BENCH_NAMES")) == 100000)
        bench_dense(text.ptr, text.len, tpath, npath, 100000);
    bench_tag(text.ptr, text.len, names, 0, "pack:world", 2000);
    bench_tag(text.ptr, text.len, names, 10000, NULL, 2000);
    bench_tag(text.ptr, text.len, names, 100000, NULL, 2000);
    remove(tpath);
    remove(npath);
    rmdir(tdir);
    for (i = 0; i < 100000; i++) free(names[i]);
    free(names);
    nd_buf_free(&text);
    return 0;
}
