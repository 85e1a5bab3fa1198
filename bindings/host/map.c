/*
 * map.c — the streaming mapper and reducer of `newsdesk map` and
 * `newsdesk reduce`: JSON Lines (or KEY<TAB>JSON lines) in, the script's
 * map(article [, key]) per line or reduce(key, records) per run of equal
 * keys, JSON Lines (or KEY<TAB>JSON lines) out.
 *
 * Each line is decoded straight into a Lua table and what the script
 * returns is written as compact JSON with sorted keys, both by
 * newsdesk.json (ljson.c) with LND_JSON_REPAIR: invalid UTF-8 a script
 * produced becomes U+FFFD and infinities null.  All records of one call are
 * encoded into a buffer first and written only when the whole result
 * encoded, so no partial record reaches the stream.  Lua work that may
 * raise (building tables, writing records) runs under lua_pcall in helper C
 * functions; the map()/reduce() calls go through nd_runtime_pcall so the
 * runtime's limits apply to each of them.
 *
 * Failure discipline (the contract engines such as Hadoop Streaming, GNU
 * parallel and Slurm rely on): every problem is one line on err naming the
 * line number in the whole input (--line-offset added) and the article's
 * id or url; one summary line ends the run; the status is an error when
 * any line was malformed (unless skip_malformed) or any call failed (even
 * with keep_going).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "cli.h"
#include "lnd.h"

/* State shared by the protected helpers; owned by lnd_map_run. */
typedef struct mapstate {
    const lnd_map_opts *o;
    const char *line;     /* the JSON text being decoded */
    size_t len;
    lnd_json_error err;   /* where the line is malformed */
    int label_field;      /* 0 "id", 1 "url" or -1: what the label value is */
    uint64_t lineno;      /* of the line being mapped, offset included */
    nd_buf out;           /* records of the current call */
    uint64_t nout;        /* how many */
} mapstate;

/* ---- protected helpers ------------------------------------------------------------- */

static const char *const label_fields[] = { "id", "url" };

/* Push the label value of the table at idx, field `id` (else `url`) when
 * it is a string or number, else nil; sets st->label_field.  The text is
 * made only when a message needs it (where_text).  [-0, +1] */
static void push_label(lua_State *L, mapstate *st, int idx)
{
    int i;
    st->label_field = -1;
    for (i = 0; i < 2; i++) {
        int t = lua_getfield(L, idx, label_fields[i]);
        if (t == LUA_TSTRING || t == LUA_TNUMBER) {
            st->label_field = i;
            return;
        }
        lua_pop(L, 1);
    }
    lua_pushnil(L);
}

/* Push the label value and the article table of the text st->line; raises
 * for malformed text (st->err set) and "expected a JSON object, got ..."
 * for other values.  [-1, +2] (the light userdata) */
static int decode(lua_State *L)
{
    mapstate *st = lua_touserdata(L, 1);
    lnd_json_read(L, st->line, st->len, 0, NULL, &st->err);
    if (lua_type(L, -1) != LUA_TTABLE || *st->line != '{')
        return luaL_error(L, "expected a JSON object, got %s",
                          *st->line == '[' ? "an array" : "a scalar");
    push_label(L, st, -1);
    lua_insert(L, -2);
    return 2;
}

/* The prefix of a message about the article of line st->lineno, whose
 * label value is at labelidx: "stdin:3: article id 7: " (the label cut at
 * 127 bytes, the whole at 199).  Returns buf. */
static const char *where_text(lua_State *L, const mapstate *st, int labelidx, char *buf, size_t size)
{
    char label[128] = "";
    if (st->label_field >= 0)
        snprintf(label, sizeof label, "article %s %s: ", label_fields[st->label_field],
                 lua_tostring(L, labelidx));
    snprintf(buf, size, "%s:%llu: %s", st->o->input_name, (unsigned long long)st->lineno, label);
    return buf;
}

static void put(lua_State *L, nd_buf *b, const char *s, size_t n)
{
    if (nd_buf_append(b, s, n) != ND_OK)
        luaL_error(L, "not enough memory");
}

/* Append the record at idx to st->out as one line: KEY<TAB>JSON when the
 * options name a key field or the call returned a key (at keyidx, nil when
 * none), else JSON.  Raises for a key that is missing, not a string or
 * number, or holds a TAB or line break.  [-0, +0, e] */
static void put_record(lua_State *L, mapstate *st, int idx, int keyidx)
{
    const char *k;
    size_t n;
    int t;
    if (st->o->key)
        t = lua_getfield(L, idx, st->o->key);
    else {
        lua_pushvalue(L, keyidx);
        t = lua_type(L, -1);
    }
    if (t != LUA_TNIL) {
        if (t != LUA_TSTRING && t != LUA_TNUMBER) {
            if (st->o->key)
                luaL_error(L, "the key field '%s' of a record is a %s, not a string or number",
                           st->o->key, luaL_typename(L, -1));
            luaL_error(L, "the key returned is a %s, not a string or number", luaL_typename(L, -1));
        }
        k = lua_tolstring(L, -1, &n);
        if (strcspn(k, "\t\r\n") < n)
            luaL_error(L, "the key \"%s\" holds a TAB or a line break", k);
        put(L, &st->out, k, n);
        put(L, &st->out, "\t", 1);
    } else if (st->o->key) {
        luaL_error(L, "a record has no key field '%s'", st->o->key);
    }
    lua_pop(L, 1);
    lnd_json_write(L, idx, &st->out, "record", LND_JSON_REPAIR);
    put(L, &st->out, "\n", 1);
    st->nout++;
}

/* Write what the call returned (at 2; its key, if any, at 3) as records into
 * st->out: nil/false nothing, a list of tables one record each, another
 * table one record.  [-3, +0] */
static int encode(lua_State *L)
{
    mapstate *st = lua_touserdata(L, 1);
    lua_Integer n, i;
    int t = lua_type(L, 2);
    const char *fn = st->o->reduce ? "reduce" : "map";
    if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, 2)))
        return 0;
    if (t != LUA_TTABLE)
        return luaL_error(L, "%s must return nil, a table or a list of tables, not a %s",
                          fn, luaL_typename(L, 2));
    lua_pushnil(L);
    if (!lua_next(L, 2))
        return 0;                                   /* {}: an empty list */
    lua_pop(L, 2);
    n = lnd_json_array_len(L, 2);
    lua_rawgeti(L, 2, 1);
    if (n == 0 || lua_type(L, -1) != LUA_TTABLE) {
        put_record(L, st, 2, 3);
        return 0;
    }
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, 2, i);
        if (lua_type(L, -1) != LUA_TTABLE)
            return luaL_error(L, "item %I of the list %s returned is a %s, not a table",
                              (LUAI_UACINT)i, fn, luaL_typename(L, -1));
        put_record(L, st, lua_gettop(L), 3);
        lua_pop(L, 1);
    }
    return 0;
}

/* ---- the loop ------------------------------------------------------------------ */

/* Run the C function f(st, the nvalues values at top) under lua_pcall,
 * leaving nres results or the message.  Returns 0 or -1. */
static int protected(lua_State *L, lua_CFunction f, mapstate *st, int nvalues, int nres)
{
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, st);
    lua_rotate(L, -(nvalues + 2), 2);                /* f, st, values */
    return lua_pcall(L, 1 + nvalues, nres, 0) == LUA_OK ? 0 : -1;
}

/* Emit the call's results at top (value, key): encode them, then write
 * them all.  `where` prefixes a message ("finish: "); NULL for map(),
 * whose prefix where_text makes from the label value at labelidx.
 * Returns ND_OK, ND_ESCRIPT (message printed) or ND_EIO.  [-2, +0] */
static int emit(lua_State *L, mapstate *st, FILE *out, FILE *err, const char *where,
                int labelidx, lnd_map_stats *s)
{
    const char *cmd = st->o->reduce ? "reduce" : "map";
    char buf[200];
    st->out.len = 0;
    st->nout = 0;
    if (protected(L, encode, st, 2, 0) != 0) {
        if (!where)
            where = where_text(L, st, labelidx, buf, sizeof buf);
        fprintf(err, "newsdesk %s: %s%s\n", cmd, where, lua_tostring(L, -1));
        lua_pop(L, 1);
        return ND_ESCRIPT;
    }
    s->records += st->nout;
    if (st->out.len && fwrite(st->out.ptr, 1, st->out.len, out) != st->out.len)
        return ND_EIO;
    return ND_OK;
}

/* Call the environment's function `name` with the nargs values at top,
 * leaving two results.  [-nargs, +2, or +0 on failure] */
static int call_global(nd_runtime *rt, const char *name, int nargs)
{
    lua_State *L = nd_runtime_lua(rt);
    nd_runtime_pushenv(rt);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
    lua_rotate(L, -(nargs + 1), 1);
    return nd_runtime_pcall(rt, nargs, 2);
}

static int has_function(nd_runtime *rt, const char *name)
{
    lua_State *L = nd_runtime_lua(rt);
    int yes;
    nd_runtime_pushenv(rt);
    lua_getfield(L, -1, name);
    yes = lua_isfunction(L, -1);
    lua_pop(L, 2);
    return yes;
}

/* Call name(args at top) and emit what it returns; report a failure with
 * `where` (NULL: as emit says).  Counts the failure; returns ND_OK when the
 * run may go on.  */
static int call_and_emit(nd_runtime *rt, mapstate *st, const char *name, int nargs,
                         FILE *out, FILE *err, const char *where, lnd_map_stats *s)
{
    lua_State *L = nd_runtime_lua(rt);
    int labelidx = lua_gettop(L) - nargs;
    char buf[200];
    int rc = call_global(rt, name, nargs);
    if (rc == ND_OK)
        rc = emit(L, st, out, err, where, labelidx, s);
    else
        fprintf(err, "newsdesk %s: %s%s\n", st->o->reduce ? "reduce" : "map",
                where ? where : where_text(L, st, labelidx, buf, sizeof buf),
                nd_runtime_errmsg(rt));
    if (rc != ND_OK && rc != ND_EIO) {
        s->failed++;
        if (st->o->keep_going)
            rc = ND_OK;
    }
    return rc;
}

/* Where a group of reduce input starts: its key and first line. */
typedef struct group {
    nd_buf key;
    uint64_t first, last;  /* line numbers, offset included */
    int open;
} group;

/* Call reduce(key, records) for the group whose records list is at
 * `list`; replaces the list by a new empty one.  [-0, +0] */
static int flush_group(nd_runtime *rt, mapstate *st, group *g, int list,
                       FILE *out, FILE *err, lnd_map_stats *s)
{
    lua_State *L = nd_runtime_lua(rt);
    char where[200];
    int rc;
    if (!g->open)
        return ND_OK;
    g->open = 0;
    s->groups++;
    snprintf(where, sizeof where, "%s:%llu-%llu: key \"%.*s\": ", st->o->input_name,
             (unsigned long long)g->first, (unsigned long long)g->last,
             (int)(g->key.len < 100 ? g->key.len : 100), g->key.len ? g->key.ptr : "");
    lua_pushlstring(L, g->key.ptr, g->key.len);
    lua_pushvalue(L, list);
    lua_newtable(L);
    lua_replace(L, list);
    rc = call_and_emit(rt, st, "reduce", 2, out, err, where, s);
    return rc;
}

int lnd_map_run(nd_runtime *rt, FILE *in, FILE *out, FILE *err,
                const lnd_map_opts *o, lnd_map_stats *s)
{
    lua_State *L = nd_runtime_lua(rt);
    mapstate st;
    group g = { ND_BUF_INIT, 0, 0, 0 };
    const char *cmd = o->reduce ? "reduce" : "map";
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = ND_OK, top = lua_gettop(L), list = top + 1, keyed = o->keyed_input || o->reduce;
    memset(s, 0, sizeof *s);
    memset(&st, 0, sizeof st);
    st.o = o;
    if (!has_function(rt, cmd))
        return ND_ENOTFOUND;
    if (!isatty(fileno(out)))
        setvbuf(out, NULL, _IOFBF, 1 << 16);
    lua_newtable(L);                                 /* list: the records of a group */
    while (rc == ND_OK && (len = getline(&line, &cap, in)) >= 0) {
        size_t k = 0, klen = 0;
        const char *key = NULL, *tab;
        uint64_t lineno = ++s->lines + o->line_offset;
        if (s->lines == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
            k = 3;                                  /* a byte-order mark */
        if (!keyed)
            while (k < (size_t)len && strchr(" \t\r\n", line[k]))
                k++;
        else if (strspn(line + k, "\r\n") == (size_t)len - k)
            k = (size_t)len;
        if (k == (size_t)len)
            continue;                               /* blank line */
        st.line = line + k;
        st.len = (size_t)len - k;
        if (keyed) {
            tab = memchr(st.line, '\t', st.len);
            if (!tab) {
                fprintf(err, "newsdesk %s: %s:%llu: expected KEY<TAB>JSON, found no TAB; line skipped\n",
                        cmd, o->input_name, (unsigned long long)lineno);
                s->malformed++;
                continue;
            }
            key = st.line;
            klen = (size_t)(tab - st.line);
            st.len -= klen + 1;
            st.line = tab + 1;
        }
        if (protected(L, decode, &st, 0, 2) != 0) {
            if (st.err.what)
                fprintf(err, "newsdesk %s: %s:%llu: malformed JSON at column %llu: %s; line skipped\n",
                        cmd, o->input_name, (unsigned long long)lineno,
                        (unsigned long long)(st.line - line) + st.err.at + 1, st.err.what);
            else
                fprintf(err, "newsdesk %s: %s:%llu: %s; line skipped\n", cmd, o->input_name,
                        (unsigned long long)lineno, lua_tostring(L, -1));
            lua_settop(L, list);
            s->malformed++;
            continue;
        }
        s->articles++;
        if (o->reduce) {
            lua_remove(L, list + 1);                 /* the label value */
            if (g.open && (g.key.len != klen || memcmp(g.key.ptr, key, klen) != 0)) {
                rc = flush_group(rt, &st, &g, list, out, err, s);
                lua_settop(L, list + 1);
            }
            if (!g.open) {
                g.key.len = 0;
                if (nd_buf_append(&g.key, key, klen) != ND_OK) {
                    rc = ND_ENOMEM;
                    break;
                }
                g.open = 1;
                g.first = lineno;
            }
            g.last = lineno;
            lua_rawseti(L, list, (lua_Integer)lua_rawlen(L, list) + 1);
        } else {
            st.lineno = lineno;
            if (keyed)
                lua_pushlstring(L, key, klen);
            rc = call_and_emit(rt, &st, "map", keyed ? 2 : 1, out, err, NULL, s);
        }
        lua_settop(L, list);
    }
    if (rc == ND_OK)
        rc = flush_group(rt, &st, &g, list, out, err, s);
    if (rc == ND_OK && has_function(rt, "finish")) {
        rc = call_and_emit(rt, &st, "finish", 0, out, err, "finish: ", s);
    }
    lua_settop(L, top);
    if (fflush(out) != 0 && rc == ND_OK)
        rc = ND_EIO;
    if (rc == ND_EIO)
        fprintf(err, "newsdesk %s: cannot write the output\n", cmd);
    else if (rc == ND_ENOMEM)
        fprintf(err, "newsdesk %s: not enough memory\n", cmd);
    if (rc == ND_OK && s->failed)
        rc = ND_ESCRIPT;
    if (rc == ND_OK && s->malformed && !o->skip_malformed)
        rc = ND_ESYNTAX;
    if (!o->quiet || rc != ND_OK) {
        fprintf(err, "newsdesk %s: read %llu lines (%llu %s",
                cmd, (unsigned long long)s->lines, (unsigned long long)s->articles,
                o->reduce ? "records" : "articles");
        if (o->reduce)
            fprintf(err, " in %llu groups", (unsigned long long)s->groups);
        fprintf(err, "), wrote %llu records, skipped %llu malformed lines%s, %llu errors%s\n",
                (unsigned long long)s->records, (unsigned long long)s->malformed,
                s->malformed && o->skip_malformed ? " (--skip-malformed)" : "",
                (unsigned long long)s->failed,
                rc == ND_OK ? "" : rc == ND_ESYNTAX ? "; failed: malformed input"
                : o->keep_going || rc == ND_EIO || rc == ND_ENOMEM ? "; failed" : "; stopped at the first error");
    }
    free(line);
    nd_buf_free(&st.out);
    nd_buf_free(&g.key);
    return rc;
}

/* ---- one part of a file --------------------------------------------------------------- */

/* The first line start at or after byte `at` of the n bytes at p. */
static size_t line_start(const char *p, size_t n, size_t at)
{
    const char *nl;
    if (at == 0 || at >= n || p[at - 1] == '\n')
        return at < n ? at : n;
    nl = memchr(p + at, '\n', n - at);
    return nl ? (size_t)(nl - p) + 1 : n;
}

int lnd_map_part_open(int fd, uint64_t k, uint64_t n, lnd_map_part *part)
{
    struct stat sb;
    size_t size, chunk, start, end, at;
    const char *p, *nl;
    memset(part, 0, sizeof *part);
    if (k < 1 || k > n)
        return ND_EINVAL;
    if (fstat(fd, &sb) != 0)
        return ND_EIO;
    if (!S_ISREG(sb.st_mode))
        return ND_EINVAL;
    size = (size_t)sb.st_size;
    if (size == 0)                                  /* an empty file: an empty part */
        return (part->in = fopen("/dev/null", "r")) ? ND_OK : ND_EIO;
    p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return ND_EIO;
    part->map = (void *)p;
    part->map_len = size;
    /* split -n l/K/N's parts: N-1 chunks of size/N bytes, the rest in the
     * last, each line in the chunk of its first byte; a file smaller than
     * N bytes is all part 1 */
    chunk = size / (size_t)n;
    if (chunk == 0) {
        start = k == 1 ? 0 : size;
        end = size;
    } else {
        start = line_start(p, size, (size_t)(k - 1) * chunk);
        end = k == n ? size : line_start(p, size, (size_t)k * chunk);
    }
    for (at = 0; at < start && (nl = memchr(p + at, '\n', start - at)) != NULL; at = (size_t)(nl - p) + 1)
        part->lines_before++;
    if (start < end) {
        part->in = fmemopen((void *)(p + start), end - start, "r");
        if (!part->in)
            goto fail;
    } else if (!(part->in = fopen("/dev/null", "r"))) {
        goto fail;
    }
    return ND_OK;
fail:
    lnd_map_part_close(part);
    return ND_EIO;
}

void lnd_map_part_close(lnd_map_part *part)
{
    if (part->in)
        fclose(part->in);
    if (part->map)
        munmap(part->map, part->map_len);
    memset(part, 0, sizeof *part);
}
