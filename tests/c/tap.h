/*
 * tap.h — the tiny test harness of the C tests.  Each check prints
 * "ok N - name" or "not ok N - name" with the place and the values that
 * differ; tests/run.sh counts those lines.  A test program ends with
 * `return tap_done();`, which exits non-zero if anything failed.
 */
#ifndef ND_TAP_H
#define ND_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static int tap_report(int pass, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    tap_count++;
    if (!pass)
        tap_failed++;
    printf("%sok %d - ", pass ? "" : "not ", tap_count);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!pass)
        printf("#   at %s:%d\n", file, line);
    return pass;
}

/* ok(cond, "name %s", ...) */
#define ok(cond, ...) tap_report(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Compare byte strings; prints both on failure. */
#define is_mem(got, gotlen, want, wantlen, ...)                                 \
    do {                                                                        \
        size_t tap_gl_ = (gotlen), tap_wl_ = (wantlen);                         \
        const char *tap_g_ = (got), *tap_w_ = (want);                           \
        int tap_p_ = tap_gl_ == tap_wl_ && (tap_gl_ == 0 || memcmp(tap_g_, tap_w_, tap_gl_) == 0); \
        if (!tap_report(tap_p_, __FILE__, __LINE__, __VA_ARGS__))               \
            printf("#   got:  '%.*s'\n#   want: '%.*s'\n", (int)tap_gl_,        \
                   tap_g_ ? tap_g_ : "", (int)tap_wl_, tap_w_ ? tap_w_ : "");  \
    } while (0)

#define is_str(got, want, ...)                                                  \
    do {                                                                        \
        const char *tap_gs_ = (got), *tap_ws_ = (want);                         \
        is_mem(tap_gs_, tap_gs_ ? strlen(tap_gs_) : 0, tap_ws_, strlen(tap_ws_), __VA_ARGS__); \
    } while (0)

#define is_int(got, want, ...)                                                  \
    do {                                                                        \
        long long tap_gi_ = (long long)(got), tap_wi_ = (long long)(want);      \
        if (!tap_report(tap_gi_ == tap_wi_, __FILE__, __LINE__, __VA_ARGS__))   \
            printf("#   got:  %lld\n#   want: %lld\n", tap_gi_, tap_wi_);       \
    } while (0)

static int tap_done(void)
{
    printf("# %d checks, %d failed\n", tap_count, tap_failed);
    return tap_failed ? 1 : 0;
}

#endif /* ND_TAP_H */
