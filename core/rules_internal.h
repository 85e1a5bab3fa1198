/*
 * rules_internal.h — what core/rules.c (building) and core/match.c
 * (scanning) share.  Not installed.
 */
#ifndef ND_RULES_INTERNAL_H
#define ND_RULES_INTERNAL_H

#include <stdint.h>

#include "internal.h"
#include "nd_rules.h"

#include "nd_text.h"

/* Key stream: the fold key of a text reduced to word bytes separated by
 *   ' '  a gap of white space,      '|'  a gap holding punctuation,
 *   '-'  a hyphen between two words, '\'' an apostrophe between two words.
 * Names are stored with '-' turned into ' ', and the trie walk does the same
 * to the text, so a hyphen equals a space. */
#define KEY_IS_GAP(c) ((c) == ' ' || (c) == '|' || (c) == '-')

/* Build the key stream of folded text f[0..n) into key; kmap (optional)
 * receives the folded offset of every key byte.  orig and map (both
 * optional) are the text f was folded from and its offset map: numbers are
 * read on the original characters, as the tokenizer reads them.  ND_OK or
 * ND_ENOMEM. */
int nd__rules_keystream(const char *f, size_t n, const char *orig, const nd_offmap *map, nd_buf *key,
                        size_t **kmap, size_t *kcap);

#define GROW(arr, cap, need) nd__grow((void **)&(arr), &(cap), (need), sizeof *(arr))

uint64_t nd__hash_bytes(const void *p, size_t n, uint64_t seed);

/* Deep trie edges after a node's first TNODE_INLINE (nd__tnode): one 64-bit slot per edge, (node << 8 | byte) in the high
 * half and the edge value in the low half, so a probe touches one cache
 * line.  Node numbers stay below 2^24. */
#define TRIE_TERM 0x80000000u
#define TRIE_NODE 0x00ffffffu
#define TRIE_MAXNODES 0x00fffff0u
typedef struct nd__edges {
    uint64_t *slot;
    size_t cap, n;
} nd__edges;

int nd__edges_set(nd__edges *m, uint32_t key, uint32_t val);   /* insert or replace */

/* The home slot of key in a table of mask + 1 slots. */
static inline size_t edge_hash(uint32_t key, size_t mask)
{
    return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15ull) >> 40) & mask;
}

static inline uint32_t nd__edges_get(const nd__edges *m, uint32_t key)
{
    size_t mask = m->cap - 1, i;
    if (!m->cap) return 0;
    i = edge_hash(key, mask);
    for (;;) {
        uint64_t v = m->slot[i];
        if ((uint32_t)(v >> 32) == key) return (uint32_t)v;
        if (!v) return 0;
        i = (i + 1) & mask;
    }
}

/* A deep trie node's own edges, 16 bytes aligned so a walk step reads one
 * cache line: the first TNODE_INLINE deep edges made from the node (their
 * byte and edge value) and how many deep edges leave it (saturating at
 * 255).  Only the edges after those are in the deep table (nd__edges), so
 * it stays small: most nodes have one child. */
#define TNODE_INLINE 3
typedef struct nd__tnode {
    uint8_t nkids;
    uint8_t byte[TNODE_INLINE];
    uint32_t val[TNODE_INLINE];
} __attribute__((aligned(16))) nd__tnode;

/* Fuzzy index keys: out[i] (i < n) is the hash of k[0..n) with byte i left
 * out, out[n] the hash of k itself, all in O(n) with a polynomial hash
 * (P and W are scratch of n + 1 entries).  The hash of a string does not
 * depend on how it was made, so a name's deletions meet a text's. */
static inline uint64_t nd__fz_mix(uint64_t h)
{
    h ^= h >> 31;
    h *= 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    return h ? h : 1;
}

static inline void nd__fz_hashes(const char *k, size_t n, uint64_t *P, uint64_t *W, uint64_t *out)
{
    const uint64_t B = 0x100000001b3ull;
    size_t i;
    P[0] = 0;
    W[0] = 1;
    for (i = 0; i < n; i++) {
        P[i + 1] = P[i] * B + (unsigned char)k[i] + 1;
        W[i + 1] = W[i] * B;
    }
    for (i = 0; i < n; i++)
        out[i] = nd__fz_mix(P[i] * W[n - 1 - i] + (P[n] - P[i + 1] * W[n - 1 - i]));
    out[n] = nd__fz_mix(P[n]);
}

typedef struct rule {
    char *name, *type, *id;
    int priority;
    unsigned fuzzy, flags;
    /* pattern */
    struct pelem *elems;
    size_t nelems;
    uint8_t first[32];         /* bit b: a match can start with a token whose
                                  key starts with byte b (all set if unknown) */
    int first_cap;             /* the first element is a required cap/upper word */
} rule;

typedef struct entry {
    unsigned rule;
    const char *type, *id;     /* point into the rule's or own strings */
    char *own_type, *own_id;
} entry;

/* A compiled literal alternative: the key of a word or phrase ("dişişleri bakani"). */
typedef struct pelem {
    int test;
    char **alts;               /* NUL-terminated keys: literals, then exceptions */
    size_t *altlen;
    uint64_t *altcaps;         /* per literal: bit w set when its word w (of the
                                  first 64) is written with a capital, so the
                                  text's word must be too */
    size_t nalts, nexcept;
    uint8_t altfirst[32], exfirst[32];   /* first key bytes of alts / exceptions */
    unsigned min, max;
    int mark;
} pelem;

/* Payload of a trie node: entries ending there (linked through next). */
typedef struct payload { uint32_t entry, next; } payload;

/* Fuzzy index: hash of a name key or of one of its one-byte deletions ->
 * chain of fz_link, each naming a fuzzy name. */
typedef struct fz_name { size_t off, len; uint32_t entry; } fz_name;
typedef struct fz_link { uint32_t name, next; } fz_link;

struct nd_rules {
    rule *rules; size_t nrules, caprules;
    entry *entries; size_t nentries, capentries;
    /* trie: node 0 is the root.  An edge value is the child's node number
     * with TRIE_TERM set when names end there.  Depth 1 and 2 edges live in
     * direct tables (root[c], root2[c1 << 8 | c2]); deeper ones in tnode
     * (a node's first TNODE_INLINE) and edges (the rest). */
    uint32_t root[256];
    uint32_t *root2;           /* 65536 entries */
    uint8_t *tri;              /* bit c1 c2 c3 set: some name starts with those bytes
                                  (2 MB; spares the deep table most probes) */
    nd__edges edges;
    uint32_t *term;            /* per node: payload index + 1, or 0 */
    size_t nnodes, capnodes;
    nd__tnode *tnode;          /* per node: its first deep edges (nd__tnode);
                                  a walk step reads the node's one line, and
                                  edges only at nodes with more than
                                  TNODE_INLINE deep edges */
    size_t captnode;
    payload *pay; size_t npay, cappay;
    unsigned any_tr;           /* some rule has ND_RULE_SUFFIXES_TR */
    size_t npatterns;
    /* fuzzy */
    nd_buf fzkeys;
    fz_name *fz; size_t nfz, capfz;
    fz_link *fzl; size_t nfzl, capfzl;
    nd__map fzmap;
    size_t fz_minlen, fz_maxlen;
    uint32_t fz_ntok;          /* bit k set: some fuzzy name has k+1 words */
    size_t nnames;
    uint64_t key1, key2;
    nd_buf err;
    /* memory account (nd_rules_set_account): strings and patterns are
     * counted here, the tables by their capacities */
    nd_rules_account_fn account;
    void *account_ud;
    size_t charged;            /* what the account holds for r */
    size_t strbytes;           /* rule, entry and pattern strings */
    size_t patbytes;           /* pattern element arrays */
    nd_buf tmp, tmpkey;        /* scratch for adding names */
    nd_offmap *tmpmap;         /* the fold map of tmp */
};

/* The value of the deep edge leaving node with byte c, 0 when there is
 * none: node's line, and the deep table only when more than TNODE_INLINE
 * edges leave node. */
static inline uint32_t nd__deep_get(const nd_rules *r, uint32_t node, unsigned c)
{
    const nd__tnode *t = &r->tnode[node];
    unsigned n = t->nkids;
    /* the TNODE_INLINE (3) slots written out: the scan's walk takes this
     * step a dozen times per token start */
#if TNODE_INLINE != 3
#error "nd__deep_get tries three inline edges"
#endif
    /* a slot past nkids holds byte 0 (new nodes are zeroed, slots fill in
     * order), and no key byte is 0 (NUL is white space to the key
     * stream), so the slots are compared without counting them first */
    if (t->byte[0] == c) return t->val[0];
    if (t->byte[1] == c) return t->val[1];
    if (t->byte[2] == c) return t->val[2];
    return n <= TNODE_INLINE ? 0 : nd__edges_get(&r->edges, node << 8 | c);
}

/* An entry's type and id: its own, else its rule's. */
const char *nd__entry_type(const nd_rules *r, const entry *e);
const char *nd__entry_id(const nd_rules *r, const entry *e);

int nd__rules_err(nd_rules *r, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Turkish suffix check on code points (lower case). */
int nd__tr_suffix_ok(const char *stem, size_t stemlen, const char *rest, size_t restlen);
/* The same, with inflections != 0 leaving out the derivational suffixes
 * (-lı, -lık, -sız, -cı, -ca): 1 when rest is a chain of plural,
 * possessive, case, -ki and copula suffixes after stem. */
int nd__tr_suffix_chain(const char *stem, size_t stemlen, const char *rest, size_t restlen, int inflections);
/* Every split of the word w[0,n) (UTF-8, lower case, at most 64 code
 * points) where nd__tr_suffix_chain(w, i, w + i, n - i, 1) holds, for i
 * after w's second code point and before its end: the byte offsets i in
 * increasing order, at most max of them, in at[].  Returns how many.  One
 * pass for all splits, where calling nd__tr_suffix_chain per split
 * decodes and searches again each time. */
size_t nd__tr_inflection_splits(const char *w, size_t n, size_t *at, size_t max);
/* When the Turkish stem w[0,n) (UTF-8, lower case) is an Arabic word's
 * doubled stem before a vowel (hakk- of hak, redd- of ret), write the word
 * (NUL-terminated, at most cap bytes) to out and return its length; else 0. */
size_t nd__tr_undouble(const char *w, size_t n, char *out, size_t cap);
/* Whether w[0,n) (UTF-8, Turkish lower case, NFC) is a word of the Turkish
 * dictionary's root list (tr_roots.c): 0 when not (kiş, aras);
 * ND__TR_VERB for a verb the dictionary never gives a plural, so never a
 * noun (açıklat, söylet, köpür); ND__TR_ROOT for any other (kişi, ara,
 * suriye, kanat). */
#define ND__TR_ROOT 1
#define ND__TR_VERB 2
int nd__tr_root(const char *w, size_t n);

#endif /* ND_RULES_INTERNAL_H */
