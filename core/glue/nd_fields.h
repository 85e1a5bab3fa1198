/*
 * nd_fields.h — the one table of the names input fields go by (JSON Lines
 * keys, CSV headers), for the Lua modules, which give it to the Lua library
 * as newsdesk.ingest.fields.  Core-facing glue: not installed.  Implemented
 * in core/jsonl.c.
 */
#ifndef ND_FIELDS_H
#define ND_FIELDS_H

/* The names of field i (1, 2, ...): its own name first ("body"), then the
 * other names it is read under, preferred first, all lowercase (input
 * names match ignoring ASCII case); NULL-terminated.  NULL past the last
 * field.  Static storage. */
const char *const *nd__field_names(int i);

#endif /* ND_FIELDS_H */
