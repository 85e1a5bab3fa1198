/*
 * tr_roots.c — is a word a Turkish root?  The roots are the words of
 * Debian's Turkish Hunspell dictionary (hunspell-tr, LibreOffice's, MPL-2.0)
 * without their affixes, in Turkish lower case: kişi, ara, sabah, Suriye as
 * suriye.  The list is made at build time (core/textgen/gen_tr_roots.py,
 * build/gen/tr_roots_data.c), front-coded in blocks whose first entry is
 * whole: a binary search over the blocks, then a walk through one; a bit
 * an entry marks the verbs the dictionary never gives a plural.
 */
#include <string.h>

#include "rules_internal.h"

extern const size_t nd__tr_roots_count, nd__tr_roots_nblocks, nd__tr_roots_per_block, nd__tr_roots_size;
extern const uint32_t nd__tr_roots_block[];
extern const unsigned char nd__tr_roots_data[], nd__tr_roots_verb[];

/* Compare w[0,n) with the bytes e[0,m) as strcmp would. */
static int cmp_bytes(const char *w, size_t n, const unsigned char *e, size_t m)
{
    int c = memcmp(w, e, n < m ? n : m);
    return c ? c : (n > m) - (n < m);
}

int nd__tr_root(const char *w, size_t n)
{
    size_t lo = 0, hi = nd__tr_roots_nblocks, k, at, end, nth;
    unsigned char cur[256];
    size_t len = 0;
    if (n == 0 || n > 255 || hi == 0)
        return 0;
    while (hi - lo > 1) {               /* the last block whose first entry is <= w */
        size_t mid = lo + (hi - lo) / 2;
        const unsigned char *e = nd__tr_roots_data + nd__tr_roots_block[mid];
        if (cmp_bytes(w, n, e + 2, e[1]) < 0)
            hi = mid;
        else
            lo = mid;
    }
    at = nd__tr_roots_block[lo];
    end = lo + 1 < nd__tr_roots_nblocks ? nd__tr_roots_block[lo + 1] : nd__tr_roots_size;
    for (k = at, nth = lo * nd__tr_roots_per_block; k < end; nth++) {
        size_t keep = nd__tr_roots_data[k], rest = nd__tr_roots_data[k + 1];
        int c;
        memcpy(cur + keep, nd__tr_roots_data + k + 2, rest);
        len = keep + rest;
        k += 2 + rest;
        c = cmp_bytes(w, n, cur, len);
        if (c == 0)
            return nd__tr_roots_verb[nth / 8] >> (nth % 8) & 1 ? ND__TR_VERB : ND__TR_ROOT;
        if (c < 0)
            return 0;
    }
    return 0;
}
