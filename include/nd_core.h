/*
 * nd_core.h — version, error codes, buffers and allocation shared by every
 * part of the newsdesk C API.
 *
 * Conventions used throughout the API:
 *  - Functions return an int code: ND_OK (0) on success, a negative ND_E*
 *    code on failure.  nd_errstr(code) gives static text for any code.
 *  - Handles are opaque, created by nd_X_open/nd_X_new and released by
 *    nd_X_close/nd_X_free; every destructor accepts NULL.  The last error
 *    message of a handle is kept on it until the next call on that handle.
 *  - Text is passed as (pointer, byte length) and may hold any bytes,
 *    including NUL.  Byte offsets reported by the library are 0-based and
 *    half-open ([start, stop)) into the caller's original text.
 *  - Functions that produce text write into a caller-owned nd_buf, replacing
 *    its contents and reusing its storage; the result is NUL-terminated.
 */
#ifndef ND_CORE_H
#define ND_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ND_API marks the functions the shared library exports: it is built with
 * -fvisibility=hidden, so nothing else (internal nd__* and lnd_* helpers)
 * is visible to hosts. */
#if defined(__GNUC__) || defined(__clang__)
#define ND_API __attribute__((visibility("default")))
#else
#define ND_API
#endif

#define ND_VERSION_MAJOR 0
#define ND_VERSION_MINOR 1
#define ND_VERSION_PATCH 0
#define ND_VERSION_STRING "0.1.0"

/* The library's version at run time, "MAJOR.MINOR.PATCH"; static storage. */
ND_API const char *nd_version(void);

/* Result codes.  Every failing function returns one of the negative codes. */
enum {
    ND_OK = 0,
    ND_ERROR = -1,      /* generic failure; see the handle's message */
    ND_ENOMEM = -2,     /* allocation failed */
    ND_EINVAL = -3,     /* invalid argument */
    ND_EUTF8 = -4,      /* invalid UTF-8 where valid text is required */
    ND_EIO = -5,        /* file or stream error */
    ND_EDB = -6,        /* SQLite reported an error */
    ND_ENOTFOUND = -7,  /* no such object */
    ND_ELIMIT = -8,     /* a configured limit was exceeded */
    ND_ECLOSED = -9,    /* the handle was already closed */
    ND_ESYNTAX = -10,   /* malformed input (file/line in the message) */
    ND_ESCRIPT = -11,   /* a Lua script raised an error */
    ND_EBUSY = -12,     /* the database is locked by another writer */
    ND_ERANGE = -13     /* a value is out of its valid range */
};

/* Static English text for a result code; never NULL. */
ND_API const char *nd_errstr(int code);

/* Growable byte buffer owned by the caller.  Initialise with ND_BUF_INIT;
 * release with nd_buf_free.  ptr is NUL-terminated whenever len > 0 or the
 * buffer was filled by a library function. */
typedef struct nd_buf {
    char *ptr;
    size_t len;
    size_t cap;
} nd_buf;

#define ND_BUF_INIT { NULL, 0, 0 }

/* Make room for at least `extra` more bytes plus a NUL.  ND_OK or ND_ENOMEM
 * (the buffer is unchanged on failure). */
ND_API int nd_buf_reserve(nd_buf *b, size_t extra);
/* Append n bytes.  ND_OK or ND_ENOMEM. */
ND_API int nd_buf_append(nd_buf *b, const void *p, size_t n);
/* Release the storage and reset to empty; NULL is harmless. */
ND_API void nd_buf_free(nd_buf *b);

/* A borrowed byte string: ptr is not owned and need not be NUL-terminated.
 * ptr == NULL means "absent"; len == 0 with ptr != NULL means "empty". */
typedef struct nd_str {
    const char *ptr;
    size_t len;
} nd_str;

/* Free memory returned by the library where a header says "caller frees
 * with nd_free".  NULL is harmless. */
ND_API void nd_free(void *p);

/* Allocation hooks, process-wide, in the manner of sqlite3_config(): call
 * nd_set_allocator before any other newsdesk function, or not at all.
 * Passing NULL restores the C library allocator.  All allocations made by
 * the core go through these hooks (SQLite and Lua use their own).  Used by
 * the test suite to simulate allocation failure. */
typedef struct nd_allocator {
    void *(*malloc_fn)(void *ud, size_t n);
    void *(*realloc_fn)(void *ud, void *p, size_t n);
    void (*free_fn)(void *ud, void *p);
    void *ud;
} nd_allocator;

ND_API void nd_set_allocator(const nd_allocator *a);

#ifdef __cplusplus
}
#endif

#endif /* ND_CORE_H */
