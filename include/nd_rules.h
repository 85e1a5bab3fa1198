/*
 * nd_rules.h — entity rules: gazetteers and token patterns compiled into a
 * matcher that finds inflected mentions of people, places and organisations.
 *
 * A rule set (nd_rules) holds rules.  A rule has a type ("PERSON"), an
 * optional id, a priority, options, and either gazetteer entries (each an
 * entity with one or more names) or a token pattern.  Scanning a text
 * (nd_rules_scan) fills a reusable nd_scan with candidates, resolves
 * overlaps and lists the winning matches in text order.
 *
 * Matching works on fold keys (nd_text_fold): case, diacritics, the four
 * Turkish I's, curly vs straight apostrophes and every kind of space are
 * ignored; a hyphen equals a space ("Kim Jong-un" matches "Kim Jong Un").
 * Names match whole tokens only.  A suffix after an apostrophe belongs to
 * the mention and is reported separately ("Kore'nin" -> suffix "nin").
 * With ND_RULE_SUFFIXES_TR a name also matches when Turkish suffixes follow
 * it with no apostrophe ("Rusyaya", "Ankaralı"), provided the rest of the
 * word is a chain of real Turkish case, possessive, plural, derivational or
 * copula suffixes in vowel harmony with the name.  With fuzzy = 1 a name of
 * at least ND_RULES_FUZZY_MIN letters also matches with one edit (insertion,
 * deletion, substitution or transposition of adjacent letters, counted in
 * bytes of the fold key) — "Borrel" finds "Borrell" — when the text is also
 * that long, starts with the same letter and is not written in lower case
 * (so "macro" is not Macron and "Dallas" is not Kallas).
 *
 * Overlaps.  When candidates overlap, they are ranked and taken greedily:
 *   1. the longer match (bytes of the original text, suffix included) wins;
 *   2. then an exact match beats a fuzzy one;
 *   3. then the longer name, i.e. the shorter suffix ("Suriyeli" as a name
 *      beats "Suriye" + "li"; "Rusya" beats "Rus" + "ya");
 *   4. then the higher priority;
 *   5. then the earlier rule (the order rules were added);
 *   6. then the earlier position in the text.
 * A candidate overlapping one already taken is dropped (ND_MATCH_OVERLAP).
 * Words inside a URL or an e-mail address (nd_tokenizer_next's
 * ND_TOKEN_URL / ND_TOKEN_EMAIL) are never mentions (ND_MATCH_ADDRESS).
 *
 * Offsets are 0-based half-open byte offsets into the caller's original
 * text.  Threads: a compiled nd_rules may be scanned from several threads
 * at once, each with its own nd_scan, while nobody adds rules.
 */
#ifndef ND_RULES_H
#define ND_RULES_H

#include <stddef.h>

#include "nd_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nd_rules nd_rules;
typedef struct nd_scan nd_scan;

#define ND_RULES_FUZZY_MIN 6      /* letters a name needs before fuzzy applies */
#define ND_NO_ENTRY 0xffffffffu   /* nd_match.entry of a pattern match */

/* Rule options (nd_rule_def.flags). */
#define ND_RULE_SUFFIXES_TR 0x1u  /* Turkish suffixes without an apostrophe */
#define ND_RULE_CALLBACK    0x2u  /* the caller filters this rule's candidates
                                     (nd_scan_reject) before resolution */
#define ND_RULE_CAPITALIZED 0x4u  /* names match only where the text does not
                                     start with a lower-case letter ("Mali",
                                     not "mali"; scripts without case match) */
#define ND_RULE_UPPERCASE   0x8u  /* names match only where the text (suffix
                                     aside) has no lower-case letter ("AB'nin",
                                     "US", not "ab", "Us") */

/* Create an empty rule set; *r is NULL on ND_ENOMEM.  Free with nd_rules_free. */
ND_API int nd_rules_new(nd_rules **r);
ND_API void nd_rules_free(nd_rules *r);                       /* NULL ok */
/* Last error message of r ("where: what is wrong"), owned by r. */
ND_API const char *nd_rules_errmsg(const nd_rules *r);

typedef struct nd_rule_def {
    const char *name;      /* reported as nd_match.rule; NULL = "rule N" */
    const char *type;      /* default type of the rule's entries; required */
    const char *id;        /* default id of the rule's entries, or NULL */
    int priority;          /* higher wins among equally long overlaps */
    unsigned fuzzy;        /* 0 or 1 edits */
    unsigned flags;        /* ND_RULE_* */
    const char *where;     /* "file:line" prefix for error messages, or NULL */
} nd_rule_def;

/* Add a rule; *rule receives its index (0, 1, ...).  ND_EINVAL when the
 * type is missing or empty or fuzzy > 1. */
ND_API int nd_rules_add_rule(nd_rules *r, const nd_rule_def *d, unsigned *rule);

/* Add an entity to gazetteer rule `rule`: type/id NULL take the rule's;
 * with no id at all the entity's id is the fold key of its first name
 * ("kuzey kore").  *entry receives its index, unique across the rule set. */
ND_API int nd_rules_add_entry(nd_rules *r, unsigned rule, const char *type, const char *id,
                       unsigned *entry);

/* Add one name of entity `entry`.  ND_EINVAL "empty name" when the name has
 * no letter or digit.  Adding the same name twice is harmless. */
ND_API int nd_rules_add_name(nd_rules *r, unsigned entry, const char *name, size_t len);

/* Token tests of a pattern element. */
enum {
    ND_TEST_LITERAL = 1,   /* one of `words` (each a word or a phrase) */
    ND_TEST_CAP,           /* a word starting with an upper-case letter */
    ND_TEST_UPPER,         /* a word of two or more letters, all upper case */
    ND_TEST_NUMBER,        /* a token starting with a digit */
    ND_TEST_WORD,          /* any token holding a letter */
    ND_TEST_ANY            /* any token */
};

typedef struct nd_pattern_elem {
    int test;              /* ND_TEST_* */
    const nd_str *words;   /* ND_TEST_LITERAL: the alternatives */
    size_t nwords;
    unsigned min, max;     /* repetitions; min = max = 1 for a plain element */
    int mark;              /* 1 = this element is (part of) the entity */
    const nd_str *except;  /* word-class tests: words that do not count ("Cuma") */
    size_t nexcept;
} nd_pattern_elem;

/* Give rule `rule` a token pattern.  Tokens are words as written, a
 * hyphenated word being one token; elements match consecutive tokens
 * separated by spaces only (punctuation ends a match); a token with an
 * apostrophe suffix can only be the last of a match, and its suffix becomes
 * the match's.  Repetitions are greedy with backtracking.  The entity is
 * the tokens of the marked elements, or the whole match if none is marked;
 * its id is the rule's id, else the id of a gazetteer entity of the same
 * type named at the end of the marked words (see nd_match.entry), else the
 * fold key of the marked words without the apostrophe suffix, words joined
 * by single spaces ("tayyip erdogan").
 * ND_EINVAL when the pattern can match nothing (no element, or every
 * element optional), a test is unknown, a literal is empty, or min > max. */
ND_API int nd_rules_add_pattern(nd_rules *r, unsigned rule, const nd_pattern_elem *e, size_t n);

/* Mix extra bytes into the rule set's key (the Lua binding feeds callback
 * code here).  The key changes with every rule, entry, name and pattern. */
ND_API void nd_rules_feed_key(nd_rules *r, const void *p, size_t n);
/* The key: 32 hex digits and a NUL written to out[33].  Identical rule sets
 * built in the same order have identical keys. */
ND_API void nd_rules_key(const nd_rules *r, char out[33]);

ND_API size_t nd_rules_count(const nd_rules *r);     /* rules */
ND_API size_t nd_rules_names(const nd_rules *r);     /* distinct (name key, entry) pairs */
ND_API size_t nd_rules_memory(const nd_rules *r);    /* bytes held: the compiled tables at their
                                                        capacity, strings, patterns (not the
                                                        scratch of the name being added) */

/* Memory accounting.  A host that bounds what a rule set may hold (the
 * embedding runtime's memory limit) gives it an account: fn(ud, bytes)
 * with bytes > 0 asks to take that many more bytes, and a nonzero return
 * refuses; with bytes < 0 it gives them back.  Before each add the rule set
 * asks for the most that add can grow nd_rules_memory(r) by (every table
 * it may touch at its next size; 0 when it needs nothing new, so fn also
 * sees every add, e.g. to bound the time spent); a refusal fails the add with ND_ELIMIT
 * ("memory limit: ...") and leaves r as it was.  After the add it gives
 * back what it did not use, and nd_rules_free gives back the rest, so
 * between calls the account holds nd_rules_memory(r).  Setting an account
 * charges what r already holds (ND_ELIMIT when refused; then r has none).
 * fn NULL removes the account (giving back what it holds).  While a table
 * grows, its old copy is alive too: up to one table more than counted. */
typedef int (*nd_rules_account_fn)(void *ud, ptrdiff_t bytes);
ND_API int nd_rules_set_account(nd_rules *r, nd_rules_account_fn fn, void *ud);

/* ---- scanning ------------------------------------------------------------ */

enum {
    ND_MATCH_CANDIDATE = 0,  /* not resolved yet */
    ND_MATCH_TAKEN,          /* a match */
    ND_MATCH_OVERLAP,        /* dropped: overlaps shadowed_by, which ranks higher */
    ND_MATCH_REJECTED,       /* dropped by the caller (nd_scan_reject) */
    ND_MATCH_BADSUFFIX,      /* ND_SCAN_EXPLAIN only: the rest of the word is
                                not a Turkish suffix chain */
    ND_MATCH_ADDRESS         /* dropped: inside a URL or an e-mail address
                                (as the tokenizer reads them) */
};

typedef struct nd_match {
    size_t start, stop;      /* the mention, suffix included */
    size_t suffix_start;     /* suffix = [suffix_start, stop); == stop if none.
                                After an apostrophe the apostrophe is not part
                                of the suffix. */
    const char *type, *id;   /* NUL-terminated; owned by the rules or the scan */
    const char *rule;        /* the rule's name */
    unsigned rule_index;
    unsigned entry;          /* gazetteer entry; for a pattern without an id,
                                the entity of the longest gazetteer name of
                                the same type inside it that ends where it
                                ends, else ND_NO_ENTRY */
    int priority;
    unsigned edits;          /* 0 exact, 1 fuzzy */
    int status;              /* ND_MATCH_* */
    size_t shadowed_by;      /* candidate index of the winner (ND_MATCH_OVERLAP) */
} nd_match;

/* A reusable scan buffer; free with nd_scan_free (NULL ok). */
ND_API int nd_scan_new(nd_scan **sc);
ND_API void nd_scan_free(nd_scan *sc);

#define ND_SCAN_EXPLAIN 0x1u  /* also keep candidates with a bad Turkish suffix */
#define ND_SCAN_DEFER   0x2u  /* do not resolve: the caller may reject
                                 candidates, then calls nd_scan_resolve */
#define ND_SCAN_TOKENS  0x4u  /* build the token list even without patterns */

/* Scan s with r.  ND_OK, ND_ENOMEM.  Replaces the contents of sc; strings in
 * sc's matches stay valid until sc is reused or freed, and r is not changed. */
ND_API int nd_rules_scan(const nd_rules *r, nd_scan *sc, const char *s, size_t len, unsigned flags);

/* Candidates in the order found (by start); mutable so the caller can
 * reject one before resolution, or after it and then resolve again. */
ND_API size_t nd_scan_ncandidates(const nd_scan *sc);
ND_API const nd_match *nd_scan_candidate(const nd_scan *sc, size_t i);
ND_API void nd_scan_reject(nd_scan *sc, size_t i);
/* Resolve overlaps (see the top of this file) among the candidates not
 * rejected.  May be called again after more nd_scan_reject calls: every
 * candidate taken or dropped for an overlap is ranked afresh.  ND_OK or
 * ND_ENOMEM. */
ND_API int nd_scan_resolve(nd_scan *sc);
/* The taken matches in text order. */
ND_API size_t nd_scan_count(const nd_scan *sc);
ND_API const nd_match *nd_scan_match(const nd_scan *sc, size_t i);

/* Tokens of the last scan (patterns, ND_SCAN_TOKENS): [start, stop) of
 * token i in the original text.  nd_scan_token_at gives the index of the
 * first token ending after byte `offset` (== ntokens when none). */
ND_API size_t nd_scan_ntokens(const nd_scan *sc);
ND_API void nd_scan_token(const nd_scan *sc, size_t i, size_t *start, size_t *stop);
ND_API size_t nd_scan_token_at(const nd_scan *sc, size_t offset);

/* Turkish suffix check used by ND_RULE_SUFFIXES_TR, exposed for tests:
 * 1 when `rest` (UTF-8) is a chain of Turkish suffixes that can follow the
 * word `stem` (UTF-8, as written) in vowel harmony, else 0. */
ND_API int nd_rules_tr_suffix(const char *stem, size_t stemlen, const char *rest, size_t restlen);


/* ---- entity ids ---------------------------------------------------------- */

/* The id of an entity named `name` when no pack gives one: the fold key of
 * the base name (nd_text_fold: case, diacritics and the Turkish I's
 * ignored), a suffix after an apostrophe dropped, hyphens and punctuation
 * between words turned into single spaces ("Kim Jong-un", "KIM JONG UN" and
 * "Kim Jong Un’un" all give "kim jong un").  Discovery and pattern rules
 * both use it.  out is NUL-terminated.  ND_OK, ND_EINVAL (no letter or
 * digit), ND_ENOMEM. */
ND_API int nd_rules_entity_id(nd_buf *out, const char *name, size_t len);

/* ---- discovery: names nobody listed ------------------------------------- */

/* An nd_discover finds names of people, organisations and places that no
 * rule lists, from the way they are written and the words around them:
 * capitalised words outside sentence starts (a sentence-initial word only
 * when the text confirms it), acronyms, multi-word runs, a suffix after an
 * apostrophe (and, with ND_DISCOVER_TR, Turkish suffixes with no
 * apostrophe once the base is seen elsewhere in the text or is known),
 * cue words for the type, and variants merged across the text.  The cue
 * words are data added with nd_discover_add (the Lua binding reads them
 * from scripts/lib/newsdesk/discover_cues.lua).
 *
 * Types: "PERSON", "ORG", "LOC", and "NORP" for nationality and demonym
 * words ("Suriyeli", "Russian", "russischen", "российский"), plus any type a
 * cue gives.  Threads: an nd_discover holds the results of its last run, so
 * one handle serves one thread at a time. */
typedef struct nd_discover nd_discover;

#define ND_DISCOVER_TR     0x1u  /* Turkish: suffixes without an apostrophe,
                                    demonyms in -lI ("Suriyeli") */
#define ND_DISCOVER_NOUNS  0x2u  /* every noun is capitalised (German): a lone
                                    capitalised word needs more evidence */
#define ND_DISCOVER_APOS   0x4u  /* a suffix after an apostrophe confirms a
                                    name (Turkish writes one only after names) */

/* Create an empty discoverer with ND_DISCOVER_* flags; *d is NULL on
 * ND_ENOMEM.  Free with nd_discover_free (NULL ok). */
ND_API int nd_discover_new(nd_discover **d, unsigned flags);
ND_API void nd_discover_free(nd_discover *d);

/* Cue kinds (nd_discover_add). */
enum {
    ND_CUE_STOP = 1,     /* a capitalised word that is no name ("Bu", "The", "Montag") */
    ND_CUE_TITLE,        /* a title: the name right after it is a PERSON; the title
                            is not part of the name ("Bakanı", "minister", "президент") */
    ND_CUE_TITLE_MOD,    /* a word that stands before a title and is no name
                            ("Dışişleri", "Genel", "Foreign") */
    ND_CUE_HEAD,         /* a word inside a name that gives its type
                            ("Partisi" ORG, "Üniversitesi" ORG, "FC" ORG, "Nehri" LOC) */
    ND_CUE_CONNECT,      /* a lower-case word allowed between the words of a name
                            ("of", "von", "de", "bin") */
    ND_CUE_GIVEN,        /* a given name: a name that starts with it is a PERSON */
    ND_CUE_KNOWN,        /* a known name of one or more words, with its type */
    ND_CUE_DEMONYM,      /* a nationality stem: the word, or the stem plus an
                            ending, is a NORP ("Rus", "Russian", "russisch") */
    ND_CUE_ENDING,       /* an inflection ending after a demonym stem or a name
                            seen elsewhere ("en", "s", "ого", "а") */
    ND_CUE_DETERMINER,   /* with ND_DISCOVER_NOUNS: a capitalised word right after
                            it is a common noun ("der", "einem") */
    ND_CUE_NOUN_ENDING,  /* with ND_DISCOVER_NOUNS: a word ending so is a common
                            noun ("ung", "heit") */
    ND_CUE_PLACE_BEFORE, /* a word before a place name ("in", "nach", "в") */
    ND_CUE_TITLE_AFTER,  /* an honorific after a name: the name is a PERSON; not
                            part of the name ("Bey", "Hanım", "Abi", "Paşa") */
    ND_CUE_LIST_AND,     /* a word that joins the last item of a list ("ve", "and",
                            "und", "и"): a lone capitalised common word listed
                            with a name by it or a comma is a name of that type */
    ND_CUE_DERIVED       /* with ND_DISCOVER_TR: a suffix that makes a new word of a
                            name ("lı": "Beşiktaşlı" is no mention of Beşiktaş) */
};

/* Add cue word `word` (UTF-8, matched on its fold key; several words for
 * ND_CUE_KNOWN) of kind `cue`; `type` is required for ND_CUE_HEAD and
 * ND_CUE_KNOWN and ignored otherwise.  ND_OK, ND_EINVAL (unknown kind, empty
 * word, missing type), ND_ENOMEM. */
ND_API int nd_discover_add(nd_discover *d, int cue, const char *type, const char *word, size_t len);

/* Use the Hunspell dictionary aff_path/dic_path (Debian's hunspell-tr,
 * hunspell-en-us, ...) as the list of common words: a capitalised word whose
 * lower-case form (Turkic casing when lang is "tr" or "az") the dictionary
 * accepts is a sentence opener or a common noun, not a name, unless other
 * evidence says so.  Replaces an earlier dictionary.  ND_OK, ND_EIO (the
 * files cannot be read as a dictionary), ND_ENOMEM. */
ND_API int nd_discover_dictionary(nd_discover *d, const char *aff_path, const char *dic_path, const char *lang);

typedef struct nd_found {
    size_t start, stop;      /* the mention, suffix included (0-based, half-open) */
    size_t suffix_start;     /* suffix = [suffix_start, stop), == stop if none;
                                after an apostrophe the apostrophe is not in it */
    const char *type;        /* "PERSON", "ORG", "LOC", "NORP" or a cue's type */
    const char *id;          /* nd_rules_entity_id of the base name; a lone
                                surname takes the id of the full name */
    const char *why;         /* the evidence, comma separated ("title before,
                                multi-word") */
    int score;               /* how many pieces of evidence */
} nd_found;

/* Find names in s[0..len).  *found points at *n results in text order,
 * owned by d and valid until its next run or free.  ND_OK, ND_ENOMEM. */
ND_API int nd_discover_run(nd_discover *d, const char *s, size_t len, const nd_found **found, size_t *n);

#ifdef __cplusplus
}
#endif

#endif /* ND_RULES_H */
