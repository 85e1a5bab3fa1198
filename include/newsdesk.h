/*
 * newsdesk.h — the public C API of newsdesk: one include for everything.
 *
 * newsdesk is a small C library for analysing multilingual news: a text
 * layer (validation, normalization, Turkish-aware case folding, tokens), an
 * article store on SQLite with full-text search, an entity-rules matcher,
 * and an embedding runtime that runs analyst Lua scripts in a sandbox.
 *
 * Thread rules: handles are not shared between threads without external
 * locking; distinct handles may be used from distinct threads at once.
 */
#ifndef NEWSDESK_H
#define NEWSDESK_H

#include "nd_core.h"
#include "nd_text.h"
#include "nd_dates.h"
#include "nd_runtime.h"
#include "nd_store.h"
#include "nd_ingest.h"
#include "nd_rules.h"
#include "nd_repl.h"

#endif /* NEWSDESK_H */
