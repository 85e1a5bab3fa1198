/*
 * extract_internal.h — shared by extract.c and extract_rules.c.  Not installed.
 */
#ifndef ND_EXTRACT_INTERNAL_H
#define ND_EXTRACT_INTERNAL_H

#include "internal.h"
#include "nd_ingest.h"

/* The match key of a line into key (tmp is scratch): s folded, leading
 * bullets/punctuation and trailing blanks cut.  For a pattern, a leading
 * '#' and trailing blanks ("By ") are kept.  *lead (may be NULL) = folded
 * bytes cut at the front. */
int nd__line_key(nd_buf *key, nd_buf *tmp, const char *s, size_t len, int pattern, size_t *lead);
/* The first rule matching key k: *kind (0 = none), *kend = end of a
 * prefix match in k (0 otherwise).  bp may be NULL. */
int nd__boilerplate_match_key(const nd_boilerplate *bp, const char *k, size_t klen,
                              int *kind, size_t *kend);
/* Byte offset in line just after the key's first kend bytes. */
int nd__key_to_original(const char *line, size_t len, size_t lead, size_t kend, size_t *value);

/* *yes = 1 when s[0..len) is, folded, an AGENCY rule of bp (NULL: none).
 * key and tmp are scratch. */
int nd__boilerplate_agency(const nd_boilerplate *bp, nd_buf *key, nd_buf *tmp, const char *s, size_t len,
                           int *yes);
/* The next DATELINE shape of bp with the given how (ND_BP_PREFIX or
 * ND_BP_SUFFIX) at rule index *i or later, as written; *i moves past it.
 * NULL when there is none (bp may be NULL). */
const char *nd__boilerplate_shape(const nd_boilerplate *bp, size_t *i, int how, size_t *len);

#endif
