/*
 * hard_util.h — helpers shared by the hardening tests (crash safety,
 * concurrency, hostile input): a scratch directory, writing generated
 * files, reading a file whole, writing to a pipe, and one-number SQL
 * queries on a store file.
 */
#ifndef ND_HARD_UTIL_H
#define ND_HARD_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "newsdesk.h"

/* A fresh directory under TMPDIR (or /tmp) into dir[256]; exits on failure. */
static inline void hu_tmpdir(char dir[256], const char *tag)
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, 256, "%s/nd-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
}

/* Remove the directory and the files directly in it (best effort). */
static inline void hu_rmdir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* Pseudo-random word `n` made of Turkish-looking syllables, so generated
 * articles differ in their words (not near-duplicates of each other). */
static inline void hu_word(char *out, size_t cap, unsigned long n)
{
    static const char *const syl[] = { "ka", "lem", "dir", "şe", "ba", "ğa", "tu", "röz", "mi",
                                       "yal", "çı", "no", "ver", "gü", "sa", "hit", "pa", "ıl" };
    size_t len = 0;
    unsigned long x = n * 2654435761UL + 12345;
    int k;
    out[0] = '\0';
    for (k = 0; k < 3; k++) {
        const char *s = syl[x % (sizeof syl / sizeof *syl)];
        size_t l = strlen(s);
        if (len + l + 1 > cap)
            break;
        memcpy(out + len, s, l + 1);
        len += l;
        x = x / 18 + n * 7 + (unsigned long)k * 31;
    }
}

/* Write n JSON Lines articles with unique titles "Haber NNNNNN ..." and
 * bodies of distinct pseudo-random words to path. */
static inline void hu_write_feed(const char *path, unsigned long first, unsigned long n)
{
    FILE *f = fopen(path, "w");
    unsigned long i;
    int k;
    char w[64];
    if (!f) {
        perror(path);
        exit(2);
    }
    for (i = first; i < first + n; i++) {
        fprintf(f, "{\"title\":\"Haber %06lu: ", i);
        hu_word(w, sizeof w, i);
        fprintf(f, "%s\",\"body\":\"", w);
        for (k = 0; k < 24; k++) {
            hu_word(w, sizeof w, i * 131 + (unsigned long)k * 7919 + 17);
            fprintf(f, "%s%s", k ? " " : "", w);
        }
        fprintf(f, " %lu.\",\"date\":\"2024-11-%02luT10:00:00+03:00\",\"source\":\"Ajans %lu\"}\n",
                i, i % 28 + 1, i % 7);
    }
    fclose(f);
}

/* The whole file at path, NUL-terminated, its length in *len; exits on
 * failure.  Caller frees. */
static inline char *hu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
        !(buf = malloc((size_t)n + 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(2);
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* Write p[0..n) to fd whatever the partial writes; 0, or -1 on an error
 * (EPIPE when the reader is gone). */
static inline int hu_write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The first column of the first row of sql on store file path, with text
 * parameters ?1 and ?2 bound to a and b (either may be NULL), or -1. */
static inline long long hu_sql_int2(const char *path, const char *sql, const char *a, const char *b)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (a)
            sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
        if (b)
            sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static inline long long hu_sql_int(const char *path, const char *sql)
{
    return hu_sql_int2(path, sql, NULL, NULL);
}

/* Ingest path into the store file dbpath with options o (NULL = defaults);
 * prints the failure, if any, to stderr.  The child processes of the
 * crash and concurrency tests run this. */
static inline int hu_ingest(const char *dbpath, const char *path, const nd_ingest_opts *o)
{
    nd_store *db = NULL;
    nd_ingest_stats st = ND_INGEST_STATS_INIT;
    int rc = nd_store_open(&db, dbpath, 0);
    if (rc == ND_OK)
        rc = nd_ingest_path(db, path, o, &st);
    if (rc != ND_OK)
        fprintf(stderr, "ingest %s: %s\n", path, st.errmsg ? st.errmsg : nd_store_errmsg(db));
    nd_ingest_stats_free(&st);
    nd_store_close(db);
    return rc;
}

/* PRAGMA integrity_check of the file at path: 1 when "ok". */
static inline int hu_integrity_ok(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int okay = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        okay = r && strcmp(r, "ok") == 0;
        if (!okay)
            printf("#   integrity_check: %s\n", r ? r : "(null)");
    } else {
        printf("#   integrity_check could not run on %s: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return okay;
}

#endif
