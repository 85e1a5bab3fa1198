/*
 * nd_store_sql.h — statements on a store's SQLite connection, for the Lua
 * bindings, the runtime and the tests in this tree.  Core-facing glue: not
 * installed, and not in the public header, which shows no SQLite type.
 * Implemented in core/store.c and core/fts.c.
 */
#ifndef ND_STORE_SQL_H
#define ND_STORE_SQL_H

#include <sqlite3.h>

#include "nd_store.h"

/* The connection, for the runtime's progress handler and for read-only
 * queries.  Owned by db.  The store sets its trace callback
 * (SQLITE_TRACE_STMT) and rollback hook, which tell it that a rollback may
 * have taken rows of its stem table back (fts.c): do not replace them. */
sqlite3 *nd_store_sqlite(nd_store *db);

/* Prepare the statement selecting the articles of q, one row per article
 * with the columns ND_COL_* (metadata only, no body or raw), then score
 * and snippet when asked.  With count != 0 the single result column is
 * the number of articles instead.  *st is NULL on failure; the caller
 * finalizes it with sqlite3_finalize. */
int nd_store_query(nd_store *db, const nd_query *q, int count, sqlite3_stmt **st);

/* Prepare the statement listing mentions of q ordered by article, field and
 * start, with columns article_id, field, type, entity, start, stop, text,
 * suffix, rule (start/stop 0-based half-open byte offsets).  The caller
 * finalizes *st. */
int nd_store_mentions(nd_store *db, const nd_mention_query *q, sqlite3_stmt **st);

/* Prepare a statement walking one stored text field ("body" or "raw") in id
 * order from ?1: columns id and the field (bind ?1 = the first id wanted).
 * The caller finalizes it.  Readers that go through articles in id order
 * step it forward instead of looking each article up.  ND_EINVAL for any
 * other field name. */
int nd_store_text_cursor(nd_store *db, const char *field, sqlite3_stmt **st);

/* Prepare the statement reading one article's metadata by id (columns as
 * ND_COL_*; bind ?1 = id).  Owned by db (cached): the caller resets it. */
int nd_store_get_stmt(nd_store *db, sqlite3_stmt **st);

#endif /* ND_STORE_SQL_H */
