/*
 * rules_id.c — the entity id convention shared by discovery and rule
 * matches that name no pack entity: the folded base name, words joined by
 * single spaces ("Kim Jong-un", "KIM JONG UN" and "Kim Jong Un’un" all give
 * "kim jong un").
 */
#include "rules_internal.h"

int nd_rules_entity_id(nd_buf *out, const char *name, size_t len)
{
    nd_buf fold = ND_BUF_INIT, key = ND_BUF_INIT;
    size_t i;
    int rc, skip = 0;
    out->len = 0;
    rc = nd_text_fold(&fold, name, len, 0, NULL);
    if (rc == ND_OK)
        rc = nd__rules_keystream(fold.ptr ? fold.ptr : "", fold.len, NULL, NULL, &key, NULL, NULL);
    if (rc == ND_OK) rc = nd_buf_reserve(out, key.len + 1);
    for (i = 0; rc == ND_OK && i < key.len; i++) {
        char c = key.ptr[i];
        if (c == '\'') {
            skip = 1;                         /* a suffix after an apostrophe */
        } else if (KEY_IS_GAP(c)) {
            skip = 0;
            if (out->len && out->ptr[out->len - 1] != ' ') out->ptr[out->len++] = ' ';
        } else if (!skip) {
            out->ptr[out->len++] = c;
        }
    }
    if (rc == ND_OK) {
        while (out->len && out->ptr[out->len - 1] == ' ') out->len--;
        out->ptr[out->len] = '\0';
        if (!out->len) rc = ND_EINVAL;
    }
    nd_buf_free(&fold);
    nd_buf_free(&key);
    return rc;
}
