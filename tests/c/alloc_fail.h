/*
 * alloc_fail.h — a test allocator for nd_set_allocator that fails the Nth
 * allocation and counts the blocks still live, so a test can run an
 * operation with N = 0, 1, 2, ... allocations allowed and check, for
 * every N, that it fails cleanly (an error code, no crash) and gives back
 * everything it took.  Shared by the tests/c/test_alloc_*.c programs.
 */
#ifndef ND_ALLOC_FAIL_H
#define ND_ALLOC_FAIL_H

#include <stdlib.h>

#include "newsdesk.h"
#include "tap.h"

static long af_budget = -1;   /* allocations left; -1 = unlimited */
static long af_live;          /* blocks allocated and not yet freed */
static long af_failed;        /* allocations refused in this run */

/* 1 if this allocation may go ahead (and spend one from the budget). */
static int af_take(void)
{
    if (af_budget == 0) {
        af_failed++;
        return 0;
    }
    if (af_budget > 0)
        af_budget--;
    return 1;
}

static void *af_malloc(void *ud, size_t n)
{
    void *p;
    (void)ud;
    if (!af_take())
        return NULL;
    if ((p = malloc(n ? n : 1)) != NULL)
        af_live++;
    return p;
}

static void *af_realloc(void *ud, void *p, size_t n)
{
    void *q;
    (void)ud;
    if (!af_take())
        return NULL;
    q = realloc(p, n ? n : 1);
    if (q && !p)
        af_live++;
    return q;
}

static void af_free(void *ud, void *p)
{
    (void)ud;
    if (p)
        af_live--;
    free(p);
}

/* Run op with 0, 1, 2, ... allocations allowed until it succeeds (at most
 * max_n tries).  Every failing run must return one of the codes in `ok_rc`
 * (ND_ENOMEM, and ND_EDB where SQLite passes our failure on) and leave no
 * block allocated.  One TAP line per operation. */
static void af_every_n(const char *name, int (*op)(void), long max_n)
{
    static const nd_allocator failing = { af_malloc, af_realloc, af_free, NULL };
    long n, leaks_at = -1, badrc_at = -1;
    int rc = ND_ENOMEM, badrc = 0;
    nd_set_allocator(&failing);
    for (n = 0; n < max_n; n++) {
        af_budget = n;
        af_live = 0;
        af_failed = 0;
        rc = op();
        if (af_live != 0 && leaks_at < 0)
            leaks_at = n;
        if (rc != ND_OK && rc != ND_ENOMEM && rc != ND_EDB && badrc_at < 0) {
            badrc_at = n;
            badrc = rc;
        }
        if (rc == ND_OK && af_failed == 0)
            break;
    }
    af_budget = -1;
    nd_set_allocator(NULL);
    ok(rc == ND_OK && leaks_at < 0 && badrc_at < 0,
       "%s: fails cleanly at each of the first %ld allocations, then succeeds", name, n);
    if (leaks_at >= 0)
        printf("#   %s leaks when allocation %ld fails\n", name, leaks_at);
    if (badrc_at >= 0)
        printf("#   %s returns %s when allocation %ld fails\n", name, nd_errstr(badrc), badrc_at);
    if (rc != ND_OK)
        printf("#   %s never succeeded within %ld allocations (last: %s)\n", name, max_n, nd_errstr(rc));
}

#endif
