/*
 * ingest.c — paths to articles in a store: the file walk, format choice,
 * streaming JSON Lines / CSV readers, page dumps with a size cap, UTF-8
 * checking and repair, batches, statistics and progress.
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ingest_internal.h"
#include "nd_dates.h"
#include "nd_text.h"
#include "store_internal.h"

#define CHUNK (64 * 1024)
/* Articles per transaction.  Each commit makes FTS5 flush its pending
 * terms as a new segment, and FTS5 merges after each flush in proportion
 * to the index's levels: with 500, merging was a sixth of the work of a
 * 6,000-article ingest; 2,000 (about the 8 MB of pending terms at which
 * FTS5 flushes anyway, see the schema's hashsize) leaves fewer levels. */
#define DEFAULT_BATCH 2000
#define DEFAULT_MAX_BYTES ((uint64_t)16 << 20)
#define MAX_ERRORS 1000

void nd_ingest_opts_init(nd_ingest_opts *o)
{
    memset(o, 0, sizeof *o);
}

void nd_ingest_stats_free(nd_ingest_stats *st)
{
    size_t i;
    if (!st)
        return;
    for (i = 0; i < st->nerrors; i++) {
        nd_free(st->errors[i].file);
        nd_free(st->errors[i].message);
    }
    for (i = 0; i < st->nskips; i++) {
        nd_free(st->skips[i].file);
        nd_free(st->skips[i].message);
    }
    nd_free(st->errors);
    nd_free(st->skips);
    nd_free(st->errmsg);
    memset(st, 0, sizeof *st);
}

/* ---- the ingest context --------------------------------------------------- */

typedef struct infile {
    char *path;
    uint64_t size;
} infile;

typedef struct job job;
typedef struct worker {
    nd__folder *folder;
    nd_extractor *ex;
    const nd_ingest_opts *o;
} worker;

struct pipeline;

typedef struct ictx {
    nd_store *db;
    nd_ingest_opts o;
    nd_ingest_stats *st;
    const char *file;          /* the file being read, for messages */
    size_t in_batch;
    int nested;                /* called inside the caller's transaction */
    nd_ingest_progress prog;
    nd_buf text, fixed, html_title, html_body, msg, iso;
    worker *w;                  /* the calling thread's record work */
    job *job;                   /* its one job, without threads */
    struct pipeline *pipe;      /* worker threads, or NULL */
    infile *files;
    size_t nfiles, fcap;
} ictx;

/* Record a problem with the input (never fatal).  ND_OK or ND_ENOMEM. */
/* Append (file, line, message from fmt and ap) to the list *list of *n
 * entries, unless it holds MAX_ERRORS already.  ND_OK or ND_ENOMEM. */
static int add_entry(nd_ingest_error **list, size_t *n, size_t *cap, const char *file, uint64_t line,
                     const char *fmt, va_list ap)
{
    nd_ingest_error *e;
    char *m;
    if (*n >= MAX_ERRORS)
        return ND_OK;
    if (ND__GROW1(*list, *cap, *n) != ND_OK || !(m = nd__vstrdupf(fmt, ap)))
        return ND_ENOMEM;
    e = &(*list)[*n];
    e->line = line;
    e->message = m;
    if (!(e->file = nd__strndup(file, strlen(file)))) {
        nd_free(m);
        return ND_ENOMEM;
    }
    (*n)++;
    return ND_OK;
}

static int vreport(ictx *cx, uint64_t line, const char *fmt, va_list ap)
{
    nd_ingest_stats *st = cx->st;
    st->errors_total++;
    return add_entry(&st->errors, &st->nerrors, &st->errors_cap, cx->file, line, fmt, ap);
}

static int report(ictx *cx, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = vreport(cx, line, fmt, ap);
    va_end(ap);
    return rc;
}

static int drain(ictx *cx);

/* A problem the reader finds itself (a line too long, invalid UTF-8 under
 * strict, CSV syntax): after the records read before it are stored, so the
 * problems are listed in input order with or without threads. */
static int reader_report(ictx *cx, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    int rc = drain(cx);
    if (rc != ND_OK)
        return rc;
    va_start(ap, fmt);
    rc = vreport(cx, line, fmt, ap);
    va_end(ap);
    return rc;
}

/* A file at path that a folder or glob held in no format newsdesk reads:
 * counted and named in the stats, no problem. */
static int skip_file(ictx *cx, const char *path, const char *fmt, ...)
{
    nd_ingest_stats *st = cx->st;
    va_list ap;
    int rc;
    st->skipped++;
    va_start(ap, fmt);
    rc = add_entry(&st->skips, &st->nskips, &st->skips_cap, path, 0, fmt, ap);
    va_end(ap);
    return rc;
}

/* The fatal error of this call.  Returns code. */
static int fail(ictx *cx, int code, const char *fmt, ...)
{
    va_list ap;
    char *m;
    va_start(ap, fmt);
    m = nd__vstrdupf(fmt, ap);
    va_end(ap);
    if (m) {                                         /* else the last message stays */
        nd_free(cx->st->errmsg);
        cx->st->errmsg = m;
    }
    return code;
}

static int progress(ictx *cx)
{
    if (cx->o.progress && cx->o.progress(cx->o.progress_ud, &cx->prog) != 0)
        return fail(cx, ND_ERROR, "interrupted");
    return ND_OK;
}

/* Commit the open batch and start the next.  */
static int commit_batch(ictx *cx, int again)
{
    int rc;
    if (cx->nested)
        return ND_OK;       /* the caller's transaction: the caller commits */
    rc = nd_store_commit(cx->db);
    if (rc != ND_OK)
        return fail(cx, rc, "%s", nd_store_errmsg(cx->db));
    cx->prog.committed = cx->prog.articles;
    cx->in_batch = 0;
    if (again && (rc = nd_store_begin(cx->db)) != ND_OK)
        return fail(cx, rc, "%s", nd_store_errmsg(cx->db));
    return ND_OK;
}

/* The language of an article whose input gives none: detected from the
 * first few KB (they tell it as well as the whole text), else o->lang. */
static void fill_lang(const nd_ingest_opts *o, nd_article *a)
{
    nd_str t;
    const char *l;
    if (a->lang.ptr && a->lang.len)
        return;
    t = a->body.len ? a->body : a->title;
    l = nd_lang_detect(t.ptr ? t.ptr : "", t.len < 4096 ? t.len : 4096);
    if (l[0] == 'u' && l[1] == 'n' && l[2] == 'd' && l[3] == '\0' && o->lang)
        l = o->lang;
    a->lang.ptr = l;
    a->lang.len = strlen(l);
}

/* After an add (rc, status): stats and the batch boundary.  An article the
 * store refuses (ND_EINVAL, ND_EUTF8: something about this record) is
 * reported at `line` (0 = the whole file) and skipped; the batch and the
 * rest of the input go on.  Database failures stop the ingest. */
static int stored(ictx *cx, int rc, int status, uint64_t line)
{
    if (rc == ND_EINVAL || rc == ND_EUTF8) {
        cx->st->rejected++;
        return report(cx, line, "%s", nd_store_errmsg(cx->db));
    }
    if (rc != ND_OK)
        return fail(cx, rc, "%s: %s", cx->file, nd_store_errmsg(cx->db));
    if (status == ND_ADD_DUPLICATE)
        cx->st->duplicates++;
    else {
        cx->st->added++;
        if (status == ND_ADD_NEAR_DUPLICATE)
            cx->st->near_duplicates++;
    }
    cx->prog.articles++;
    if (++cx->in_batch >= cx->o.batch) {
        if ((rc = commit_batch(cx, 1)) != ND_OK)
            return rc;
        return progress(cx);
    }
    return ND_OK;
}

/* Store one article of a page: lang when missing, stats, batch boundary. */
static int put(ictx *cx, nd_article *a, uint64_t line)
{
    int64_t id = 0;
    int status = 0;
    int rc;
    fill_lang(&cx->o, a);
    rc = nd_store_add(cx->db, a, &id, &status);    /* before status is read */
    return stored(cx, rc, status, line);
}

/* Make s valid UTF-8: (*out, *outlen) is s itself or the repaired copy in
 * cx->fixed.  *bad = 1 when the input must be skipped (strict), after the
 * problem was reported with the byte offset (base + offset in s). */
static int check_utf8(ictx *cx, const char *s, size_t len, uint64_t base, uint64_t line,
                      const char **out, size_t *outlen, int *bad)
{
    size_t off = 0, nrepl = 0;
    int rc;
    *out = s;
    *outlen = len;
    *bad = 0;
    if (nd_utf8_check(s, len, &off) == ND_OK)
        return ND_OK;
    if (cx->o.strict) {
        *bad = 1;
        cx->st->rejected++;
        return reader_report(cx, line, "invalid UTF-8 at byte %llu", (unsigned long long)(base + off));
    }
    if ((rc = nd_utf8_repair(&cx->fixed, s, len, &nrepl)) != ND_OK)
        return rc;
    cx->st->repaired++;
    *out = cx->fixed.ptr;
    *outlen = cx->fixed.len;
    return ND_OK;
}

/* ---- records ---------------------------------------------------------- */

/* Plain text of a record field: HTML converted, entities decoded. */
static int clean_field(nd_buf *b, nd_str *f)
{
    int rc;
    if (!f->ptr)
        return ND_OK;
    if (nd_html_has_tags(f->ptr, f->len))
        rc = nd_html_to_text(b, f->ptr, f->len);
    else if (memchr(f->ptr, '&', f->len))
        rc = nd_html_decode_entities(b, f->ptr, f->len);
    else
        return ND_OK;
    if (rc == ND_OK) {
        f->ptr = b->ptr;
        f->len = b->len;
    }
    return rc;
}

/* ---- record jobs --------------------------------------------------------- *
 * A record (a JSON line, a CSV or TSV record) becomes an article in a job:
 * job_run does all that needs no store (parse, HTML, extraction, language,
 * dates, meta, then nd__store_prepare: checks, terms and stems, hashes) and
 * job_store adds the result, in input order, on the thread that owns the
 * store.  With threads, worker threads run job_run on a ring of jobs while
 * the calling thread reads and stores; without, the calling thread runs
 * both on one job.  Either way every record goes through the same two
 * functions, so the store ends up the same. */

enum { JOB_FREE, JOB_QUEUED, JOB_DONE };
enum { JOB_STORE, JOB_REJECT, JOB_PREP_FAIL, JOB_FAIL };   /* job->result */

/* A format's record parser: j->text into the fields *r (borrowing from j).
 * ND_OK; ND_ESYNTAX with the reason in j->msg; ND_ENOMEM. */
typedef int (*record_fn)(job *j, const void *ud, nd__record *r);

struct job {
    int state;                  /* JOB_FREE, QUEUED, DONE (under the pipe's lock) */
    record_fn parse;
    const void *ud;             /* the format's state: a CSV or TSV header */
    const char *text;           /* the record as read: borrowed, or own's copy */
    size_t len;
    uint64_t line;
    nd_buf own;
    /* what job_run made */
    int result, rc;
    nd_buf msg;
    nd_article a;
    char lang[16];
    nd_buf html_title, html_body, iso, decoded, ext;
    nd_csv_record rec;
    json_t *root;
    char *meta;
    nd__prep prep;
};

static void job_reset(job *j)
{
    json_decref(j->root);
    j->root = NULL;
    free(j->meta);
    j->meta = NULL;
}

static void job_free(job *j)
{
    job_reset(j);
    nd_buf_free(&j->own);
    nd_buf_free(&j->msg);
    nd_buf_free(&j->html_title);
    nd_buf_free(&j->html_body);
    nd_buf_free(&j->iso);
    nd_buf_free(&j->decoded);
    nd_buf_free(&j->ext);
    nd_csv_record_free(&j->rec);
    nd__prep_free(&j->prep);
}

/* Copy the extractor's strings the article keeps into j->ext (the
 * extractor moves on to the next record before the article is stored). */
static int keep_extracted(job *j, const nd_extracted *e, int date)
{
    nd_str *f[5] = { &j->a.body, &j->a.source, &j->a.author, &j->a.date, &j->a.date_text };
    size_t off[5], i;
    int rc = ND_OK;
    j->ext.len = 0;
    j->a.body = e->body;
    if (!j->a.source.ptr || !j->a.source.len)
        j->a.source = e->source;
    if (!j->a.author.ptr || !j->a.author.len)
        j->a.author = e->author;
    if (date) {
        j->a.date = e->date;
        j->a.date_text = e->date_text;
    }
    for (i = 0; i < 5 && rc == ND_OK; i++) {
        off[i] = j->ext.len;
        if (f[i]->ptr)
            rc = nd_buf_append(&j->ext, f[i]->ptr, f[i]->len);
    }
    for (i = 0; i < 5 && rc == ND_OK; i++)
        if (f[i]->ptr)
            f[i]->ptr = j->ext.ptr + off[i];
    return rc;
}

/* The article of the parsed record r into j->a (JOB_STORE), or why not
 * (JOB_REJECT with j->msg). */
static int job_article(worker *w, job *j, nd__record *r)
{
    nd_article *a = &j->a;
    nd_date d;
    nd_date_opts dopts;
    int rc, body_html, title_html;
    memset(a, 0, sizeof *a);
    a->title = r->f[ND__F_TITLE];
    a->body = r->f[ND__F_BODY];
    if ((!a->title.ptr || !a->title.len) && (!a->body.ptr || !a->body.len)) {
        j->result = JOB_REJECT;
        return nd__bufprintf(&j->msg, "no title or body field");
    }
    body_html = a->body.ptr && nd_html_has_tags(a->body.ptr, a->body.len);
    title_html = a->title.ptr && nd_html_has_tags(a->title.ptr, a->title.len);
    if ((rc = clean_field(&j->html_title, &a->title)) != ND_OK ||
        (rc = clean_field(&j->html_body, &a->body)) != ND_OK)
        return rc;
    a->url = r->f[ND__F_URL];
    a->source = r->f[ND__F_SOURCE];
    a->author = r->f[ND__F_AUTHOR];
    if (body_html) {
        /* a body that was a page: captions, footers and datelines leave it */
        size_t n;
        if ((rc = nd_extract_story(w->ex, a->body.ptr, a->body.len, NULL, a->title.ptr, a->title.len, &n)) != ND_OK ||
            (rc = keep_extracted(j, nd_extract_get(w->ex, 0), !r->f[ND__F_DATE].ptr || !r->f[ND__F_DATE].len)) != ND_OK)
            return rc;
    }
    if (r->f[ND__F_LANG].ptr && r->f[ND__F_LANG].len < sizeof j->lang) {
        /* "TR", "tr-TR" -> "tr" */
        const char *l = r->f[ND__F_LANG].ptr;
        size_t i;
        for (i = 0; i < r->f[ND__F_LANG].len && l[i] != '-' && l[i] != '_'; i++)
            j->lang[i] = (char)((l[i] >= 'A' && l[i] <= 'Z') ? l[i] + 32 : l[i]);
        j->lang[i] = '\0';
        a->lang.ptr = j->lang;
        a->lang.len = i;
    }
    a->raw.ptr = j->text;
    a->raw.len = j->len;
    if (r->f[ND__F_DATE].ptr && r->f[ND__F_DATE].len) {
        memset(&dopts, 0, sizeof dopts);
        dopts.day_first = -1;
        dopts.lang = a->lang.len ? j->lang : NULL;
        a->date_text = r->f[ND__F_DATE];
        if (nd_date_parse(a->date_text.ptr, a->date_text.len, &dopts, &d) == ND_OK && d.year > 0 &&
            nd_date_format(&d, &j->iso) == ND_OK) {
            a->date.ptr = j->iso.ptr;
            a->date.len = j->iso.len;
        }
    }
    if (r->meta) {
        if (!(j->meta = json_dumps(r->meta, JSON_COMPACT | JSON_SORT_KEYS)))
            return ND_ENOMEM;
        a->meta_json.ptr = j->meta;
        a->meta_json.len = strlen(j->meta);
    }
    fill_lang(w->o, a);
    /* every field is the reader's checked (or repaired) text, its JSON
     * strings decoded, entities decoded (U+FFFD for a bad number), an ISO
     * date or a language code; HTML converted to text is checked again */
    j->prep.utf8_known = !body_html && !title_html;
    j->result = JOB_STORE;
    return ND_OK;
}

/* Everything about one record that needs no store (see above). */
static void job_run(worker *w, job *j)
{
    nd__record r;
    int prc;
    memset(&r, 0, sizeof r);
    j->result = JOB_FAIL;
    prc = j->parse(j, j->ud, &r);
    if (prc == ND_ESYNTAX) {
        j->result = JOB_REJECT;
        j->rc = ND_OK;
    } else if (prc != ND_OK) {
        j->rc = prc;
    } else if ((j->rc = job_article(w, j, &r)) == ND_OK && j->result == JOB_STORE) {
        int rc = nd__store_prepare(w->folder, &j->a, &j->prep);
        if (rc != ND_OK) {
            j->result = rc == ND_EINVAL || rc == ND_EUTF8 ? JOB_REJECT : JOB_PREP_FAIL;
            j->rc = rc == ND_EINVAL || rc == ND_EUTF8 ? ND_OK : rc;
            j->msg.len = 0;
            if (nd_buf_append(&j->msg, j->prep.err.ptr ? j->prep.err.ptr : "", j->prep.err.len) != ND_OK) {
                j->rc = ND_ENOMEM;
                j->result = JOB_FAIL;
            }
        }
    } else if (j->rc != ND_OK) {
        j->result = JOB_FAIL;
    }
    json_decref(r.meta);
}

/* Store what job_run made of j, in input order. */
static int job_store(ictx *cx, job *j)
{
    int64_t id = 0;
    int status = 0, rc;
    switch (j->result) {
    case JOB_REJECT:
        cx->st->rejected++;
        return report(cx, j->line, "%s", j->msg.ptr ? j->msg.ptr : "");
    case JOB_PREP_FAIL:
        return fail(cx, j->rc, "%s: %s", cx->file, j->msg.ptr ? j->msg.ptr : nd_errstr(j->rc));
    case JOB_STORE:
        rc = nd__store_add_prepared(cx->db, &j->a, &j->prep, &id, &status);
        return stored(cx, rc, status, j->line);
    default:
        return j->rc;
    }
}

/* ---- the pipeline ---------------------------------------------------------
 * A ring of jobs: the calling thread fills them in input order (at tail)
 * and stores them in the same order (at head); worker threads take the
 * next queued one (at next) and run it.  All of it under one lock; a
 * worker signals `done` after each job, the caller signals `work` after
 * each job queued. */

#define JOBS_PER_WORKER 16
#define MAX_THREADS 64
/* Records queued beyond this many bytes wait for the oldest to be stored,
 * and a job that held a record over BIG_JOB gives its memory back: a feed
 * of long records (up to max_bytes each) takes no more memory with
 * threads than a few of them. */
#define MAX_QUEUED ((size_t)8 << 20)
#define BIG_JOB ((size_t)1 << 20)

typedef struct wthread {
    worker w;
    pthread_t id;
    int started;
    struct pipeline *p;
} wthread;

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    job *ring;
    size_t cap, head, tail, next;
    size_t queued;                      /* record bytes between head and tail */
    int stop;
    wthread *t;
    size_t nt;
} pipeline;

static void *worker_main(void *arg)
{
    wthread *t = arg;
    pipeline *p = t->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        job *j;
        while (!p->stop && p->next == p->tail)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->next == p->tail)
            break;                      /* stopped and nothing queued */
        j = &p->ring[p->next++ % p->cap];
        pthread_mutex_unlock(&p->mu);
        job_run(&t->w, j);
        pthread_mutex_lock(&p->mu);
        j->state = JOB_DONE;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static int worker_init(worker *w, const ictx *cx)
{
    int rc;
    memset(w, 0, sizeof *w);
    w->o = &cx->o;
    if ((rc = nd__folder_new(&w->folder)) != ND_OK || (rc = nd_extractor_new(&w->ex, cx->o.boilerplate)) != ND_OK)
        return rc;
    nd_extractor_set_ref(w->ex, cx->o.ref);     /* places year-less dates */
    return ND_OK;
}

static void worker_free(worker *w)
{
    nd__folder_free(w->folder);
    nd_extractor_free(w->ex);
}

/* Store the job at head once a worker is done with it.  After a failure
 * (*rc set) the rest are only waited for. */
static void pipe_pop(ictx *cx, pipeline *p, int *rc)
{
    job *j = &p->ring[p->head % p->cap];
    pthread_mutex_lock(&p->mu);
    while (j->state != JOB_DONE)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    if (*rc == ND_OK)
        *rc = job_store(cx, j);
    job_reset(j);
    p->queued -= j->len;
    if (j->own.cap > BIG_JOB) {
        job_free(j);
        memset(j, 0, sizeof *j);
    }
    j->state = JOB_FREE;
    p->head++;
}

/* Store every queued job (before a message of the reader's own, at the end
 * of a file, before stopping).  ND_OK or the first failure. */
static int drain(ictx *cx)
{
    pipeline *p = cx->pipe;
    int rc = ND_OK;
    while (p && p->head < p->tail)
        pipe_pop(cx, p, &rc);
    return rc;
}

static void pipe_free(ictx *cx)
{
    pipeline *p = cx->pipe;
    size_t i;
    int skip = ND_ERROR;                /* what is still queued is not stored */
    if (!p)
        return;
    while (p->head < p->tail)
        pipe_pop(cx, p, &skip);
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (i = 0; i < p->nt; i++) {
        if (p->t[i].started)
            pthread_join(p->t[i].id, NULL);
        worker_free(&p->t[i].w);
    }
    for (i = 0; i < p->cap; i++)
        job_free(&p->ring[i]);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    nd_free(p->ring);
    nd_free(p->t);
    nd_free(p);
    cx->pipe = NULL;
}

/* Start n worker threads. */
static int pipe_new(ictx *cx, size_t n)
{
    pipeline *p = nd__calloc(1, sizeof *p);
    size_t i;
    int rc = ND_OK;
    if (!p)
        return ND_ENOMEM;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    cx->pipe = p;
    p->cap = n * JOBS_PER_WORKER;
    if (!(p->ring = nd__calloc(p->cap, sizeof *p->ring)) || !(p->t = nd__calloc(n, sizeof *p->t)))
        return ND_ENOMEM;
    for (i = 0; i < n && rc == ND_OK; i++) {
        p->t[i].p = p;
        p->nt = i + 1;
        if ((rc = worker_init(&p->t[i].w, cx)) == ND_OK) {
            if (pthread_create(&p->t[i].id, NULL, worker_main, &p->t[i]) != 0)
                rc = fail(cx, ND_ERROR, "cannot start an ingest thread");
            else
                p->t[i].started = 1;
        }
    }
    return rc;
}

/* One record read: run and store it here, or queue it for the workers
 * (storing the oldest first when the ring is full). */
static int submit(ictx *cx, record_fn parse, const void *ud, const char *text, size_t len, uint64_t line)
{
    pipeline *p = cx->pipe;
    job *j;
    int rc = ND_OK;
    if (!p) {
        j = cx->job;
        j->parse = parse;
        j->ud = ud;
        j->text = text;
        j->len = len;
        j->line = line;
        job_run(cx->w, j);
        rc = job_store(cx, j);
        job_reset(j);
        return rc;
    }
    while (rc == ND_OK && p->tail > p->head && (p->tail - p->head == p->cap || p->queued + len > MAX_QUEUED))
        pipe_pop(cx, p, &rc);
    if (rc != ND_OK)
        return rc;
    j = &p->ring[p->tail % p->cap];
    j->own.len = 0;
    if ((rc = nd_buf_append(&j->own, text, len)) != ND_OK)
        return rc;
    j->parse = parse;
    j->ud = ud;
    j->text = j->own.ptr;
    j->len = len;
    j->line = line;
    p->queued += len;
    pthread_mutex_lock(&p->mu);
    j->state = JOB_QUEUED;
    p->tail++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return ND_OK;
}

/* ---- streams ---------------------------------------------------------- */

typedef struct stream {
    FILE *f;
    nd__decoder dec;
    int open, eof;
    nd_buf raw, pend;          /* raw chunk; decoded, not yet consumed */
    size_t pos;                /* consumed bytes of pend */
    uint64_t base;             /* decoded offset of pend[0]; file offset - bom */
    size_t bom;
} stream;

/* Read and decode the next chunk into s->pend (dropping consumed bytes). */
static int stream_fill(ictx *cx, stream *s)
{
    size_t n;
    int rc;
    if (s->pos) {
        memmove(s->pend.ptr, s->pend.ptr + s->pos, s->pend.len - s->pos);
        s->pend.len -= s->pos;
        s->base += s->pos;
        s->pos = 0;
    }
    if (s->eof)
        return ND_OK;
    if ((rc = nd_buf_reserve(&s->raw, CHUNK)) != ND_OK)
        return rc;
    n = fread(s->raw.ptr, 1, CHUNK, s->f);
    if (n < CHUNK) {
        if (ferror(s->f))
            return fail(cx, ND_EIO, "%s: %s", cx->file, strerror(errno));
        s->eof = 1;
    }
    cx->st->bytes += n;
    cx->prog.bytes += n;
    if (!s->open) {
        const char *enc = NULL;
        if (cx->o.encoding) {
            size_t b2;
            const char *sn = nd__encoding_sniff(s->raw.ptr, n, s->eof, &b2);
            enc = nd__encoding_canonical(cx->o.encoding);
            if (strcmp(enc, "utf-16") == 0)
                enc = strncmp(sn, "utf-16", 6) == 0 ? sn : "utf-16le";
            if (b2 && strcmp(sn, enc) == 0)
                s->bom = b2;
        } else {
            enc = nd__encoding_sniff(s->raw.ptr, n, s->eof, &s->bom);
        }
        if ((rc = nd__decoder_init(&s->dec, enc)) != ND_OK)
            return rc;
        s->open = 1;
        return nd__decoder_feed(&s->dec, &s->pend, s->raw.ptr + s->bom, n - s->bom, s->eof);
    }
    return nd__decoder_feed(&s->dec, &s->pend, s->raw.ptr, n, s->eof);
}

static void stream_close(stream *s)
{
    if (s->open)
        nd__decoder_close(&s->dec);
    nd_buf_free(&s->raw);
    nd_buf_free(&s->pend);
}

static uint64_t count_lines(const char *s, size_t n)
{
    uint64_t k = 0;
    const char *e = s + n;
    while ((s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
        k++;
        s++;
    }
    return k;
}

/* The lines of a line-based format, one at a time: each line (CR LF or LF
 * cut off; empty lines left out; text valid UTF-8, repaired or under
 * strict rejected with its byte offset; longer than max_bytes rejected)
 * goes to each(cx, ud, text, n, line number). */
static int read_lines(ictx *cx, stream *s, int (*each)(ictx *, void *, const char *, size_t, uint64_t), void *ud)
{
    uint64_t line = 1;
    int rc = ND_OK, skipping = 0;
    for (;;) {
        char *p = s->pend.ptr + s->pos, *nl;
        size_t avail = s->pend.len - s->pos, n;
        const char *text;
        int bad;
        nl = avail ? memchr(p, '\n', avail) : NULL;
        if (!nl && !s->eof) {
            if (avail > cx->o.max_bytes) {
                if (!skipping) {
                    cx->st->rejected++;
                    if ((rc = reader_report(cx, line, "line longer than max_bytes (%llu bytes): skipped",
                                     (unsigned long long)cx->o.max_bytes)) != ND_OK)
                        return rc;
                }
                skipping = 1;
                s->pos = s->pend.len;
            }
            if ((rc = stream_fill(cx, s)) != ND_OK)
                return rc;
            continue;
        }
        if (!nl && avail == 0)
            return ND_OK;
        n = nl ? (size_t)(nl - p) : avail;
        s->pos += nl ? n + 1 : n;
        if (skipping) {
            skipping = 0;
            line++;
            continue;
        }
        if (n > cx->o.max_bytes) {
            cx->st->rejected++;
            if ((rc = reader_report(cx, line, "line longer than max_bytes (%llu bytes): skipped",
                             (unsigned long long)cx->o.max_bytes)) != ND_OK)
                return rc;
            line++;
            continue;
        }
        if (n && p[n - 1] == '\r')
            n--;
        if (n == 0) {
            line++;
            continue;
        }
        if ((rc = check_utf8(cx, p, n, s->base + (uint64_t)(p - s->pend.ptr) + s->bom, line,
                             &text, &n, &bad)) != ND_OK)
            return rc;
        if (!bad && (rc = each(cx, ud, text, n, line)) != ND_OK)
            return rc;
        line++;
    }
}

static int jsonl_parse(job *j, const void *ud, nd__record *r)
{
    (void)ud;
    return nd__jsonl_record(j->text, j->len, r, &j->root, &j->decoded, &j->msg);
}

/* One JSON Lines line (blank ones are left out). */
static int jsonl_line(ictx *cx, void *ud, const char *p, size_t n, uint64_t line)
{
    (void)ud;
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    return n ? submit(cx, jsonl_parse, NULL, p, n, line) : ND_OK;
}

static int read_jsonl(ictx *cx, stream *s)
{
    int rc = read_lines(cx, s, jsonl_line, NULL);
    return rc == ND_OK ? drain(cx) : rc;
}

/* A CSV or TSV header: its columns and their roles (NULL before it is read). */
typedef struct header {
    nd_csv_record hdr;
    int *role;
} header;

static int tsv_parse(job *j, const void *ud, nd__record *r)
{
    const header *h = ud;
    int rc = nd__tsv_parse(&j->rec, j->text, j->len);
    return rc != ND_OK ? rc : nd__csv_record(&h->hdr, h->role, &j->rec, r, &j->msg);
}

/* TSV: a header row naming the columns as CSV's does, then one record a
 * line (escapes as nd__tsv_parse reads them). */
static int tsv_line(ictx *cx, void *ud, const char *p, size_t n, uint64_t line)
{
    header *h = ud;
    int rc;
    if (!h->role)
        return (rc = nd__tsv_parse(&h->hdr, p, n)) != ND_OK ? rc : nd__csv_header(&h->hdr, &h->role);
    return submit(cx, tsv_parse, h, p, n, line);
}

/* The end of a reader whose jobs borrow h: wait for them (rc ND_OK) or
 * drop them, then free h.  Returns rc or drain's failure. */
static int header_done(ictx *cx, header *h, int rc)
{
    if (rc == ND_OK)
        rc = drain(cx);
    else
        pipe_free(cx);
    nd_free(h->role);
    nd_csv_record_free(&h->hdr);
    return rc;
}

static int read_tsv(ictx *cx, stream *s)
{
    header h = { ND_CSV_RECORD_INIT, NULL };
    return header_done(cx, &h, read_lines(cx, s, tsv_line, &h));
}

static int csv_parse(job *j, const void *ud, nd__record *r)
{
    const header *h = ud;
    size_t used;
    int rc = nd_csv_parse(&j->rec, j->text, j->len, &used);
    return rc != ND_OK ? rc : nd__csv_record(&h->hdr, h->role, &j->rec, r, &j->msg);
}

/* CSV with a header row; records may span lines inside quotes.  Text is
 * checked once as it arrives: repaired in place, or (strict) each record
 * holding invalid UTF-8 is rejected with the byte's offset. */
static int read_csv(ictx *cx, stream *s)
{
    header h = { ND_CSV_RECORD_INIT, NULL };
    nd_csv_record rec = ND_CSV_RECORD_INIT;
    int rc = ND_OK, have_header = 0;
    uint64_t line = 1;
    size_t checked = 0;         /* bytes from s->pos known to be valid */
    for (;;) {
        char *p = s->pend.ptr + s->pos;
        size_t avail = s->pend.len - s->pos, region = avail, used = 0, bad_off;
        int prc;
        if (!s->eof) {
            /* only whole lines: a record never ends inside a line */
            region = avail;
            while (region && p[region - 1] != '\n')
                region--;
        }
        if (region == 0 && !s->eof) {
            if (avail > cx->o.max_bytes)
                goto too_long;
            if ((rc = stream_fill(cx, s)) != ND_OK)
                goto done;
            continue;
        }
        if (avail == 0)
            break;
        if (!cx->o.strict && checked < region) {
            const char *text;
            size_t tlen, tail = s->pend.len - s->pos - region;
            int bad;
            if ((rc = check_utf8(cx, p + checked, region - checked, 0, line, &text, &tlen, &bad)) != ND_OK)
                goto done;
            if (text != p + checked) {
                /* put the repaired text in place so offsets stay consistent */
                size_t old = region - checked;
                if ((rc = nd_buf_reserve(&s->pend, tlen > old ? tlen - old : 0)) != ND_OK)
                    goto done;
                p = s->pend.ptr + s->pos;
                memmove(p + checked + tlen, p + region, tail);
                memcpy(p + checked, text, tlen);
                s->pend.len = s->pos + checked + tlen + tail;
                s->pend.ptr[s->pend.len] = '\0';
                region = checked + tlen;
                avail = s->pend.len - s->pos;
            }
            checked = region;
        }
        /* blank lines between records */
        if (*p == '\n' || (*p == '\r' && region > 1 && p[1] == '\n')) {
            used = *p == '\n' ? 1 : 2;
            goto next;
        }
        prc = nd_csv_parse(&rec, p, region, &used);
        if (prc == ND_ELIMIT) {
            if (s->eof) {
                cx->st->rejected++;
                if ((rc = reader_report(cx, line, "unterminated quoted field")) != ND_OK)
                    goto done;
                break;
            }
            if (avail > cx->o.max_bytes)
                goto too_long;
            if ((rc = stream_fill(cx, s)) != ND_OK)
                goto done;
            continue;
        }
        if (prc == ND_ESYNTAX) {
            /* report at the line of the stray byte; resume after that line */
            uint64_t at = line + count_lines(p, used);
            const char *nl = memchr(p + used, '\n', region - used);
            used = nl ? (size_t)(nl - p) + 1 : region;
            cx->st->rejected++;
            if ((rc = reader_report(cx, at, "text after a closing quote")) != ND_OK)
                goto done;
            if (!have_header)
                break;
            goto next;
        }
        if ((rc = prc) != ND_OK)
            goto done;
        if (cx->o.strict && nd_utf8_check(p, used, &bad_off) != ND_OK) {
            cx->st->rejected++;
            if ((rc = reader_report(cx, line, "invalid UTF-8 at byte %llu",
                             (unsigned long long)(s->base + s->pos + s->bom + bad_off))) != ND_OK)
                goto done;
            if (!have_header)
                break;
        } else if (used > cx->o.max_bytes) {
            cx->st->rejected++;
            if ((rc = reader_report(cx, line, "record longer than max_bytes (%llu bytes): skipped",
                             (unsigned long long)cx->o.max_bytes)) != ND_OK)
                goto done;
        } else if (!have_header) {
            if ((rc = nd_csv_parse(&h.hdr, p, region, &used)) != ND_OK ||
                (rc = nd__csv_header(&h.hdr, &h.role)) != ND_OK)
                goto done;
            have_header = 1;
        } else {
            size_t rawlen = used;
            while (rawlen && (p[rawlen - 1] == '\n' || p[rawlen - 1] == '\r'))
                rawlen--;
            rc = submit(cx, csv_parse, &h, p, rawlen, line);
            if (rc != ND_OK)
                goto done;
        }
next:
        line += count_lines(p, used);
        s->pos += used;
        checked = checked > used ? checked - used : 0;
        continue;
too_long:
        cx->st->rejected++;
        if ((rc = reader_report(cx, line, "record longer than max_bytes (%llu bytes): rest of file skipped",
                         (unsigned long long)cx->o.max_bytes)) != ND_OK)
            goto done;
        break;
    }
done:
    rc = header_done(cx, &h, rc);
    nd_csv_record_free(&rec);
    return rc;
}

/* A page dump (or HTML page): the whole file, up to max_bytes. */
/* 1 when the start of a page looks like binary data rather than text: more
 * than 1 byte in 32 of the first 8 KiB is NUL or a C0 control other than
 * tab, line ends, form feed and escape.  One stray NUL in a page is text. */
static int looks_binary(const char *s, size_t len)
{
    size_t n = len < 8192 ? len : 8192, i, bad = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b)
            bad++;
    }
    return bad > 1 && bad * 32 > n;
}

/* A crawl record saved as text: line 1 the title, line 2 the crawl time
 * (a date that is the whole line: "2017-04-10 03:48:34"), then an optional
 * URL line, then a blank line or the end.  The body follows. */
typedef struct crawl_hdr {
    nd_str title, stamp, url;
    nd_date date;
    size_t body;                /* offset of the body in the text */
} crawl_hdr;

/* The next line of s from *pos, trimmed of blanks and CR; *pos moves past
 * it.  0 at the end of s. */
static int next_line(const char *s, size_t len, size_t *pos, nd_str *line)
{
    const char *nl;
    size_t a = *pos, b;
    if (a >= len)
        return 0;
    nl = memchr(s + a, '\n', len - a);
    b = nl ? (size_t)(nl - s) : len;
    *pos = nl ? b + 1 : len;
    while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
        b--;
    line->ptr = s + a;
    line->len = b - a;
    return 1;
}

static int is_web_address(nd_str l)
{
    size_t i;
    if (!((l.len > 8 && memcmp(l.ptr, "https://", 8) == 0) || (l.len > 7 && memcmp(l.ptr, "http://", 7) == 0)))
        return 0;
    for (i = 0; i < l.len; i++)
        if (l.ptr[i] == ' ' || l.ptr[i] == '\t')
            return 0;
    return 1;
}

static int crawl_header(const char *s, size_t len, crawl_hdr *h)
{
    size_t pos = 0;
    nd_str l;
    nd_date_opts o;
    memset(h, 0, sizeof *h);
    memset(&o, 0, sizeof o);
    o.day_first = -1;
    if (!next_line(s, len, &pos, &h->title) || h->title.len == 0 || h->title.len > 400 ||
        is_web_address(h->title) || !next_line(s, len, &pos, &h->stamp) || h->stamp.len > 40 ||
        nd_date_parse(h->stamp.ptr, h->stamp.len, &o, &h->date) != ND_OK || h->date.year <= 0 ||
        h->date.start != 0 || h->date.stop != h->stamp.len)
        return 0;
    h->body = pos;
    if (!next_line(s, len, &pos, &l))
        return 1;
    if (is_web_address(l)) {
        h->url = l;
        h->body = pos;
        if (!next_line(s, len, &pos, &l))
            return 1;
    }
    if (l.len != 0)
        return 0;
    h->body = pos;
    return 1;
}

static int read_page(ictx *cx, stream *s, int html)
{
    const char *text, *body;
    size_t count, k, tlen, blen;
    int rc, bad, crawl;
    crawl_hdr h;
    nd_str title = { NULL, 0 };
    char *meta = NULL;
    while (!s->eof) {
        if ((rc = stream_fill(cx, s)) != ND_OK)
            return rc;
        if (s->pend.len > cx->o.max_bytes) {
            cx->st->rejected++;
            return report(cx, 0, "larger than max_bytes (%llu bytes): not ingested",
                          (unsigned long long)cx->o.max_bytes);
        }
    }
    if (looks_binary(s->pend.ptr, s->pend.len)) {
        cx->st->rejected++;
        return report(cx, 0, "binary data, not text (control bytes near the start): not ingested");
    }
    if ((rc = check_utf8(cx, s->pend.ptr ? s->pend.ptr : "", s->pend.len, s->bom, 0, &text, &tlen, &bad)) != ND_OK || bad)
        return rc;
    /* header lines of a crawl record become fields; markup anywhere in the
     * text is converted (a page that merely mentions '<' is not markup) */
    crawl = crawl_header(text, tlen, &h);
    body = text + (crawl ? h.body : 0);
    blen = tlen - (crawl ? h.body : 0);
    html = html || nd_html_has_tags(body, blen);
    if (html) {
        if ((rc = nd_html_to_text(&cx->text, body, blen)) != ND_OK)
            return rc;
        body = cx->text.ptr;
        blen = cx->text.len;
    }
    nd_extractor_set_ref(cx->w->ex, crawl ? &h.date : cx->o.ref);   /* a crawl record's own time */
    if (crawl) {
        title = h.title;
        if ((rc = clean_field(&cx->html_title, &title)) != ND_OK ||
            (rc = nd_extract_story(cx->w->ex, body, blen, NULL, title.ptr, title.len, &count)) != ND_OK)
            return rc;
    } else if ((rc = nd_extract_page(cx->w->ex, body, blen, NULL, &count)) != ND_OK) {
        return rc;
    }
    nd_extractor_set_ref(cx->w->ex, cx->o.ref);
    for (k = 0; k < count; k++) {
        const nd_extracted *e = nd_extract_get(cx->w->ex, k);
        nd_article a;
        json_t *m, *v;
        if (!e->body.len && !e->title.ptr)
            continue;
        memset(&a, 0, sizeof a);
        a.title = e->title;
        a.body = e->body;
        a.date = e->date;
        a.date_text = e->date_text;
        a.source = e->source;
        a.author = e->author;
        a.url = crawl && h.url.ptr ? h.url : e->url;
        if (!html && ((!crawl && (rc = clean_field(&cx->html_title, &a.title)) != ND_OK) ||
                      (rc = clean_field(&cx->html_body, &a.body)) != ND_OK))
            return rc;          /* references in plain text; HTML had them decoded */
        if (crawl) {
            if ((rc = nd_date_format(&h.date, &cx->iso)) != ND_OK)
                return rc;
            a.date.ptr = cx->iso.ptr;
            a.date.len = cx->iso.len;
            a.date_text = h.stamp;
        }
        if (count == 1) {
            /* one article: the file as it came, header and markup and all */
            a.raw.ptr = text;
            a.raw.len = tlen;
        } else {
            a.raw.ptr = body + e->raw_start;
            a.raw.len = e->raw_stop - e->raw_start;
        }
        m = json_object();
        if (m && (v = json_string(cx->file)) != NULL)
            json_object_set_new(m, "file", v);
        if (m && e->updated.ptr && (v = json_stringn(e->updated.ptr, e->updated.len)) != NULL)
            json_object_set_new(m, "updated", v);
        meta = m ? json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(m);
        if (!meta)
            return ND_ENOMEM;
        a.meta_json.ptr = meta;
        a.meta_json.len = strlen(meta);
        rc = put(cx, &a, 0);
        free(meta);
        if (rc != ND_OK)
            return rc;
    }
    return ND_OK;
}

/* ---- formats ---------------------------------------------------------- *
 * Every input format is one row: its names for the `format` option, the
 * file name extensions a folder walk reads it from, a sniff that
 * recognises it at the start of standard input (NULL: never guessed), and
 * its reader.  A reader reads all of stream s into cx; `records` says
 * whether it is a feed of records each counted as added, duplicate or
 * rejected, or a file that is one unit (up to max_bytes, counted once). */

static int read_text(ictx *cx, stream *s)
{
    return read_page(cx, s, 0);
}

static int read_html(ictx *cx, stream *s)
{
    return read_page(cx, s, 1);
}

/* Standard input starting with '{' is JSON Lines. */
static int sniff_jsonl(const char *head, size_t n)
{
    size_t i;
    for (i = 0; i < n && strchr(" \t\r\n", head[i]); i++)
        ;
    return i < n && head[i] == '{';
}

typedef struct format {
    const char *name, *alias;       /* for the `format` option */
    const char *title;              /* for messages */
    const char *ext[4];             /* ".ext", NULL-terminated */
    int (*sniff)(const char *head, size_t n);
    int (*read)(ictx *cx, stream *s);
    int records;
} format;

static const format formats[] = {
    { "jsonl", "json", "JSON Lines", { ".jsonl", ".ndjson", ".json", NULL }, sniff_jsonl, read_jsonl, 1 },
    { "csv", NULL, "CSV", { ".csv", NULL }, NULL, read_csv, 1 },
    { "tsv", NULL, "TSV", { ".tsv", ".tab", NULL }, NULL, read_tsv, 1 },
    { "html", NULL, "HTML", { ".html", ".htm", NULL }, NULL, read_html, 0 },
    /* the last row is the default: a file without a known extension */
    { "page", "text", "text", { ".txt", ".text", NULL }, NULL, read_text, 0 },
};
#define DEFAULT_FORMAT (&formats[ND_ARRAY_LEN(formats) - 1])

/* The format a file name's extension names, or NULL. */
static const format *format_by_ext(const char *name)
{
    const char *dot = strrchr(name, '.'), *slash = strrchr(name, '/');
    size_t i, k;
    if (!dot || (slash && dot < slash))
        return NULL;
    for (i = 0; i < ND_ARRAY_LEN(formats); i++)
        for (k = 0; formats[i].ext[k]; k++)
            if (!strcasecmp(dot, formats[i].ext[k]))
                return &formats[i];
    return NULL;
}

/* The format of a path given or found: by extension, else a page. */
static const format *format_of(const char *path)
{
    const format *f = format_by_ext(path);
    return f ? f : DEFAULT_FORMAT;
}

/* Is a file found in a folder walk one to read?  No extension, or a known one. */
static int wanted(const char *name)
{
    return !strchr(name, '.') || format_by_ext(name) != NULL;
}

/* The format the `format` option names, or NULL. */
static const format *forced_format(const char *name)
{
    size_t i;
    for (i = 0; i < ND_ARRAY_LEN(formats); i++)
        if (!strcmp(name, formats[i].name) || (formats[i].alias && !strcmp(name, formats[i].alias)))
            return &formats[i];
    return NULL;
}

/* Each row's name ("jsonl, csv or page"; by_title 0) or title ("JSON
 * Lines, CSV, text"; 1) into b, NUL-terminated. */
static int format_list(nd_buf *b, int by_title)
{
    size_t i, n = ND_ARRAY_LEN(formats);
    int rc = ND_OK;
    b->len = 0;
    for (i = 0; i < n && rc == ND_OK; i++) {
        const char *w = by_title ? formats[i].title : formats[i].name, *sep = i == 0 ? "" : i + 1 == n && !by_title ? " or " : ", ";
        if ((rc = nd_buf_append(b, sep, strlen(sep))) == ND_OK)
            rc = nd_buf_append(b, w, strlen(w));
    }
    return rc == ND_OK ? nd_buf_append(b, "", 0) : rc;
}

/* ---- files ------------------------------------------------------------ */

static int read_file(ictx *cx, const infile *fi)
{
    stream s;
    int rc = ND_OK;
    const format *fmt;
    uint64_t rejected0 = cx->st->rejected, stored0 = cx->st->added + cx->st->duplicates;
    memset(&s, 0, sizeof s);
    cx->file = fi->path;
    if (cx->o.refuse && cx->o.refuse(cx->o.refuse_ud, fi->path) != 0) {
        cx->st->rejected++;
        return report(cx, 0, "not readable here (outside the directories this script may read)");
    }
    if (strcmp(fi->path, "-") == 0) {
        s.f = stdin;
    } else if (!(s.f = fopen(fi->path, "rb"))) {
        cx->st->rejected++;
        return report(cx, 0, "cannot open: %s", strerror(errno));
    }
    cx->st->files++;
    fmt = cx->o.format ? forced_format(cx->o.format) : format_of(fi->path);
    if (!fmt->records && fi->size > cx->o.max_bytes) {
        cx->st->rejected++;
        rc = report(cx, 0, "%llu bytes is larger than max_bytes (%llu bytes): not ingested",
                    (unsigned long long)fi->size, (unsigned long long)cx->o.max_bytes);
        goto done;
    }
    if (s.f == stdin && !cx->o.format) {
        /* standard input: the first format whose sniff knows its start */
        size_t i;
        if ((rc = stream_fill(cx, &s)) != ND_OK)
            goto done;
        fmt = DEFAULT_FORMAT;
        for (i = 0; i < ND_ARRAY_LEN(formats); i++)
            if (formats[i].sniff && formats[i].sniff(s.pend.ptr ? s.pend.ptr : "", s.pend.len)) {
                fmt = &formats[i];
                break;
            }
    }
    if ((rc = nd_buf_reserve(&s.pend, 1)) != ND_OK)   /* readers do pend.ptr + pos: never NULL + 0 */
        goto done;
    rc = fmt->read(cx, &s);
    /* a page is one unit, counted once: added, a duplicate, or rejected
     * (an empty page too) */
    if (rc == ND_OK && !fmt->records && cx->st->rejected == rejected0 &&
        cx->st->added + cx->st->duplicates == stored0) {
        cx->st->rejected++;
        rc = report(cx, 0, "no text in it: not ingested");
    }
    /* rejected whole (binary, too large, empty), it was not repaired; a
     * feed's records count one by one */
    if (rc == ND_OK && s.dec.nrepl && !cx->o.strict &&
        (fmt->records || cx->st->rejected == rejected0))
        cx->st->repaired++;
done:
    stream_close(&s);
    if (s.f && s.f != stdin)
        fclose(s.f);
    cx->prog.files++;
    if (rc == ND_OK)
        rc = progress(cx);
    else if (rc == ND_ENOMEM && !cx->st->errmsg)
        fail(cx, rc, "out of memory");
    return rc;
}

/* ---- the walk --------------------------------------------------------- */

static int add_file(ictx *cx, const char *path, size_t len, uint64_t size)
{
    infile *f;
    if (ND__GROW1(cx->files, cx->fcap, cx->nfiles) != ND_OK)
        return ND_ENOMEM;
    f = &cx->files[cx->nfiles];
    if (!(f->path = nd__strndup(path, len)))
        return ND_ENOMEM;
    f->size = size;
    cx->nfiles++;
    cx->prog.total_bytes += size;
    return ND_OK;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect the files of folder dir (recursively, sorted, hidden skipped). */
static int walk(ictx *cx, const char *dir, int depth)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = ND_OK;
    nd_buf path = ND_BUF_INIT;
    cx->file = dir;
    if (depth > 64)
        return report(cx, 0, "folders nested too deep");
    if (!(d = opendir(dir))) {
        return report(cx, 0, "cannot read folder: %s", strerror(errno));
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if ((rc = ND__GROW1(names, cap, n)) != ND_OK)
            goto done;
        if (!(names[n] = nd__strndup(de->d_name, strlen(de->d_name)))) {
            rc = ND_ENOMEM;
            goto done;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof *names, cmp_name);
    for (i = 0; i < n && rc == ND_OK; i++) {
        struct stat sb;
        size_t dl = strlen(dir);
        path.len = 0;
        if ((rc = nd_buf_append(&path, dir, dl)) != ND_OK ||
            (dl && dir[dl - 1] != '/' && (rc = nd_buf_append(&path, "/", 1)) != ND_OK) ||
            (rc = nd_buf_append(&path, names[i], strlen(names[i]))) != ND_OK)
            break;
        if (stat(path.ptr, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            rc = walk(cx, path.ptr, depth + 1);
        else if (S_ISREG(sb.st_mode) && wanted(names[i]))
            rc = add_file(cx, path.ptr, path.len, (uint64_t)sb.st_size);
        else if (S_ISREG(sb.st_mode) && (rc = format_list(&cx->msg, 1)) == ND_OK)
            rc = skip_file(cx, path.ptr, "skipped: %s is no format newsdesk reads (%s)", strrchr(names[i], '.'),
                           cx->msg.ptr);
    }
done:
    for (i = 0; i < n; i++)
        nd_free(names[i]);
    nd_free(names);
    nd_buf_free(&path);
    closedir(d);
    return rc;
}

/* Expand one path argument into files. */
static int collect(ictx *cx, const char *path)
{
    struct stat sb;
    if (strcmp(path, "-") == 0)
        return add_file(cx, "-", 1, 0);
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return walk(cx, path, 0);
        return add_file(cx, path, strlen(path), (uint64_t)sb.st_size);
    }
    if (strpbrk(path, "*?[")) {
        glob_t g;
        size_t i;
        int rc = ND_OK;
        if (glob(path, 0, NULL, &g) != 0)
            return fail(cx, ND_ENOTFOUND, "%s: no file matches", path);
        for (i = 0; i < g.gl_pathc && rc == ND_OK; i++) {
            if (stat(g.gl_pathv[i], &sb) != 0)
                continue;
            if (S_ISDIR(sb.st_mode))
                rc = walk(cx, g.gl_pathv[i], 0);
            else
                rc = add_file(cx, g.gl_pathv[i], strlen(g.gl_pathv[i]), (uint64_t)sb.st_size);
        }
        globfree(&g);
        return rc;
    }
    return fail(cx, ND_ENOTFOUND, "%s: %s", path, strerror(errno));
}

int nd_ingest_paths(nd_store *db, const char *const *paths, size_t npaths,
                    const nd_ingest_opts *o, nd_ingest_stats *st)
{
    ictx cx;
    worker w0;
    job j0;
    size_t i, threads;
    int rc = ND_OK, open_tx = 0;
    memset(&cx, 0, sizeof cx);
    memset(&w0, 0, sizeof w0);
    memset(&j0, 0, sizeof j0);
    cx.w = &w0;
    cx.job = &j0;
    cx.db = db;
    cx.st = st;
    if (o)
        cx.o = *o;
    if (!cx.o.batch)
        cx.o.batch = DEFAULT_BATCH;
    if (!cx.o.max_bytes)
        cx.o.max_bytes = DEFAULT_MAX_BYTES;
    nd_free(st->errmsg);
    st->errmsg = NULL;
    if (cx.o.encoding && !nd__encoding_canonical(cx.o.encoding)) {
        rc = fail(&cx, ND_EINVAL, "unknown encoding '%s'", cx.o.encoding);
        goto done;
    }
    if (cx.o.format && !forced_format(cx.o.format)) {
        rc = format_list(&cx.msg, 0);
        rc = fail(&cx, rc == ND_OK ? ND_EINVAL : rc, "unknown format '%s' (%s)", cx.o.format,
                  rc == ND_OK ? cx.msg.ptr : "");
        goto done;
    }
    for (i = 0; i < npaths && rc == ND_OK; i++)
        rc = collect(&cx, paths[i]);
    if (rc != ND_OK)
        goto done;
    if ((rc = worker_init(&w0, &cx)) != ND_OK)
        goto done;
    threads = cx.o.threads ? cx.o.threads : 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if (threads > 1 && (rc = pipe_new(&cx, threads - 1)) != ND_OK)
        goto done;
    cx.nested = !sqlite3_get_autocommit(nd_store_sqlite(db));
    if (!cx.nested) {
        if ((rc = nd_store_begin(db)) != ND_OK) {
            rc = fail(&cx, rc, "%s", nd_store_errmsg(db));
            goto done;
        }
        open_tx = 1;
    }
    for (i = 0; i < cx.nfiles && rc == ND_OK; i++)
        rc = read_file(&cx, &cx.files[i]);
    if (rc == ND_OK) {
        open_tx = 0;
        rc = commit_batch(&cx, 0);
    }
done:
    pipe_free(&cx);
    if (open_tx)
        nd_store_rollback(db);
    if (rc == ND_ENOMEM && !st->errmsg)
        fail(&cx, rc, "out of memory");
    for (i = 0; i < cx.nfiles; i++)
        nd_free(cx.files[i].path);
    nd_free(cx.files);
    worker_free(&w0);
    job_free(&j0);
    nd_buf_free(&cx.text);
    nd_buf_free(&cx.fixed);
    nd_buf_free(&cx.html_title);
    nd_buf_free(&cx.html_body);
    nd_buf_free(&cx.msg);
    nd_buf_free(&cx.iso);
    return rc;
}

int nd_ingest_path(nd_store *db, const char *path, const nd_ingest_opts *o, nd_ingest_stats *st)
{
    return nd_ingest_paths(db, &path, 1, o, st);
}
