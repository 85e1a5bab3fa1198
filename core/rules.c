/*
 * rules.c — building a rule set: rules, gazetteer entries and names (a trie
 * over fold keys plus a deletion index for fuzzy names), token patterns, and
 * the rule-set key.  Scanning lives in match.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "rules_internal.h"

int nd__edges_set(nd__edges *m, uint32_t key, uint32_t val)
{
    size_t i;
    if ((m->n + 1) * 4 > m->cap * 3) {                  /* keep the load under 3/4 */
        size_t cap = m->cap ? m->cap * 2 : 4096, j;
        uint64_t *slot = nd__calloc(cap, sizeof *slot);
        if (!slot) return ND_ENOMEM;
        for (j = 0; j < m->cap; j++) {
            size_t k;
            if (!m->slot[j]) continue;
            k = edge_hash((uint32_t)(m->slot[j] >> 32), cap - 1);
            while (slot[k]) k = (k + 1) & (cap - 1);
            slot[k] = m->slot[j];
        }
        nd_free(m->slot);
        m->slot = slot;
        m->cap = cap;
    }
    i = edge_hash(key, m->cap - 1);
    while (m->slot[i] && (uint32_t)(m->slot[i] >> 32) != key) i = (i + 1) & (m->cap - 1);
    if (!m->slot[i]) m->n++;
    m->slot[i] = ((uint64_t)key << 32) | val;
    return ND_OK;
}

uint64_t nd__hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 29;
    return h ? h : 1;
}

/* ---- errors and key -------------------------------------------------------- */

int nd__rules_err(nd_rules *r, int code, const char *where, const char *fmt, ...)
{
    va_list ap;
    r->err.len = 0;
    if (where && *where) {
        nd_buf_append(&r->err, where, strlen(where));
        nd_buf_append(&r->err, ": ", 2);
    }
    va_start(ap, fmt);
    nd__vbufcat(&r->err, fmt, ap);
    va_end(ap);
    nd_buf_append(&r->err, "", 1);
    return code;
}

const char *nd_rules_errmsg(const nd_rules *r)
{
    return nd__errmsg(r ? &r->err : NULL);
}

void nd_rules_feed_key(nd_rules *r, const void *p, size_t n)
{
    r->key1 = nd__hash_bytes(p, n, r->key1 ^ n);
    r->key2 = nd__hash_bytes(p, n, r->key2 + 0x9E3779B97F4A7C15ull * (n + 1));
}

static void feed_str(nd_rules *r, const char *s)
{
    nd_rules_feed_key(r, s ? s : "\1", s ? strlen(s) + 1 : 1);
}

static void feed_int(nd_rules *r, long long v)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%lld;", v);
    nd_rules_feed_key(r, b, (size_t)n);
}

void nd_rules_key(const nd_rules *r, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)r->key1,
             (unsigned long long)r->key2);
}

size_t nd_rules_count(const nd_rules *r) { return r->nrules; }
size_t nd_rules_names(const nd_rules *r) { return r->nnames; }

size_t nd_rules_memory(const nd_rules *r)
{
    return sizeof *r + r->strbytes + r->patbytes + r->caprules * sizeof *r->rules + r->capentries * sizeof *r->entries +
           r->edges.cap * sizeof(uint64_t) + (r->root2 ? 65536 * sizeof(uint32_t) : 0) + (r->tri ? 1u << 21 : 0) +
           r->capnodes * sizeof(uint32_t) + r->captnode * sizeof(nd__tnode) +
           r->cappay * sizeof(payload) + r->fzkeys.cap + r->capfz * sizeof(fz_name) +
           r->capfzl * sizeof(fz_link) + r->fzmap.cap * (sizeof(uint64_t) + sizeof(uint32_t));
}

/* ---- memory account (nd_rules_set_account) ------------------------------------
 *
 * An add first reserves the most it can grow nd_rules_memory(r) by, then
 * settles: gives back what it did not use.  The bounds follow the growth of
 * each table: nd__grow and nd_buf double (from 16 and 64 slots), the deep
 * edges double from 4096 at 3/4 load (nd__edges_set), the fuzzy map from
 * 1024 at 1/2 load (nd__map_put); test_rules checks the bounds hold. */

/* Slots a table doubling from `first` has once it holds `need`. */
static size_t doubled(size_t cap, size_t need, size_t first)
{
    while (cap < need)
        cap = cap ? cap * 2 : first;
    return cap;
}

/* Reserve `bytes` on r's account before an add.  ND_OK, or ND_ELIMIT with
 * the message when the account refuses. */
static int reserve(nd_rules *r, size_t bytes)
{
    if (!r->account)
        return ND_OK;
    if (bytes > PTRDIFF_MAX || r->account(r->account_ud, (ptrdiff_t)bytes) != 0)
        return nd__rules_err(r, ND_ELIMIT, NULL, "memory limit: the rule set (%zu bytes) cannot grow by up to %zu bytes",
                             nd_rules_memory(r), bytes);
    r->charged += bytes;
    return ND_OK;
}

/* After an add: the account holds nd_rules_memory(r) again. */
static void settle(nd_rules *r)
{
    size_t now = nd_rules_memory(r);
    if (r->account && r->charged > now) {
        r->account(r->account_ud, -(ptrdiff_t)(r->charged - now));
        r->charged = now;
    }
}

/* The most adding a name whose key is k bytes to entry ent can grow r by. */
static size_t name_bound(const nd_rules *r, unsigned ent, size_t k)
{
    const entry *e = &r->entries[ent];
    size_t b = 0, edges = r->edges.n + k;
    if (!r->root2)
        b += 65536 * sizeof *r->root2 + ((size_t)1 << 21);
    b += (doubled(r->capnodes, r->nnodes + k, 16) - r->capnodes) * sizeof *r->term;
    b += (doubled(r->captnode, r->nnodes + k, 16) - r->captnode) * sizeof *r->tnode;
    b += (doubled(r->edges.cap, (edges * 4 + 2) / 3, 4096) - r->edges.cap) * sizeof *r->edges.slot;
    b += (doubled(r->cappay, r->npay + 1, 16) - r->cappay) * sizeof *r->pay;
    if (!e->own_id && !r->rules[e->rule].id)
        b += k + 1;                      /* the id: the first name's key */
    if (r->rules[e->rule].fuzzy) {
        b += (doubled(r->capfz, r->nfz + 1, 16) - r->capfz) * sizeof *r->fz;
        b += (doubled(r->capfzl, r->nfzl + k + 1, 16) - r->capfzl) * sizeof *r->fzl;
        b += doubled(r->fzkeys.cap, r->fzkeys.len + k + 1, 64) - r->fzkeys.cap;
        b += (doubled(r->fzmap.cap, 2 * (r->fzmap.n + k + 1), 1024) - r->fzmap.cap) *
             (sizeof *r->fzmap.keys + sizeof *r->fzmap.vals);
    }
    return b;
}

static size_t str_bytes(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* The adds themselves (below); the public nd_rules_add_* at the end of
 * the file wrap each in reserve/settle. */
static int add_rule(nd_rules *r, const nd_rule_def *d, unsigned *index);
static int add_entry(nd_rules *r, unsigned ri, const char *type, const char *id, unsigned *index);
static int add_name(nd_rules *r, unsigned ent, const char *s, size_t len);
static int add_pattern(nd_rules *r, unsigned ri, const nd_pattern_elem *e, size_t n);
static int name_key(nd_rules *r, const char *s, size_t len);

int nd_rules_set_account(nd_rules *r, nd_rules_account_fn fn, void *ud)
{
    if (r->account && r->charged)
        r->account(r->account_ud, -(ptrdiff_t)r->charged);
    r->account = NULL;
    r->charged = 0;
    if (!fn)
        return ND_OK;
    if (fn(ud, (ptrdiff_t)nd_rules_memory(r)) != 0)
        return nd__rules_err(r, ND_ELIMIT, NULL, "memory limit: the rule set holds %zu bytes", nd_rules_memory(r));
    r->account = fn;
    r->account_ud = ud;
    r->charged = nd_rules_memory(r);
    return ND_OK;
}

/* ---- life cycle ------------------------------------------------------------ */

int nd_rules_new(nd_rules **out)
{
    nd_rules *r;
    *out = NULL;
    r = nd__calloc(1, sizeof *r);
    if (!r) return ND_ENOMEM;
    r->nnodes = 1;                      /* the root */
    if (GROW(r->term, r->capnodes, 1024) != ND_OK) {
        nd_free(r);
        return ND_ENOMEM;
    }
    r->term[0] = 0;
    if (GROW(r->tnode, r->captnode, 1024) != ND_OK) {
        nd_free(r->term);
        nd_free(r);
        return ND_ENOMEM;
    }
    memset(&r->tnode[0], 0, sizeof r->tnode[0]);
    r->key1 = 0xcbf29ce484222325ull;
    r->key2 = 0x84222325cbf29ce4ull;
    *out = r;
    return ND_OK;
}

static void free_elems(pelem *e, size_t n)
{
    size_t i, j;
    for (i = 0; i < n; i++) {
        for (j = 0; j < e[i].nalts + e[i].nexcept; j++) nd_free(e[i].alts[j]);
        nd_free(e[i].alts);
        nd_free(e[i].altlen);
        nd_free(e[i].altcaps);
    }
    nd_free(e);
}

void nd_rules_free(nd_rules *r)
{
    size_t i;
    if (!r) return;
    if (r->account && r->charged)
        r->account(r->account_ud, -(ptrdiff_t)r->charged);
    for (i = 0; i < r->nrules; i++) {
        nd_free(r->rules[i].name);
        nd_free(r->rules[i].type);
        nd_free(r->rules[i].id);
        free_elems(r->rules[i].elems, r->rules[i].nelems);
    }
    for (i = 0; i < r->nentries; i++) {
        nd_free(r->entries[i].own_type);
        nd_free(r->entries[i].own_id);
    }
    nd_free(r->rules);
    nd_free(r->entries);
    nd_free(r->edges.slot);
    nd_free(r->root2);
    nd_free(r->tri);
    nd_free(r->term);
    nd_free(r->tnode);
    nd_free(r->pay);
    nd_buf_free(&r->fzkeys);
    nd_free(r->fz);
    nd_free(r->fzl);
    nd__map_free(&r->fzmap);
    nd_buf_free(&r->err);
    nd_buf_free(&r->tmp);
    nd_buf_free(&r->tmpkey);
    nd_offmap_free(r->tmpmap);
    nd_free(r);
}

/* ---- rules and entries ----------------------------------------------------- */

static char *dupstr(const char *s)
{
    return s ? nd__strndup(s, strlen(s)) : NULL;
}

static int add_rule(nd_rules *r, const nd_rule_def *d, unsigned *index)
{
    rule *ru;
    char name[32];
    if (!d->type || !*d->type)
        return nd__rules_err(r, ND_EINVAL, d->where, "rule has no type");
    if (d->fuzzy > 1)
        return nd__rules_err(r, ND_EINVAL, d->where, "fuzzy must be 0 or 1, not %u", d->fuzzy);
    if (GROW(r->rules, r->caprules, r->nrules + 1) != ND_OK)
        return nd__rules_err(r, ND_ENOMEM, NULL, "out of memory");
    ru = &r->rules[r->nrules];
    memset(ru, 0, sizeof *ru);
    snprintf(name, sizeof name, "rule %zu", r->nrules + 1);
    ru->name = dupstr(d->name ? d->name : name);
    ru->type = dupstr(d->type);
    ru->id = dupstr(d->id);
    if (!ru->name || !ru->type || (d->id && !ru->id)) {
        nd_free(ru->name);
        nd_free(ru->type);
        nd_free(ru->id);
        return nd__rules_err(r, ND_ENOMEM, NULL, "out of memory");
    }
    ru->priority = d->priority;
    ru->fuzzy = d->fuzzy;
    ru->flags = d->flags;
    if (d->flags & ND_RULE_SUFFIXES_TR) r->any_tr = 1;
    feed_str(r, "R");
    feed_str(r, ru->name);
    feed_str(r, ru->type);
    feed_str(r, ru->id);
    feed_int(r, d->priority);
    feed_int(r, (long long)d->fuzzy);
    feed_int(r, (long long)d->flags);
    if (index) *index = (unsigned)r->nrules;
    r->nrules++;
    return ND_OK;
}

static int add_entry(nd_rules *r, unsigned ri, const char *type, const char *id, unsigned *index)
{
    entry *e;
    if (ri >= r->nrules)
        return nd__rules_err(r, ND_EINVAL, NULL, "no rule %u", ri);
    if (GROW(r->entries, r->capentries, r->nentries + 1) != ND_OK)
        return nd__rules_err(r, ND_ENOMEM, NULL, "out of memory");
    e = &r->entries[r->nentries];
    memset(e, 0, sizeof *e);
    e->rule = ri;
    if (type && *type) {
        if (!(e->own_type = dupstr(type)))
            return nd__rules_err(r, ND_ENOMEM, NULL, "out of memory");
    }
    if (id) {
        if (!(e->own_id = dupstr(id))) {
            nd_free(e->own_type);
            return nd__rules_err(r, ND_ENOMEM, NULL, "out of memory");
        }
    }
    feed_str(r, "E");
    feed_int(r, ri);
    feed_str(r, type);
    feed_str(r, id);
    if (index) *index = (unsigned)r->nentries;
    r->nentries++;
    return ND_OK;
}

/* Entry strings are resolved lazily because rules may move when the rules
 * array grows. */
const char *nd__entry_type(const nd_rules *r, const entry *e)
{
    return e->own_type ? e->own_type : r->rules[e->rule].type;
}
const char *nd__entry_id(const nd_rules *r, const entry *e)
{
    return e->own_id ? e->own_id : r->rules[e->rule].id;
}

/* The name key of s: fold, key stream, trailing gap trimmed, hyphen -> space.
 * Result in r->tmpkey.  ND_OK, ND_EINVAL (empty), ND_ENOMEM. */
static int name_key(nd_rules *r, const char *s, size_t len)
{
    size_t i;
    nd_buf *k = &r->tmpkey;
    if (!r->tmpmap && !(r->tmpmap = nd_offmap_new())) return ND_ENOMEM;
    if (nd_text_fold(&r->tmp, s, len, 0, r->tmpmap) != ND_OK) return ND_ENOMEM;
    if (nd__rules_keystream(r->tmp.ptr ? r->tmp.ptr : "", r->tmp.len, s, r->tmpmap, k, NULL, NULL) != ND_OK)
        return ND_ENOMEM;
    while (k->len && KEY_IS_GAP(k->ptr[k->len - 1])) k->len--;
    for (i = 0; i < k->len; i++)
        if (k->ptr[i] == '-') k->ptr[i] = ' ';
    if (k->ptr) k->ptr[k->len] = '\0';
    return k->len ? ND_OK : ND_EINVAL;
}

static int new_node(nd_rules *r, uint32_t *node)
{
    if (r->nnodes >= TRIE_MAXNODES) return ND_ELIMIT;
    if (GROW(r->term, r->capnodes, r->nnodes + 1) != ND_OK) return ND_ENOMEM;
    if (GROW(r->tnode, r->captnode, r->nnodes + 1) != ND_OK) return ND_ENOMEM;
    r->term[r->nnodes] = 0;
    memset(&r->tnode[r->nnodes], 0, sizeof r->tnode[r->nnodes]);
    *node = (uint32_t)r->nnodes++;
    return ND_OK;
}

static int add_fuzzy(nd_rules *r, uint32_t ent, const char *k, size_t n)
{
    size_t i, letters = 0, words = 1;
    uint32_t idx;
    uint64_t *hs;
    for (i = 0; i < n; i++) {
        if (k[i] == ' ' || k[i] == '|') words++;
        else if (k[i] != '\'' && ((unsigned char)k[i] < 0x80 || ((unsigned char)k[i] & 0xC0) == 0xC0))
            letters++;
    }
    if (letters < ND_RULES_FUZZY_MIN) return ND_OK;
    if (GROW(r->fz, r->capfz, r->nfz + 1) != ND_OK) return ND_ENOMEM;
    if (GROW(r->fzl, r->capfzl, r->nfzl + n + 1) != ND_OK) return ND_ENOMEM;
    idx = (uint32_t)r->nfz;
    r->fz[idx].off = r->fzkeys.len;
    r->fz[idx].len = n;
    r->fz[idx].entry = ent;
    if (nd_buf_append(&r->fzkeys, k, n) != ND_OK) return ND_ENOMEM;
    k = r->fzkeys.ptr + r->fz[idx].off;
    r->nfz++;
    hs = nd__malloc(3 * (n + 1) * sizeof *hs);
    if (!hs) return ND_ENOMEM;
    nd__fz_hashes(k, n, hs + n + 1, hs + 2 * (n + 1), hs);
    /* the key itself (i == n) and every one-byte deletion */
    for (i = 0; i <= n; i++) {
        uint64_t h = hs[i];
        uint32_t link = (uint32_t)r->nfzl;
        if (i < n && i > 0 && k[i] == k[i - 1]) continue;   /* same string as i-1 */
        r->fzl[link].name = idx;
        r->fzl[link].next = nd__map_get(&r->fzmap, h);
        if (nd__map_put(&r->fzmap, h, link + 1) != ND_OK) {
            nd_free(hs);
            return ND_ENOMEM;
        }
        r->nfzl++;
    }
    nd_free(hs);
    if (!r->fz_minlen || n < r->fz_minlen) r->fz_minlen = n;
    if (n > r->fz_maxlen) r->fz_maxlen = n;
    if (words <= 32) r->fz_ntok |= 1u << (words - 1);
    return ND_OK;
}

/* Set the deep edge leaving node with byte c to v (is_new: it did not
 * exist): in node's line while it has room, else in the deep table. */
static int deep_set(nd_rules *r, uint32_t node, unsigned c, uint32_t v, int is_new)
{
    nd__tnode *t = &r->tnode[node];
    unsigned j;
    for (j = 0; j < t->nkids && j < TNODE_INLINE; j++)
        if (t->byte[j] == c) break;
    if (j < TNODE_INLINE && (j < t->nkids || is_new)) {
        t->byte[j] = (uint8_t)c;
        t->val[j] = v;
    } else if (nd__edges_set(&r->edges, node << 8 | c, v) != ND_OK) {
        return ND_ENOMEM;
    }
    if (is_new && t->nkids < 0xff) t->nkids++;
    return ND_OK;
}

static int add_name(nd_rules *r, unsigned ent, const char *s, size_t len)
{
    const rule *ru;
    uint32_t node = 0, p;
    size_t i;
    int rc;
    if (ent >= r->nentries)
        return nd__rules_err(r, ND_EINVAL, NULL, "no entry %u", ent);
    ru = &r->rules[r->entries[ent].rule];
    if (!r->root2) {                    /* the direct tables come with the first name */
        r->root2 = nd__calloc(65536, sizeof *r->root2);
        r->tri = nd__calloc(1u << 21, 1);
        if (!r->root2 || !r->tri) {
            nd_free(r->root2);
            nd_free(r->tri);
            r->root2 = NULL;
            r->tri = NULL;
            goto nomem;
        }
    }
    rc = name_key(r, s, len);
    if (rc == ND_EINVAL)
        return nd__rules_err(r, rc, NULL, "empty name \"%.*s\" in rule '%s'", (int)(len > 60 ? 60 : len), s, ru->name);
    if (rc != ND_OK) goto nomem;
    for (i = 0; i < r->tmpkey.len; i++) {
        unsigned char c = (unsigned char)r->tmpkey.ptr[i];
        uint32_t *slot = NULL, v, old, child;
        if (i == 2) {
            uint32_t t = (uint32_t)(unsigned char)r->tmpkey.ptr[0] << 16 |
                         (uint32_t)(unsigned char)r->tmpkey.ptr[1] << 8 | c;
            r->tri[t >> 3] |= (uint8_t)(1u << (t & 7));
        }
        if (i == 0) slot = &r->root[c];
        else if (i == 1) slot = &r->root2[(unsigned char)r->tmpkey.ptr[0] << 8 | c];
        v = slot ? *slot : nd__deep_get(r, node, c);
        old = v;
        if (!v) {
            if ((rc = new_node(r, &child)) != ND_OK) goto fail;
            v = child;
        }
        if (i + 1 == r->tmpkey.len) v |= TRIE_TERM;      /* a name ends here */
        if (v != old) {
            if (slot) *slot = v;
            else if (deep_set(r, node, c, v, !old) != ND_OK) goto nomem;
        }
        node = v & TRIE_NODE;
    }
    for (p = r->term[node]; p; p = r->pay[p - 1].next)
        if (r->pay[p - 1].entry == ent) return ND_OK;          /* already there */
    if (GROW(r->pay, r->cappay, r->npay + 1) != ND_OK) goto nomem;
    r->pay[r->npay].entry = ent;
    r->pay[r->npay].next = r->term[node];
    r->term[node] = (uint32_t)++r->npay;
    r->nnames++;
    if (!nd__entry_id(r, &r->entries[ent])) {        /* no id given: the first name's key */
        if (!(r->entries[ent].own_id = nd__strndup(r->tmpkey.ptr, r->tmpkey.len))) goto nomem;
    }
    feed_str(r, "N");
    feed_int(r, ent);
    feed_str(r, r->tmpkey.ptr);
    if (ru->fuzzy && add_fuzzy(r, ent, r->tmpkey.ptr, r->tmpkey.len) != ND_OK) goto nomem;
    return ND_OK;
nomem:
    rc = ND_ENOMEM;
fail:
    if (rc == ND_ELIMIT)
        return nd__rules_err(r, rc, NULL, "too many names: the trie is limited to %u nodes", TRIE_MAXNODES);
    return nd__rules_err(r, ND_ENOMEM, NULL, "out of memory");
}

/* ---- patterns -------------------------------------------------------------- */

static const char *test_name(int t)
{
    switch (t) {
    case ND_TEST_LITERAL: return "literal";
    case ND_TEST_CAP: return "cap";
    case ND_TEST_UPPER: return "upper";
    case ND_TEST_NUMBER: return "number";
    case ND_TEST_WORD: return "word";
    case ND_TEST_ANY: return "any";
    default: return NULL;
    }
}

/* Which words of literal w (as written) start with a capital: bit k for
 * word k of its key (words are what the key parts at gaps and hyphens).
 * A letter that is not lower case counts as a capital, so scripts without
 * case never restrict a match.  ND_OK or ND_ENOMEM; *caps is 0 on error. */
static int literal_caps(nd_rules *r, const char *w, size_t len, uint64_t *caps)
{
    size_t *kmap = NULL, kcap = 0, k, word = 0;
    int rc = ND_ENOMEM;
    *caps = 0;
    if (!r->tmpmap && !(r->tmpmap = nd_offmap_new())) return ND_ENOMEM;
    if (nd_text_fold(&r->tmp, w, len, 0, r->tmpmap) != ND_OK) goto done;
    if (nd__rules_keystream(r->tmp.ptr ? r->tmp.ptr : "", r->tmp.len, w, r->tmpmap, &r->tmpkey, &kmap,
                            &kcap) != ND_OK)
        goto done;
    for (k = 0; k < r->tmpkey.len && word < 64; k++) {
        size_t oa, ob;
        int32_t cp;
        if (KEY_IS_GAP(r->tmpkey.ptr[k]) || r->tmpkey.ptr[k] == '\'') continue;
        if (k > 0 && !KEY_IS_GAP(r->tmpkey.ptr[k - 1])) continue;        /* not a word start */
        if (nd_offmap_original(r->tmpmap, kmap[k], kmap[k] + 1, &oa, &ob) == ND_OK && oa < len &&
            utf8proc_iterate((const utf8proc_uint8_t *)w + oa, (utf8proc_ssize_t)(len - oa), &cp) > 0 &&
            utf8proc_category(cp) != UTF8PROC_CATEGORY_LL)
            *caps |= (uint64_t)1 << word;
        word++;
    }
    rc = ND_OK;
done:
    nd_free(kmap);
    return rc;
}

static int add_pattern(nd_rules *r, unsigned ri, const nd_pattern_elem *e, size_t n)
{
    rule *ru;
    pelem *pe = NULL;
    size_t i, j, nw, ne, required = 0;
    int rc = ND_OK;
    if (ri >= r->nrules)
        return nd__rules_err(r, ND_EINVAL, NULL, "no rule %u", ri);
    ru = &r->rules[ri];
    if (ru->elems)
        return nd__rules_err(r, ND_EINVAL, NULL, "rule '%s' already has a pattern", ru->name);
    if (n == 0)
        return nd__rules_err(r, ND_EINVAL, NULL, "rule '%s': empty pattern can match nothing", ru->name);
    pe = nd__calloc(n, sizeof *pe);
    if (!pe) goto nomem;
    for (i = 0; i < n; i++) {
        if (!test_name(e[i].test)) {
            rc = nd__rules_err(r, ND_EINVAL, NULL, "rule '%s': unknown token test %d in element %zu",
                               ru->name, e[i].test, i + 1);
            goto done;
        }
        if (e[i].max == 0 || e[i].min > e[i].max) {
            rc = nd__rules_err(r, ND_EINVAL, NULL, "rule '%s': element %zu repeats %u to %u times",
                               ru->name, i + 1, e[i].min, e[i].max);
            goto done;
        }
        pe[i].test = e[i].test;
        pe[i].min = e[i].min;
        pe[i].max = e[i].max;
        pe[i].mark = e[i].mark;
        if (e[i].min > 0) required++;
        if (e[i].test == ND_TEST_LITERAL && e[i].nwords == 0) {
            rc = nd__rules_err(r, ND_EINVAL, NULL, "rule '%s': element %zu has no words", ru->name, i + 1);
            goto done;
        }
        nw = e[i].test == ND_TEST_LITERAL ? e[i].nwords : 0;
        ne = e[i].test == ND_TEST_LITERAL ? 0 : e[i].nexcept;
        if (nw + ne == 0) continue;
        pe[i].alts = nd__calloc(nw + ne, sizeof *pe[i].alts);
        pe[i].altlen = nd__calloc(nw + ne, sizeof *pe[i].altlen);
        pe[i].altcaps = nd__calloc(nw + ne, sizeof *pe[i].altcaps);
        if (!pe[i].alts || !pe[i].altlen || !pe[i].altcaps) goto nomem;
        pe[i].nalts = nw;
        pe[i].nexcept = ne;
        for (j = 0; j < nw + ne; j++) {
            size_t k;
            const nd_str *w = j < nw ? &e[i].words[j] : &e[i].except[j - nw];
            int krc;
            if (j < nw && literal_caps(r, w->ptr ? w->ptr : "", w->len, &pe[i].altcaps[j]) != ND_OK)
                goto nomem;
            krc = name_key(r, w->ptr ? w->ptr : "", w->len);
            if (krc == ND_EINVAL) {
                rc = nd__rules_err(r, ND_EINVAL, NULL, "rule '%s': empty word in element %zu",
                                   ru->name, i + 1);
                goto done;
            }
            if (krc != ND_OK) goto nomem;
            for (k = 0; k < r->tmpkey.len; k++)      /* punctuation inside a literal: a gap */
                if (r->tmpkey.ptr[k] == '|') r->tmpkey.ptr[k] = ' ';
            if (!(pe[i].alts[j] = nd__strndup(r->tmpkey.ptr, r->tmpkey.len))) goto nomem;
            pe[i].altlen[j] = r->tmpkey.len;
            {
                uint8_t *set = j < nw ? pe[i].altfirst : pe[i].exfirst;
                unsigned char b0 = (unsigned char)r->tmpkey.ptr[0];
                set[b0 >> 3] |= (uint8_t)(1u << (b0 & 7));
            }
            feed_str(r, pe[i].alts[j]);
            feed_int(r, (long long)pe[i].altcaps[j]);
        }
    }
    if (required == 0) {
        rc = nd__rules_err(r, ND_EINVAL, NULL, "rule '%s': every element is optional, so the pattern can match nothing",
                           ru->name);
        goto done;
    }
    feed_str(r, "P");
    feed_int(r, ri);
    for (i = 0; i < n; i++) {
        feed_int(r, pe[i].test);
        feed_int(r, pe[i].min);
        feed_int(r, pe[i].max);
        feed_int(r, pe[i].mark);
        feed_int(r, (long long)pe[i].nexcept);
    }
    /* what the first token must look like, for a quick test per token */
    memset(ru->first, 0xff, sizeof ru->first);
    if (pe[0].min > 0 && pe[0].test == ND_TEST_LITERAL) {
        memset(ru->first, 0, sizeof ru->first);
        for (j = 0; j < pe[0].nalts; j++) {
            unsigned char b = (unsigned char)pe[0].alts[j][0];
            ru->first[b >> 3] |= (uint8_t)(1u << (b & 7));
        }
    }
    ru->first_cap = pe[0].min > 0 && (pe[0].test == ND_TEST_CAP || pe[0].test == ND_TEST_UPPER);
    ru->elems = pe;
    ru->nelems = n;
    pe = NULL;
    r->npatterns++;
    goto done;
nomem:
    rc = nd__rules_err(r, ND_ENOMEM, NULL, "out of memory");
done:
    if (pe) free_elems(pe, n);
    return rc;
}

/* ---- the adds, on the memory account ------------------------------------------ */

int nd_rules_add_rule(nd_rules *r, const nd_rule_def *d, unsigned *index)
{
    size_t strs = (d->name ? str_bytes(d->name) : 32) + str_bytes(d->type) + str_bytes(d->id);
    int rc = reserve(r, (doubled(r->caprules, r->nrules + 1, 16) - r->caprules) * sizeof *r->rules + strs);
    if (rc != ND_OK) return rc;
    rc = add_rule(r, d, index);
    if (rc == ND_OK) {
        const rule *ru = &r->rules[r->nrules - 1];
        r->strbytes += str_bytes(ru->name) + str_bytes(ru->type) + str_bytes(ru->id);
    }
    settle(r);
    return rc;
}

int nd_rules_add_entry(nd_rules *r, unsigned ri, const char *type, const char *id, unsigned *index)
{
    size_t strs = (type && *type ? str_bytes(type) : 0) + str_bytes(id);
    int rc = reserve(r, (doubled(r->capentries, r->nentries + 1, 16) - r->capentries) * sizeof *r->entries + strs);
    if (rc != ND_OK) return rc;
    rc = add_entry(r, ri, type, id, index);
    if (rc == ND_OK) r->strbytes += strs;
    settle(r);
    return rc;
}

int nd_rules_add_name(nd_rules *r, unsigned ent, const char *s, size_t len)
{
    const char *had;
    int rc;
    if (r->account && ent < r->nentries && name_key(r, s, len) == ND_OK &&
        (rc = reserve(r, name_bound(r, ent, r->tmpkey.len))) != ND_OK)
        return rc;
    had = ent < r->nentries ? r->entries[ent].own_id : NULL;
    rc = add_name(r, ent, s, len);
    if (rc == ND_OK && !had && r->entries[ent].own_id)
        r->strbytes += str_bytes(r->entries[ent].own_id);
    settle(r);
    return rc;
}

/* Bytes of the compiled pattern of n elements e (arrays and keys). */
static size_t pattern_bytes(nd_rules *r, const nd_pattern_elem *e, size_t n, size_t *keys)
{
    size_t i, j, b = n * sizeof(pelem);
    *keys = 0;
    for (i = 0; i < n; i++) {
        size_t nw = e[i].test == ND_TEST_LITERAL ? e[i].nwords : 0, ne = e[i].test == ND_TEST_LITERAL ? 0 : e[i].nexcept;
        b += (nw + ne) * (sizeof(char *) + sizeof(size_t) + sizeof(uint64_t));
        for (j = 0; j < nw + ne; j++) {
            const nd_str *w = j < nw ? &e[i].words[j] : &e[i].except[j - nw];
            if (name_key(r, w->ptr ? w->ptr : "", w->len) == ND_OK)
                *keys += r->tmpkey.len + 1;
        }
    }
    return b;
}

int nd_rules_add_pattern(nd_rules *r, unsigned ri, const nd_pattern_elem *e, size_t n)
{
    size_t keys = 0, arrays = 0;
    int rc;
    if (r->account && (rc = reserve(r, (arrays = pattern_bytes(r, e, n, &keys)) + keys)) != ND_OK)
        return rc;
    rc = add_pattern(r, ri, e, n);
    if (rc == ND_OK) {
        if (!r->account)
            arrays = pattern_bytes(r, e, n, &keys);
        r->patbytes += arrays;
        r->strbytes += keys;
    }
    settle(r);
    return rc;
}
