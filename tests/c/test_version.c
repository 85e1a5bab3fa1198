/* The version lives in one place: the macros and nd_version() agree. */
#include <stdio.h>

#include "newsdesk.h"
#include "tap.h"

int main(void)
{
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", ND_VERSION_MAJOR, ND_VERSION_MINOR, ND_VERSION_PATCH);
    is_str(nd_version(), want, "nd_version() matches ND_VERSION_MAJOR/MINOR/PATCH");
    is_str(ND_VERSION_STRING, want, "ND_VERSION_STRING matches the parts");
    is_str(nd_errstr(ND_ENOMEM), "out of memory", "nd_errstr names ND_ENOMEM");
    ok(nd_errstr(12345) != NULL, "nd_errstr of an unknown code is still text");
    {
        nd_buf b = ND_BUF_INIT;
        ok(nd_buf_append(&b, "ab\0c", 4) == ND_OK && b.len == 4 && b.ptr[4] == '\0',
           "nd_buf_append keeps embedded NULs and terminates");
        nd_buf_free(&b);
        nd_buf_free(&b);
        ok(b.ptr == NULL && b.len == 0, "nd_buf_free twice is harmless");
        nd_buf_free(NULL);
        nd_free(NULL);
    }
    return tap_done();
}
