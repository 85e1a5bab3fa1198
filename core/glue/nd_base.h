/*
 * nd_base.h — base.c's allocator (nd_set_allocator's hooks) and the error
 * contract of the handles, for the code in this tree outside core/ that
 * allocates what nd_free releases or answers an *_errmsg (the runtime).
 * Core-facing glue: not installed.  Implemented in core/base.c.
 */
#ifndef ND_BASE_H
#define ND_BASE_H

#include <stddef.h>

#include "nd_core.h"

/* Every core allocation goes through these (see nd_set_allocator); a
 * block is freed with nd_free. */
void *nd__malloc(size_t n);
void *nd__realloc(void *p, size_t n);
void *nd__calloc(size_t count, size_t size);
char *nd__strndup(const char *s, size_t n);

/* The answer of every *_errmsg (nd_store_errmsg, nd_rules_errmsg,
 * nd_runtime_errmsg): the message in err, "" when it holds none (the last
 * call succeeded), and "out of memory" for err == NULL, a handle that could
 * not be allocated (a constructor leaves NULL only then).  Never NULL. */
const char *nd__errmsg(const nd_buf *err);

#endif /* ND_BASE_H */
