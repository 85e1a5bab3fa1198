/* One error contract for every handle: *_errmsg gives "" when the last call
 * succeeded, the message of the failure after one, and "out of memory" for
 * a NULL handle (what a constructor leaves when the handle itself could not
 * be allocated); never NULL. */
#include <string.h>

#include "newsdesk.h"
#include "tap.h"

int main(void)
{
    nd_store *db = NULL;
    nd_rules *r = NULL;
    nd_runtime *rt = NULL;
    nd_runtime_opts o;

    is_str(nd_store_errmsg(NULL), "out of memory", "nd_store_errmsg(NULL)");
    is_str(nd_rules_errmsg(NULL), "out of memory", "nd_rules_errmsg(NULL)");
    is_str(nd_runtime_errmsg(NULL), "out of memory", "nd_runtime_errmsg(NULL)");

    ok(nd_store_open(&db, NULL, 0) == ND_OK, "an in-memory store opens");
    is_str(nd_store_errmsg(db), "", "nd_store_errmsg is \"\" when there is no error");
    nd_store_close(db);
    db = NULL;
    ok(nd_store_open(&db, "/nonexistent-dir/x/store.db", 0) != ND_OK && *nd_store_errmsg(db) != '\0',
       "a failed open leaves its message (%s)", nd_store_errmsg(db));
    nd_store_close(db);

    ok(nd_rules_new(&r) == ND_OK, "an empty rule set");
    is_str(nd_rules_errmsg(r), "", "nd_rules_errmsg is \"\" when there is no error");
    nd_rules_free(r);

    nd_runtime_opts_init(&o);
    ok(nd_runtime_new(&rt, &o) == ND_OK, "a runtime");
    is_str(nd_runtime_errmsg(rt), "", "nd_runtime_errmsg is \"\" when there is no error");
    ok(nd_runtime_load_string(rt, "x.lua", "error('boom')", strlen("error('boom')")) != ND_OK &&
       strstr(nd_runtime_errmsg(rt), "boom") != NULL, "a failed call leaves its message");
    nd_runtime_free(rt);
    return tap_done();
}
