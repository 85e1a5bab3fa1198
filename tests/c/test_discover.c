/*
 * test_discover.c — the entity id convention (nd_rules_entity_id) and name
 * discovery through the C API (nd_discover), cue words added by hand.
 */
#include <string.h>

#include "alloc_fail.h"
#include "newsdesk.h"
#include "tap.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_ids(void)
{
    static const struct { const char *name, *id; } cases[] = {
        { "Kim Jong Un", "kim jong un" },
        { "Kim Jong-un", "kim jong un" },
        { "KIM JONG UN", "kim jong un" },
        { "Kim Jong Un\xE2\x80\x99un", "kim jong un" },       /* curly apostrophe suffix */
        { "Recep Tayyip Erdo\xC4\x9F" "an'\xC4\xB1n", "recep tayyip erdogan" },
        { "  \xC4\xB0stanbul   \xC3\x9Cniversitesi ", "istanbul universitesi" },
        { "Baden - W\xC3\xBCrttemberg", "baden wurttemberg" },
        { "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0" },
    };
    nd_buf b = ND_BUF_INIT;
    size_t i;
    for (i = 0; i < COUNT(cases); i++) {
        int rc = nd_rules_entity_id(&b, cases[i].name, strlen(cases[i].name));
        is_int(rc, ND_OK, "id of '%s'", cases[i].name);
        is_str(rc == ND_OK ? b.ptr : "", cases[i].id, "id of '%s'", cases[i].name);
    }
    is_int(nd_rules_entity_id(&b, " - '' ", 6), ND_EINVAL, "a name with no letter has no id");
    nd_buf_free(&b);
}

/* The discoverer of these tests: a few Turkish cue words. */
static int build(nd_discover **d)
{
    static const struct { int cue; const char *type, *word; } cues[] = {
        { ND_CUE_STOP, NULL, "Bu" },
        { ND_CUE_TITLE, NULL, "Bakan\xC4\xB1" },               /* Bakanı */
        { ND_CUE_TITLE_MOD, NULL, "D\xC4\xB1\xC5\x9Fi\xC5\x9Fleri" },  /* Dışişleri */
        { ND_CUE_HEAD, "ORG", "Partisi" },
        { ND_CUE_HEAD, "ORG", "-spor" },
        { ND_CUE_KNOWN, "LOC", "Rusya" },
        { ND_CUE_GIVEN, NULL, "Ay\xC5\x9F" "e" },              /* Ayşe */
        { ND_CUE_DEMONYM, NULL, "Rus" },
    };
    size_t i;
    int rc = nd_discover_new(d, ND_DISCOVER_TR | ND_DISCOVER_APOS);
    for (i = 0; rc == ND_OK && i < COUNT(cues); i++)
        rc = nd_discover_add(*d, cues[i].cue, cues[i].type, cues[i].word, strlen(cues[i].word));
    return rc;
}

#define TEXT "Bu sabah D\xC4\xB1\xC5\x9Fi\xC5\x9Fleri Bakan\xC4\xB1 Ay\xC5\x9F" "e Tun\xC3\xA7 " \
             "Rusyaya gitti. Tun\xC3\xA7'un partisi Mavi Vadi Partisi, Rus heyetini Kocaelispor " \
             "tesislerinde a\xC4\x9F\xC4\xB1rlad\xC4\xB1."

static void test_run(void)
{
    nd_discover *d = NULL;
    const nd_found *f;
    size_t n = 0, i;
    static const struct { const char *text, *type, *id, *suffix; } want[] = {
        { "Ay\xC5\x9F" "e Tun\xC3\xA7", "PERSON", "ayse tunc", "" },
        { "Rusyaya", "LOC", "rusya", "ya" },
        { "Tun\xC3\xA7'un", "PERSON", "ayse tunc", "un" },
        { "Mavi Vadi Partisi", "ORG", "mavi vadi partisi", "" },
        { "Rus", "NORP", "rus", "" },
        { "Kocaelispor", "ORG", "kocaelispor", "" },
    };
    is_int(build(&d), ND_OK, "cue words are added");
    is_int(nd_discover_run(d, TEXT, strlen(TEXT), &f, &n), ND_OK, "discovery runs");
    is_int(n, COUNT(want), "six names, no sentence opener, no title words");
    for (i = 0; i < n && i < COUNT(want); i++) {
        is_mem(TEXT + f[i].start, f[i].stop - f[i].start, want[i].text, strlen(want[i].text), "name %zu", i + 1);
        is_str(f[i].type, want[i].type, "type of %s", want[i].text);
        is_str(f[i].id, want[i].id, "id of %s", want[i].text);
        is_mem(TEXT + f[i].suffix_start, f[i].stop - f[i].suffix_start, want[i].suffix, strlen(want[i].suffix),
               "suffix of %s", want[i].text);
        ok(f[i].why && *f[i].why, "%s says why: %s", want[i].text, f[i].why ? f[i].why : "");
    }
    ok(n > 0 && strstr(f[0].why, "title before") != NULL, "the title is named as evidence");
    is_int(nd_discover_run(d, "", 0, &f, &n), ND_OK, "an empty text");
    is_int(n, 0, "has no names");
    is_int(nd_discover_add(d, 99, NULL, "x", 1), ND_EINVAL, "an unknown cue kind is refused");
    is_int(nd_discover_add(d, ND_CUE_HEAD, NULL, "Partisi", 7), ND_EINVAL, "a head word needs a type");
    is_int(nd_discover_add(d, ND_CUE_STOP, NULL, "--", 2), ND_EINVAL, "a cue word needs a letter");
    is_int(nd_discover_dictionary(d, "/nonexistent.aff", "/nonexistent.dic", "tr"), ND_EIO,
           "a missing dictionary is an I/O error");
    nd_discover_free(d);
    nd_discover_free(NULL);
}

static int op_discover(void)
{
    nd_discover *d = NULL;
    const nd_found *f;
    size_t n;
    int rc = build(&d);
    if (rc == ND_OK) rc = nd_discover_run(d, TEXT, strlen(TEXT), &f, &n);
    nd_discover_free(d);
    return rc;
}

int main(void)
{
    test_ids();
    test_run();
    af_every_n("discoverer build and run", op_discover, 2000);
    return tap_done();
}
