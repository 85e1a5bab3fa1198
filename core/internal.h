/*
 * internal.h — helpers shared by the files of core/.  Not installed.
 */
#ifndef ND_INTERNAL_H
#define ND_INTERNAL_H

#include "nd_core.h"

/* Every core allocation goes through these (see nd_set_allocator). */
void *nd__malloc(size_t n);
void *nd__realloc(void *p, size_t n);
void *nd__calloc(size_t count, size_t size);
char *nd__strndup(const char *s, size_t n);
/* Grow the array *p (elements of `size` bytes, *cap of them) to hold at
 * least `need`, doubling; *p and *cap are unchanged on failure.  ND_OK or
 * ND_ENOMEM (also when the byte size would overflow). */
int nd__grow(void **p, size_t *cap, size_t need, size_t size);
#define nd__free nd_free

#define ND_UNUSED(x) ((void)(x))
#define ND_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* ND_INTERNAL_H */
