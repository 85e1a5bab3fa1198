/*
 * fts.c — the store's word tokenizer and the FTS5 tokenizer "newsdesk".
 *
 * Words are cut by the text layer (nd_tokenizer_next) and folded with the
 * text layer's match key (nd_text_fold, flags 0).  Each word becomes index
 * terms as follows:
 *   - a word with an apostrophe suffix is indexed by its stem only:
 *     "Rusya'ya", "Rusya’nın" -> rusya;
 *   - a hyphenated word is indexed as its parts at consecutive positions:
 *     "Kim Jong-un" -> kim jong un, so the phrase "kim jong un" finds it;
 *   - every term reports the byte range of the original text it came from
 *     (a part its own range, the last part up to the end of the suffix), so
 *     snippet() and highlight() mark the words as they were written;
 *   - in a document of a language with a stemmer, a word (no number, no
 *     apostrophe stem but in Turkish, where the stem itself may be inflected:
 *     "Başkanı'nı" -> başkanı ~başkan) also gets its stems, "~" + stem key:
 *     "Suriyeyle" -> suriyeyle ~suriye.  The index holds the word only; the
 *     pair (suriye, suriyeyle) goes to the stem table (see "the stem table"
 *     below).
 * The same function tokenizes documents and queries, so a query is folded
 * exactly as the text was; a query word then gets synonyms (see "query
 * terms" below), among them the words the stem table gives its stems.  The
 * query language is parsed and checked here too.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "nd_text.h"
#include "rules_internal.h"
#include "store_internal.h"

/* ---- folding ------------------------------------------------------------ */

#define FAST_LIMIT 0x800        /* code points below this use the table */
#define FAST_SLOW 0xFF          /* entry length meaning "use nd_text_fold" */
#define FAST_MAX 7

/* How each code point below FAST_LIMIT folds alone. */
typedef struct fold_table {
    unsigned char len[FAST_LIMIT];
    unsigned char plain[FAST_LIMIT];    /* folds to ASCII a-z 0-9 only */
    char bytes[FAST_LIMIT][FAST_MAX];
} fold_table;

/* ---- languages ------------------------------------------------------------
 * The languages with a stemmer: Snowball's, from Debian's libstemmer.  The
 * stemmer reads the word in lower case with its diacritics (Turkish casing
 * for Turkish); its stem is then folded to the match key. */

static const struct lang_def {
    char code[3];
    const char *snowball;       /* or NULL: */
    void (*own)(const char *, size_t, nd__stems *);     /* newsdesk's own (stem.c) */
    unsigned fold;              /* nd_text_fold flags of the stemmer's input */
} lang_defs[ND__NLANG] = {
    { "tr", NULL, NULL, ND_FOLD_MARKS | ND_FOLD_TURKISH },  /* tr_stems, below */
    { "en", NULL, nd__stem_en, ND_FOLD_MARKS },             /* Snowball's strips derivations */
    { "de", "german", NULL, ND_FOLD_MARKS },
    { "ru", "russian", NULL, ND_FOLD_MARKS },
    { "fr", "french", NULL, ND_FOLD_MARKS },
    { "es", "spanish", NULL, ND_FOLD_MARKS },
    { "uk", NULL, nd__stem_uk, ND_FOLD_MARKS },             /* Snowball has none */
};

int nd__fts_lang(const char *s, size_t n)
{
    int i;
    if (!s || n < 2 || (n > 2 && s[2] != '-' && s[2] != '_'))
        return -1;
    for (i = 0; i < ND__NLANG; i++)
        if ((s[0] | 0x20) == lang_defs[i].code[0] && (s[1] | 0x20) == lang_defs[i].code[1])
            return i;
    return -1;
}

/* A four-way set-associative memo keyed by a word's original bytes and a
 * language: news repeats its words, and a hit saves the fold, the hash of
 * the fold and the stemmer.  A slot holds the word's fold key when that is
 * one term (flen; MEMO_UNKNOWN before it was asked for, MEMO_NONE when
 * push_term must cut it or it does not fit) and its stem list in the
 * language (slen; MEMO_UNKNOWN until asked for, as numbers and apostrophe
 * stems never are, or when it does not fit: then it is made again).
 *
 * Laid out for the cache, as a memo much larger than it is only worth
 * its misses: a set's four ways keep a 32-bit tag each in 16 bytes, 256 KB
 * in all; a slot's bytes (MEMO_BYTES, aligned to a line) pack its header,
 * the original bytes, the fold key and the stem list one after the other,
 * so a hit on a typical word reads one line beyond the tags.  A new word
 * takes its set's last way; a hit moves its word one way nearer the
 * front, so the words a text repeats stay in front and a run of new words
 * passes through the last way.  A Turkish stem list costs about 20,000
 * instructions to make, so misses matter: on 10,000 articles drawn from
 * the UD BOUN sentences (4,882 words with stems), the memo of before (two
 * ways, a new word taking one by turns, 32,768 slots, and a set index its
 * hash took from bits a word's last byte never reached, so alır, alıp and
 * alın shared a set) made 41,055 stem lists; this one makes 6,162 (8,603
 * with 32,768 slots).  128 bytes a slot (8 MB): on the bench_ingest
 * corpus, 4,000 articles made 2,395 stem lists with the memo of before
 * (2,587 with 192-byte slots); 64 bytes made 88,000. */
#define MEMO_SLOTS 65536
#define MEMO_WAYS 4
#define MEMO_MAX 30
#define MEMO_BYTES 128                  /* a slot: its header, then MEMO_ROOM bytes */
#define MEMO_ROOM (MEMO_BYTES - sizeof(memo_slot))
#define MEMO_UNKNOWN 0xFF
#define MEMO_NONE 0xFE
typedef struct memo_slot {              /* the head of a slot's bytes; the original bytes follow */
    uint64_t fh;                        /* nd__term_hash of the fold key */
    unsigned char lang, olen, flen, slen;
    unsigned char soff;                 /* where the stem list starts, from the original bytes */
} memo_slot;

/* libstemmer, opened by a folder's first Snowball stemmer rather than
 * linked: its tables hold about 22,000 pointers that the loader would
 * otherwise relocate at every start of every program using newsdesk
 * (110 pages written; the program's start-up doubled), whether or not it
 * ever stems.  Each folder holds its own reference; the loader counts
 * them, so there is no process-wide state here. */
typedef struct snowball {
    void *lib;                          /* NULL until the first stemmer */
    struct sb_stemmer *(*make)(const char *algorithm, const char *charenc);
    void (*drop)(struct sb_stemmer *);
    const sb_symbol *(*stem)(struct sb_stemmer *, const sb_symbol *word, int size);
    int (*length)(struct sb_stemmer *);
} snowball;

#define SNOWBALL_LIB "libstemmer.so.0d"

struct nd__folder {
    fold_table key;                     /* flags 0: the match key */
    fold_table *lower[2];               /* ND_FOLD_MARKS, and | ND_FOLD_TURKISH */
    snowball sb;
    struct sb_stemmer *stem[ND__NLANG]; /* made on first use */
    uint32_t *memo;                     /* in memo_block, aligned: MEMO_SLOTS tags (0: empty), then... */
    char *memo_bytes;                   /* ...MEMO_BYTES a slot: memo_slot, original bytes, fold key, stems */
    void *memo_block;
    nd_buf tmp, word;
};

static size_t encode_utf8(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
}

static int plain_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Fill tb by folding each code point alone with nd_text_fold(flags).  When
 * marks are kept, combining marks take the slow path, where they compose
 * with the letter before them. */
static int table_fill(fold_table *tb, nd_buf *tmp, unsigned flags)
{
    unsigned cp;
    for (cp = 0; cp < FAST_LIMIT; cp++) {
        char src[2];
        size_t n = encode_utf8(cp, src), k;
        int rc = nd_text_fold(tmp, src, n, flags, NULL), cat = utf8proc_category((utf8proc_int32_t)cp);
        if (rc != ND_OK)
            return rc;
        if (tmp->len > FAST_MAX || ((flags & ND_FOLD_MARKS) && (cat == UTF8PROC_CATEGORY_MN ||
                                    cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME))) {
            tb->len[cp] = FAST_SLOW;
            continue;
        }
        tb->len[cp] = (unsigned char)tmp->len;
        if (tmp->len)
            memcpy(tb->bytes[cp], tmp->ptr, tmp->len);
        tb->plain[cp] = 1;
        for (k = 0; k < tmp->len; k++)
            tb->plain[cp] &= (unsigned char)plain_byte((unsigned char)tmp->ptr[k]);
    }
    return ND_OK;
}

/* Build the key table by folding each code point alone with nd_text_fold;
 * the stemmers' tables and the stemmers come on first use. */
int nd__folder_new(nd__folder **out)
{
    nd__folder *f = nd__calloc(1, sizeof *f);
    int rc;
    *out = NULL;
    if (!f)
        return ND_ENOMEM;
    rc = table_fill(&f->key, &f->tmp, 0);
    if (rc == ND_OK) {
        *out = f;
        f = NULL;
    }
    nd__folder_free(f);
    return rc;
}

void nd__folder_free(nd__folder *f)
{
    int i;
    if (!f)
        return;
    for (i = 0; i < ND__NLANG; i++)
        if (f->stem[i])
            f->sb.drop(f->stem[i]);
    if (f->sb.lib)
        dlclose(f->sb.lib);
    nd__free(f->lower[0]);
    nd__free(f->lower[1]);
    nd__free(f->memo_block);
    nd_buf_free(&f->tmp);
    nd_buf_free(&f->word);
    nd__free(f);
}

/* Append the fold of s[a,b) by table tb (built with nd_text_fold flags) to out, and set *h to the term hash of the
 * appended bytes (before nd__term_hash_finish) and *plain to whether they
 * are all ASCII lower-case letters and digits, which need no second
 * tokenizing.  Characters of one or two UTF-8 bytes go through the table;
 * anything else folds the range with nd_text_fold (which handles context
 * such as combining sequences). */
static int fold_range(const fold_table *tb, unsigned flags, nd_buf *tmp, nd_buf *out, const char *s, size_t a,
                      size_t b, uint64_t *h, int *plain)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t mark = out->len, i = a, k, len;
    uint64_t hh = ND__TERM_HASH_INIT;
    int pl = 1, rc = ND_OK;
    char *o;
    /* At the top of the loop there is room for two bytes per input byte
     * left plus the NUL: ASCII writes one byte per byte, and the two-byte
     * branch makes room for what it writes and for the rest.  The output
     * length lives in len (a byte store could alias out->len). */
    if (out->len + (b - a) * 2 + 1 > out->cap && (rc = nd_buf_reserve(out, (b - a) * 2)) != ND_OK)
        return rc;
    o = out->ptr;
    len = out->len;
    while (i < b) {
        unsigned cp;
        size_t n;
        if (u[i] < 0x80) {
            cp = u[i];
            if (tb->len[cp] == 1) {      /* fast path: ASCII to one byte */
                unsigned char c = (unsigned char)tb->bytes[cp][0];
                o[len++] = (char)c;
                hh = ND__TERM_HASH_STEP(hh, c);
                pl &= tb->plain[cp];
                i++;
                continue;
            }
            i++;
        } else if ((u[i] & 0xE0) == 0xC0 && u[i] >= 0xC2 && i + 1 < b && (u[i + 1] & 0xC0) == 0x80) {
            cp = ((unsigned)(u[i] & 0x1F) << 6) | (u[i + 1] & 0x3Fu);
            i += 2;
        } else {
            goto slow;
        }
        n = tb->len[cp];
        if (n == FAST_SLOW)
            goto slow;
        if (len + n + (b - i) * 2 + 1 > out->cap) {
            out->len = len;
            if ((rc = nd_buf_reserve(out, n + (b - i) * 2)) != ND_OK)
                return rc;
            o = out->ptr;
        }
        for (k = 0; k < n; k++) {
            unsigned char c = (unsigned char)tb->bytes[cp][k];
            o[len++] = (char)c;
            hh = ND__TERM_HASH_STEP(hh, c);
        }
        pl &= tb->plain[cp];
    }
    out->len = len;
    if (o)
        o[len] = '\0';
    *h = hh;
    *plain = pl;
    return ND_OK;
slow:
    out->len = mark;
    rc = nd_text_fold(tmp, s + a, b - a, flags, NULL);
    if (rc == ND_OK)
        rc = nd_buf_append(out, tmp->ptr, tmp->len);
    for (k = mark, hh = ND__TERM_HASH_INIT, pl = 1; rc == ND_OK && k < out->len; k++) {
        hh = ND__TERM_HASH_STEP(hh, (unsigned char)out->ptr[k]);
        pl &= plain_byte((unsigned char)out->ptr[k]);
    }
    *h = hh;
    *plain = pl;
    return rc;
}

/* ---- stems ----------------------------------------------------------------
 * A word's stems are written as a list of "~" + fold key, separated by
 * STEM_SEP; each goes to the stem table with the word.  Snowball gives one
 * stem.
 * Turkish gives every stem the word can be read as: each split where the
 * rest is a chain of inflectional suffixes by the entity rules' own
 * definition (rules_suffix.c), with the stem before consonant softening
 * (kitab-ı: kitap) and before vowel drop (şehr-i: şehir) beside it.
 * Snowball's Turkish stemmer strips one reading and misses these. */

#define STEM_SEP '\t'
#define TR_MAX_STEMS 4

/* Open libstemmer into sb: ND_OK, or ND_ERROR when the library or one of
 * its four functions is missing (the package depends on it). */
static int snowball_open(snowball *sb)
{
    void *lib = dlopen(SNOWBALL_LIB, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return ND_ERROR;
    /* dlsym's own idiom for function pointers (POSIX, dlsym(3)) */
    *(void **)&sb->make = dlsym(lib, "sb_stemmer_new");
    *(void **)&sb->drop = dlsym(lib, "sb_stemmer_delete");
    *(void **)&sb->stem = dlsym(lib, "sb_stemmer_stem");
    *(void **)&sb->length = dlsym(lib, "sb_stemmer_length");
    if (!sb->make || !sb->drop || !sb->stem || !sb->length) {
        dlclose(lib);
        return ND_ERROR;
    }
    sb->lib = lib;
    return ND_OK;
}

/* The stemmer of lang and its input table, made on first use (Turkish
 * needs only the table). */
static int stemmer(nd__folder *f, int lang, struct sb_stemmer **sb, const fold_table **tb)
{
    int which = (lang_defs[lang].fold & ND_FOLD_TURKISH) != 0, rc;
    if (!f->lower[which]) {
        fold_table *t = nd__calloc(1, sizeof *t);
        if (!t)
            return ND_ENOMEM;
        if ((rc = table_fill(t, &f->tmp, lang_defs[lang].fold)) != ND_OK) {
            nd__free(t);
            return rc;
        }
        f->lower[which] = t;
    }
    *sb = NULL;
    if (lang_defs[lang].snowball && !f->stem[lang]) {
        if (!f->sb.lib && (rc = snowball_open(&f->sb)) != ND_OK)
            return rc;
        if (!(f->stem[lang] = f->sb.make(lang_defs[lang].snowball, "UTF_8")))
            return ND_ENOMEM;
    }
    *sb = f->stem[lang];
    *tb = f->lower[which];
    return ND_OK;
}

/* Append "~" + the fold key of w[0,n) to out as one more stem of the list
 * that starts at out[mark], unless the list has it. */
static int stem_put(nd__folder *f, nd_buf *out, size_t mark, const char *w, size_t n)
{
    size_t at = out->len, p;
    uint64_t h;
    int plain, rc;
    rc = at > mark ? nd_buf_append(out, (const char[]){ STEM_SEP, '~' }, 2) : nd_buf_append(out, "~", 1);
    if (rc == ND_OK)
        rc = fold_range(&f->key, 0, &f->tmp, out, w, 0, n, &h, &plain);
    if (rc != ND_OK)
        return rc;
    for (p = mark; p < at;) {           /* drop a stem the list has */
        size_t e = p, len = out->len - at - (at > mark);
        while (e < at && out->ptr[e] != STEM_SEP)
            e++;
        if (e - p == len && memcmp(out->ptr + p, out->ptr + out->len - len, len) == 0) {
            out->len = at;
            break;
        }
        p = e + 1;
    }
    return ND_OK;
}

static int tr_vowel(int32_t c);

/* Turkish words spelled like an inflected shorter word that are words of
 * their own (Göksel & Kerslake, Turkish: A Comprehensive Grammar, 2005):
 * postpositions and adverbs that were case forms (için, üzere, sözde,
 * nedense, aslında), the particles ise and işte (ch. 28, 27), the
 * quantifier pronouns kimse, hiçbiri, birbiri (ch. 18.4), and the forms of
 * the pronoun o, which takes n before a case suffix (onu, ona, onun, onda;
 * ch. 18.1.1) and would read as on "ten" and, with diacritics folded, ön;
 * and nouns spelled like a case or possessive form of a shorter noun that
 * news writes far more often as themselves: ada (island; ad-a), altın
 * (gold; alt-ın), kara (land; kar-a), yasa (law; yas-a), ekim and kasım
 * (October, November; ek-im, kas-ım); and closed-class words that do not
 * inflect yet read as a shorter word with a suffix: the postpositions ile,
 * göre, karşı, doğru, dolayı and öte (ch. 17: not il-e, gör-e, karış,
 * doğur, dola-yı, öt-e), the adverbs and particles daha, gene, bile,
 * belki and asla (ch. 16, 27), the conjunctions ama, oysa and ayrıca
 * (ch. 28), the determiners aynı and bazı (ch. 15) and the pronouns kim
 * and ben (ch. 18: not ki-m, be-n).  A query for il or gen found every
 * article that has ile or gene.
 * They get no stems: search finds them as written only.  Sorted by bytes. */
static const char *const tr_lexical[] = {
    "ada", "altın", "ama", "asla", "aslında", "aynı", "ayrıca", "bazı", "belki", "ben", "bile", "birbiri",
    "birbirine", "birbirini", "birbirinin", "daha", "dolayı", "doğru", "ekim", "gene", "göre", "hiçbiri",
    "hiçbirimiz", "hiçbirini", "hiçbirinin", "ile", "ise", "için", "işte", "kara", "karşı", "kasım", "kim",
    "kimse", "kimsenin", "kimseye", "kimseyi", "nedense", "ona", "onda", "ondan", "onlar", "onlara", "onlarda",
    "onlardan", "onları", "onların", "onu", "onun", "onunla", "oysa", "sözde", "yasa", "öte", "üzere",
};

static int tr_lexical_cmp(const void *k, const void *e)
{
    return strcmp(k, *(const char *const *)e);
}

static void tr_tail(const char *w, size_t n, int32_t *vowel, int *voiceless);

/* The readings of a Turkish word (lower case, diacritics kept), gathered
 * before they are folded and put, so that they can be checked against the
 * dictionary's roots first (tr_stems). */
#define TR_MAX_READINGS 24
typedef struct tr_readings {
    char buf[TR_MAX_READINGS * 72];
    size_t off[TR_MAX_READINGS], len[TR_MAX_READINGS], used;
    unsigned plain;             /* bit k: reading k is a split as written */
    unsigned variant;           /* bit k: reading k undoes softening, vowel drop or doubling */
    int n;
} tr_readings;

static void reading_add(tr_readings *r, const char *w, size_t n)
{
    if (r->n == TR_MAX_READINGS || r->used + n > sizeof r->buf)
        return;
    memcpy(r->buf + r->used, w, n);
    r->off[r->n] = r->used;
    r->len[r->n++] = n;
    r->used += n;
}

/* A compound's plural goes before its possessive (işadamı: işadamları,
 * milletvekili: milletvekilleri; Göksel & Kerslake 10.3.1): when w[0,n)
 * ends in a consonant and -ları/-leri, the singular compound is a stem too,
 * its possessive vowel in harmony with the last vowel before. */
static void tr_compound(tr_readings *r, const char *w, size_t n)
{
    char v[72];
    size_t k = n >= 5 && memcmp(w + n - 5, "lar\xC4\xB1", 5) == 0 ? 5 : n >= 4 && memcmp(w + n - 4, "leri", 4) == 0 ? 4 : 0;
    int32_t last;
    int voiceless;
    const char *poss;
    if (k == 0 || n - k < 3 || n + 2 > sizeof v || strchr("aeiou", w[n - k - 1]) || (w[n - k - 1] & 0x80))
        return;                 /* (a letter outside ASCII before -lar: ı ö ü, or ç ğ ş, left alone) */
    tr_tail(w, n - k, &last, &voiceless);
    poss = last == 'a' || last == 0x131 ? "\xC4\xB1" : last == 'o' || last == 'u' ? "u" :
           last == 0xF6 || last == 0xFC ? "\xC3\xBC" : "i";
    memcpy(v, w, n - k);
    memcpy(v + n - k, poss, strlen(poss));
    reading_add(r, v, n - k + strlen(poss));
}

/* Whether a stem w[0,n) + "d" may be the softened form of one in -t: a
 * word of two syllables or more (Mehmet: Mehmedi, kanat: kanadı), or one of
 * the few one-syllable words that soften (Göksel & Kerslake 2.4.1; TDK's
 * dictionary: yurt, kurt, dört, dert, tat, but, stat).  Other one-syllable words keep their t (at:
 * atı, alt: altı), and a d after one is the past tense -DI (aldı, not alt)
 * or a word's own (adı: ad, not at). */
static int tr_d_softens(const char *w, size_t n)
{
    static const char *const one[] = { "bu", "der", "dör", "kur", "sta", "ta", "yur" }; /* but dert dört kurt stat tat yurt */
    size_t i = 0, j, vowels = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(n - i), &c);
        i += k > 0 ? (size_t)k : 1;
        vowels += tr_vowel(c) != 0;
    }
    if (vowels != 1)
        return vowels > 1;
    for (j = 0; j < ND_ARRAY_LEN(one); j++)
        if (n == strlen(one[j]) && memcmp(w, one[j], n) == 0)
            return 1;
    return 0;
}

/* Whether the Turkish reading w[0,n) is a root of the dictionary, or a
 * compound noun: the dictionary lists those without the possessive -(s)I
 * that marks them (havaalan for havaalanı, which an analyst searches), and
 * a compound has two words' letters, six or more before the -(s)I. */
static size_t utf8_chars(const char *p, size_t n);

static int tr_rootlike(const char *w, size_t n)
{
    size_t v;
    if (nd__tr_root(w, n))
        return 1;
    v = n >= 2 && (memcmp(w + n - 2, "\xC4\xB1", 2) == 0 || memcmp(w + n - 2, "\xC3\xBC", 2) == 0) ? 2 :
        n >= 1 && (w[n - 1] == 'i' || w[n - 1] == 'u') ? 1 : 0;
    if (v == 0 || utf8_chars(w, n - v) < 6)
        return 0;               /* a compound is long: kışı is not kış + -ı read as a compound */
    return nd__tr_root(w, n - v) || (w[n - v - 1] == 's' && nd__tr_root(w, n - v - 1));
}

/* Whether the Turkish suffix s[0,n) can follow a verb stem: the past
 * -DI, the evidential -mIş, the conditional -sA (a verb takes no plural,
 * possessive or case suffix: seçim is not seç + -im, saldırı not saldır +
 * -ı, yatırım not yatır + -ım). */
static int tr_verb_suffix(const char *s, size_t n)
{
    int32_t c[3] = { 0, 0, 0 };
    size_t i = 0;
    int k;
    for (k = 0; k < 3 && i < n; k++) {
        utf8proc_int32_t d;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &d);
        if (l <= 0)
            return 0;
        c[k] = d;
        i += (size_t)l;
    }
#define HIGH(x) ((x) == 0x131 || (x) == 'i' || (x) == 'u' || (x) == 0xFC)
    return ((c[0] == 'd' || c[0] == 't') && HIGH(c[1])) || (c[0] == 'm' && HIGH(c[1]) && c[2] == 0x15F) ||
           (c[0] == 's' && (c[1] == 'a' || c[1] == 'e'));
#undef HIGH
}

/* The Turkish stems of the lower-case word w[0,n) (see above) into out.
 * With roots != 0 and at least one reading that is a root of the Turkish
 * dictionary (tr_roots.c) or a compound noun (tr_rootlike), the word itself
 * counting as one, only such readings are put: kişinin is read as kişi,
 * not also as kiş (which folds to the key of kış), kişin and kişini;
 * arasında as ara, not aras, arası and arasın; kişi, a root, is not read
 * as kiş + -i.  roots is 1 for a word written in lower case; 2 for a
 * capitalized one (most often a name), where only a split of the word as
 * written counts as the evidence, not a softened or vowel-drop variant:
 * Berlinin's vowel-drop reading beril is the name Beril, and Berlin is not
 * in the dictionary.  A word none of whose readings is a root (a new word,
 * a loanword, a name: tweetleri, koronavirüsün, Putinin) keeps them all;
 * Selinin keeps Selin, a name in the dictionary, beside sel. */
static int tr_stems(nd__folder *f, const char *w, size_t n, int roots, nd_buf *out)
{
    size_t mark = out->len, i = 0, cps = 0, prev = 0, prev2 = 0, at[TR_MAX_STEMS], nat, next = 0;
    int rc = ND_OK, count = 0, k, any = 0, vfrom;
    signed char is_root[TR_MAX_READINGS];       /* -1: no reading at all */
    char v[96];
    tr_readings r;
    if (n > 64)
        return ND_OK;
    memcpy(v, w, n);
    v[n] = 0;
    if (bsearch(v, tr_lexical, ND_ARRAY_LEN(tr_lexical), sizeof *tr_lexical, tr_lexical_cmp)) {
        static const char *const pronoun[] = { "birbiri", "hiçbiri", "kimse" };
        for (i = 0; i < ND_ARRAY_LEN(pronoun); i++)     /* kimsenin: kimse, not kim */
            if (n > strlen(pronoun[i]) && memcmp(w, pronoun[i], strlen(pronoun[i])) == 0)
                return stem_put(f, out, mark, pronoun[i], strlen(pronoun[i]));
        return ND_OK;
    }
    r.n = 0;
    r.used = 0;
    r.plain = r.variant = 0;
    nat = nd__tr_inflection_splits(w, n, at, TR_MAX_STEMS);
    tr_compound(&r, w, n);
    while (i < n && count < TR_MAX_STEMS) {
        utf8proc_int32_t c, c1 = 0, c2 = 0;
        utf8proc_ssize_t cl = utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(n - i), &c);
        if (cl <= 0)
            return ND_OK;
        prev2 = prev;
        prev = i;
        i += (size_t)cl;
        if (++cps < 2 || next >= nat || at[next] != i)
            continue;
        next++;
        k = r.n;
        reading_add(&r, w, i);
        if (r.n > k)
            r.plain |= 1u << k;                 /* a split of the word as written */
        tr_compound(&r, w, i);
        count++;
        utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(n - i), &c1);
        if (!tr_vowel(c1))
            continue;
        /* the suffix starts with a vowel: softening, vowel drop and an
         * Arabic word's doubled consonant undone */
        vfrom = r.n;
        utf8proc_iterate((const utf8proc_uint8_t *)w + prev2, (utf8proc_ssize_t)(n - prev2), &c2);
        {
            size_t bl = nd__tr_undouble(w, i, v, sizeof v);
            if (bl)
                reading_add(&r, v, bl);
        }
        {
            const char *hard = c == 'b' ? "p" : c == 'c' ? "\xC3\xA7" : c == 'd' ? "t" : c == 0x11F ? "k" :
                               c == 'g' && c2 == 'n' ? "k" : NULL;
            if (c == 'd' && !tr_d_softens(w, prev))
                hard = NULL;
            if (hard) {
                memcpy(v, w, prev);
                memcpy(v + prev, hard, strlen(hard));
                reading_add(&r, v, prev + strlen(hard));
            }
        }
        if (prev2 > 0 && !tr_vowel(c) && !tr_vowel(c2)) {
            size_t j = 0;
            int32_t last = 0;
            while (j < prev2) {         /* the vowel before the two consonants */
                utf8proc_int32_t d;
                utf8proc_ssize_t dk = utf8proc_iterate((const utf8proc_uint8_t *)w + j,
                                                       (utf8proc_ssize_t)(prev2 - j), &d);
                j += dk > 0 ? (size_t)dk : 1;
                if (tr_vowel(d))
                    last = tr_vowel(d);
            }
            if (last) {
                const char *hv = last == 'a' || last == 0x131 ? "\xC4\xB1" : last == 'o' || last == 'u' ? "u" :
                                 last == 0xF6 || last == 0xFC ? "\xC3\xBC" : "i";
                /* vowel drop is a closed class of nouns (ağız, burun,
                 * oğul, şehir, isim; Göksel & Kerslake 2.3), and the
                 * dictionary lists each one's possessive (ağzı, burnu,
                 * oğlu, şehri): without it, yaptı is not yapıt + -ı nor
                 * ilçe iliç + -e */
                memcpy(v, w, i);
                memcpy(v + i, hv, strlen(hv));
                if (nd__tr_root(v, i + strlen(hv))) {
                    memcpy(v, w, prev);
                    memcpy(v + prev, hv, strlen(hv));
                    memcpy(v + prev + strlen(hv), w + prev, i - prev);
                    reading_add(&r, v, i + strlen(hv));
                }
            }
        }
        for (k = vfrom; k < r.n; k++)
            r.variant |= 1u << k;
    }
    any = roots && tr_rootlike(w, n);  /* the word itself, a reading with no suffix */
    for (k = 0; k < r.n; k++) {
        /* a variant is a noun's: a verb the dictionary never gives a
         * plural is no reading (açıkladı is not açıklat + -ı, söyledi not
         * söylet + -i, köprü not köpür + -ü; kanadı is kanat + -ı), and
         * the word, a verb form, keeps only readings that are roots (not
         * the split açıklad); a split whose root is such a verb must take
         * a verb's suffix */
        if (((r.variant >> k & 1) || ((r.plain >> k & 1) && !tr_verb_suffix(w + r.len[k], n - r.len[k]))) &&
            nd__tr_root(r.buf + r.off[k], r.len[k]) == ND__TR_VERB) {
            is_root[k] = -1;
            any = 1;
            continue;
        }
        is_root[k] = roots && tr_rootlike(r.buf + r.off[k], r.len[k]);
        /* a capitalized word counts a split as written only: its variants
         * can be other names (Berlinin's vowel-drop beril is Beril) */
        any |= is_root[k] && (roots == 1 || (r.plain >> k & 1));
    }
    for (k = 0; rc == ND_OK && k < r.n; k++)
        if (is_root[k] >= 0 && (!any || is_root[k]))
            rc = stem_put(f, out, mark, r.buf + r.off[k], r.len[k]);
    return rc;
}

/* The stems of f->word (lower case) by newsdesk's own stemmer of lang. */
static int own_stems(nd__folder *f, int lang, nd_buf *out)
{
    nd__stems st;
    size_t mark = out->len;
    int i, rc = ND_OK;
    lang_defs[lang].own(f->word.ptr, f->word.len, &st);
    for (i = 0; rc == ND_OK && i < st.n; i++)
        rc = stem_put(f, out, mark, st.buf + st.off[i], st.len[i]);
    return rc;
}

/* German endings Snowball's stemmer leaves on (Duden, noun declension):
 * the dative plural -n after -el/-er/-ar (Gipfeln, Nachbarn), the Latin
 * plurals -ien/-een/-en of -ium/-eum/-um/-us (Ministerien, Museen,
 * Zentren, Viren), the feminine plural -innen of -in (Lehrerinnen), the
 * genitive -s after a vowel (Europas, Kinos).  A word with one of these
 * endings, of five letters or more, is also stemmed as the other form. */
static const char *const de_ending[][2] = {
    { "eln", "el" }, { "ern", "er" }, { "arn", "ar" }, { "ium", "ien" }, { "eum", "een" }, { "as", "a" },
    { "os", "o" }, { "innen", "in" }, { "um", "en" }, { "us", "en" },
};

/* Append the stems of f->word's other readings (above) to the list at
 * out[mark]. */
static int de_readings(nd__folder *f, struct sb_stemmer *sb, nd_buf *out, size_t mark)
{
    char v[64];
    size_t i, n = f->word.len;
    int rc = ND_OK;
    if (n < 5 || n + 2 > sizeof v)
        return ND_OK;
    for (i = 0; rc == ND_OK && i < ND_ARRAY_LEN(de_ending); i++) {
        size_t k = strlen(de_ending[i][0]), r = strlen(de_ending[i][1]);
        const sb_symbol *st;
        if (memcmp(f->word.ptr + n - k, de_ending[i][0], k) != 0)
            continue;
        memcpy(v, f->word.ptr, n - k);
        memcpy(v + n - k, de_ending[i][1], r);
        if (!(st = f->sb.stem(sb, (const sb_symbol *)v, (int)(n - k + r))))
            return ND_ENOMEM;
        rc = stem_put(f, out, mark, (const char *)st, (size_t)f->sb.length(sb));
    }
    return rc;
}

/* Russian fleeting vowels (Wade, nouns): the o/e of the suffixes -ок, -ек,
 * -ец and of -ень, -ёл drops before an ending (десяток ~ десятка, конец ~
 * конца, день ~ дня, козёл ~ козла) and one comes in before the zero
 * ending of a genitive plural (перевозка ~ перевозок); Snowball keeps both
 * stems apart.  A stem of three letters or more ending so (st[0,n), UTF-8)
 * is also put without the vowel. */
static const char *const ru_fleet[] = { "ок", "ек", "ец", "ен", "ел" };

static int ru_fleeting(nd__folder *f, nd_buf *out, size_t mark, const char *st, size_t n)
{
    char v[64];
    size_t i;
    if (n < 6 || n >= sizeof v)
        return ND_OK;
    for (i = 0; i < ND_ARRAY_LEN(ru_fleet); i++)
        if (memcmp(st + n - 4, ru_fleet[i], 4) == 0) {
            memcpy(v, st, n - 4);
            memcpy(v + n - 4, st + n - 2, 2);
            return stem_put(f, out, mark, v, n - 2);
        }
    return ND_OK;
}

/* Russian nouns whose plural is built on another stem (Wade, A
 * Comprehensive Russian Grammar, nouns: irregular plurals): the word, then
 * its base word, whose stem it is also given.  лет is the genitive plural
 * of год after numbers and несколько. */
static const char *const ru_suppletive[][2] = {
    { "лет", "год" },         { "люди", "человек" },   { "людей", "человек" },  { "людям", "человек" },
    { "людьми", "человек" },  { "людях", "человек" },  { "дети", "ребёнок" },   { "детей", "ребёнок" },
    { "детям", "ребёнок" },   { "детьми", "ребёнок" }, { "детях", "ребёнок" },
};

/* The ten neuter nouns in -мя (Wade, nouns: имя, время) put -ен- before
 * every ending but the nominative and accusative singular (имя, имени,
 * именами): Snowball stems them им and имен.  A stem of the second kind is
 * also put as the first.  Not for семя and темя: their short stems are
 * those of семья and тема (and темен is the short adjective "dark"). */
static const char *const ru_mya[] = {
    "бремен", "вымен", "времен", "знамен", "имен", "пламен", "племен", "стремен",
};

/* Append the stems that ru_suppletive and ru_mya give the word w[0,n)
 * with the Snowball stem st[0,sn) to the list at out[mark]. */
static int ru_irregular(nd__folder *f, struct sb_stemmer *sb, nd_buf *out, size_t mark, const char *w, size_t n,
                        const char *st, size_t sn)
{
    size_t i;
    for (i = 0; i < ND_ARRAY_LEN(ru_mya); i++)
        if (sn == strlen(ru_mya[i]) && memcmp(st, ru_mya[i], sn) == 0)
            return stem_put(f, out, mark, st, sn - 4);
    for (i = 0; i < ND_ARRAY_LEN(ru_suppletive); i++)
        if (n == strlen(ru_suppletive[i][0]) && memcmp(w, ru_suppletive[i][0], n) == 0) {
            const char *base = ru_suppletive[i][1];
            const sb_symbol *bs = f->sb.stem(sb, (const sb_symbol *)base, (int)strlen(base));
            if (!bs)
                return ND_ENOMEM;
            return stem_put(f, out, mark, (const char *)bs, (size_t)f->sb.length(sb));
        }
    return ND_OK;
}

/* 1 if the two bytes at p are е, а or я (the vowel before the нн of a
 * Russian passive participle; ё is е in Snowball's stems). */
static int ru_participle_vowel(const char *p)
{
    return memcmp(p, "е", 2) == 0 || memcmp(p, "а", 2) == 0 || memcmp(p, "я", 2) == 0;
}

/* Append the stem list of the word s[a,b) in language lang to out. */
static int stem_list(nd__folder *f, int lang, const char *s, size_t a, size_t b, nd_buf *out)
{
    struct sb_stemmer *sb;
    const fold_table *tb;
    const sb_symbol *st;
    size_t n, mark = out->len;
    uint64_t h;
    char ru_st[96];
    int plain, rc = stemmer(f, lang, &sb, &tb);
    f->word.len = 0;
    if (rc == ND_OK)
        rc = fold_range(tb, lang_defs[lang].fold, &f->tmp, &f->word, s, a, b, &h, &plain);
    if (rc != ND_OK)
        return rc;
    if (lang == ND__LANG_TR) {
        utf8proc_int32_t c = 0;         /* written in lower case: a common word (tr_stems) */
        utf8proc_iterate((const utf8proc_uint8_t *)s + a, (utf8proc_ssize_t)(b - a), &c);
        return tr_stems(f, f->word.ptr, f->word.len, utf8proc_category(c) == UTF8PROC_CATEGORY_LL ? 1 : 2, out);
    }
    if (lang_defs[lang].own)
        return own_stems(f, lang, out);
    if (f->word.len > INT_MAX)
        return ND_ELIMIT;
    st = f->sb.stem(sb, (const sb_symbol *)f->word.ptr, (int)f->word.len);
    if (!st)
        return ND_ENOMEM;
    n = (size_t)f->sb.length(sb);
    if (lang == ND__LANG_RU && n >= 6 && n + 2 <= f->word.len && n + 2 <= sizeof ru_st &&
        memcmp(st + n - 2, "н", 2) == 0 && memcmp(f->word.ptr, st, n) == 0 &&
        memcmp(f->word.ptr + n, "н", 2) == 0 && !ru_participle_vowel((const char *)st + n - 4)) {
        /* Snowball's last step undoubles нн, so районный, районной stem to
         * район, the noun's stem: the нн is kept (районн), the same in
         * every form of a word written with it (тонна, тонн: тонн).  Not
         * after е, а, я: the participles in -енный, -анный, -янный keep
         * Snowball's stem, which their short forms share (распространено) */
        memcpy(ru_st, st, n);
        memcpy(ru_st + n, "н", 2);
        st = (const sb_symbol *)ru_st;
        n += 2;
    }
    rc = stem_put(f, out, mark, (const char *)st, n);
    if (rc == ND_OK && lang == ND__LANG_DE)
        rc = de_readings(f, sb, out, mark);
    /* Snowball keeps a Russian stem's last vowel in some forms only
     * (корея -> коре, кореи -> кор; музей -> муз, музея -> музе): the
     * stem without it is a second stem of every form */
    if (rc == ND_OK && lang == ND__LANG_RU && n >= 6 && nd__ru_vowel((const char *)st + n - 2))
        rc = stem_put(f, out, mark, (const char *)st, n - 2);
    if (rc == ND_OK && lang == ND__LANG_RU)
        rc = ru_fleeting(f, out, mark, (const char *)st, n);
    if (rc == ND_OK && lang == ND__LANG_RU) {
        char v[64];                     /* st is Snowball's buffer: copy it first */
        if (n < sizeof v) {
            memcpy(v, st, n);
            rc = ru_irregular(f, sb, out, mark, f->word.ptr, f->word.len, v, n);
        }
        if (rc == ND_OK) {
            nd__stems ns;
            nd__stem_ru_noun(f->word.ptr, f->word.len, &ns);
            if (ns.n)
                rc = stem_put(f, out, mark, ns.buf + ns.off[0], ns.len[0]);
        }
    }
    return rc;
}

/* A hash of the n <= MEMO_MAX bytes at p, eight at a time; the last
 * 1..7 bytes by loads that may overlap (the length is mixed in first). */
static uint64_t memo_hash(const char *p, size_t n)
{
    uint64_t h = n * 0x9E3779B97F4A7C15ULL, w;
    uint32_t lo, hi;
    size_t all = n;
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    if (n) {
        if (all >= 8) {
            memcpy(&w, p + n - 8, 8);
        } else if (n >= 4) {
            memcpy(&lo, p, 4);
            memcpy(&hi, p + n - 4, 4);
            w = (uint64_t)hi << 32 | lo;
        } else {
            w = (uint64_t)(unsigned char)p[0] << 16 | (uint64_t)(unsigned char)p[n / 2] << 8 |
                (unsigned char)p[n - 1];
        }
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    h *= 0xC4CEB9FE1A85EC53ULL;     /* a product carries a change upwards only: mix the top */
    return h ^ (h >> 29);           /* bytes down too, or words differing in their last
                                     * letter (alır, alıp, alın) share a set and evict each other */
}

/* 1 if the n <= MEMO_MAX bytes at x and y are the same: by words, the
 * last ones overlapping (a memo hit compares a word it has hashed). */
static int memo_same(const char *x, const char *y, size_t n)
{
    uint64_t p, q;
    uint32_t c, d, e, g;
    size_t i;
    if (n >= 8) {
        for (i = 0; i + 8 < n; i += 8) {
            memcpy(&p, x + i, 8);
            memcpy(&q, y + i, 8);
            if (p != q)
                return 0;
        }
        memcpy(&p, x + n - 8, 8);
        memcpy(&q, y + n - 8, 8);
        return p == q;
    }
    if (n >= 4) {
        memcpy(&c, x, 4);
        memcpy(&d, y, 4);
        memcpy(&e, x + n - 4, 4);
        memcpy(&g, y + n - 4, 4);
        return c == d && e == g;
    }
    return n == 0 || (x[0] == y[0] && x[n / 2] == y[n / 2] && x[n - 1] == y[n - 1]);
}

/* Allocate the memo: only the tags are cleared, so the pages of the
 * slots' bytes are touched as words fill them. */
static int memo_alloc(nd__folder *f)
{
    size_t tags = MEMO_SLOTS * sizeof *f->memo;
    char *p = nd__malloc(tags + (size_t)MEMO_SLOTS * MEMO_BYTES + 64);
    if (!p)
        return ND_ENOMEM;
    f->memo_block = p;
    p += (64 - (uintptr_t)p % 64) % 64;
    memset(p, 0, tags);
    f->memo = (uint32_t *)(void *)p;
    f->memo_bytes = p + tags;
    return ND_OK;
}

/* The memo slot of the word s[a,b) (at most MEMO_MAX bytes) in lang (-1:
 * none) and its original bytes, which the fold key and stem list follow:
 * two ways a set, chosen by a hash of the word's own bytes (case and
 * diacritic variants of one word, such as a sentence-initial capital, get
 * slots of their own instead of evicting each other).  The tag is the
 * hash's low 32 bits, never 0; the slot's header and bytes decide.  A
 * word not in the memo takes a way by turns, its fold and stems unknown. */
static int memo_find(nd__folder *f, int lang, const char *s, size_t a, size_t b, memo_slot **slot, char **bytes)
{
    size_t n = b - a, at, w;
    unsigned char l = (unsigned char)(lang < 0 ? ND__NLANG : lang);
    uint64_t h = memo_hash(s + a, n) + l;
    uint32_t tag = (uint32_t)h | 1;
    memo_slot *m;
    int rc;
    if (!f->memo && (rc = memo_alloc(f)) != ND_OK)
        return rc;
    at = (size_t)(h >> 40) & (MEMO_SLOTS - MEMO_WAYS);
    for (w = 0; w < MEMO_WAYS; w++) {
        if (f->memo[at + w] != tag)
            continue;
        m = (memo_slot *)(void *)(f->memo_bytes + (at + w) * MEMO_BYTES);
        if (m->olen == n && m->lang == l && memo_same((char *)(m + 1), s + a, n)) {
            if (w > 0) {                /* one way nearer the front */
                char *up = f->memo_bytes + (at + w - 1) * MEMO_BYTES, t[MEMO_BYTES];
                memcpy(t, up, MEMO_BYTES);
                memcpy(up, m, MEMO_BYTES);
                memcpy(m, t, MEMO_BYTES);
                f->memo[at + w] = f->memo[at + w - 1];
                f->memo[at + w - 1] = tag;
                m = (memo_slot *)(void *)up;
            }
            *slot = m;
            *bytes = (char *)(m + 1);
            return ND_OK;
        }
    }
    w = MEMO_WAYS - 1;                  /* a new word takes the last way */
    f->memo[at + w] = tag;
    m = (memo_slot *)(void *)(f->memo_bytes + (at + w) * MEMO_BYTES);
    m->lang = l;
    m->olen = (unsigned char)n;
    m->flen = m->slen = MEMO_UNKNOWN;
    memcpy(m + 1, s + a, n);
    *slot = m;
    *bytes = (char *)(m + 1);
    return ND_OK;
}

/* Append the stem list of s[a,b) in lang, whose memo slot is m (NULL:
 * none), to out; a list made here is kept in the slot, after the fold key
 * when that is known, else where the longest fold key would end. */
static int memo_stems(nd__folder *f, int lang, const char *s, size_t a, size_t b, memo_slot *m, char *bytes,
                      nd_buf *out)
{
    size_t mark = out->len;
    int rc;
    if (m && m->slen != MEMO_UNKNOWN) {
        if (mark + m->slen + 1 > out->cap && (rc = nd_buf_reserve(out, m->slen)) != ND_OK)
            return rc;
        memcpy(out->ptr + mark, bytes + m->soff, m->slen);
        out->len = mark + m->slen;
        out->ptr[out->len] = '\0';
        return ND_OK;
    }
    rc = stem_list(f, lang, s, a, b, out);
    if (m && rc == ND_OK && out->len - mark <= MEMO_ROOM) {
        size_t n = out->len - mark, fold = m->flen < MEMO_NONE ? m->flen : 0;
        size_t at = m->flen == MEMO_UNKNOWN ? MEMO_ROOM - n : m->olen + fold;     /* a fold key may come */
        if (at >= m->olen + fold && at + n <= MEMO_ROOM) {
            m->slen = (unsigned char)n;
            m->soff = (unsigned char)at;
            if (n > 0)                  /* an empty list may have no buffer yet */
                memcpy(bytes + at, out->ptr + mark, n);
        }
    }
    return rc;
}

/* Append the stem list of s[a,b) in lang to out, through the memo. */
static int stem_memo(nd__folder *f, int lang, const char *s, size_t a, size_t b, nd_buf *out)
{
    memo_slot *m = NULL;
    char *bytes = NULL;
    int rc;
    if (b - a <= MEMO_MAX && (rc = memo_find(f, lang, s, a, b, &m, &bytes)) != ND_OK)
        return rc;
    return memo_stems(f, lang, s, a, b, m, bytes, out);
}

/* ---- terms -------------------------------------------------------------- */

/* Record the folded bytes text[off, end), whose nd__term_hash is hash, as
 * one term for original [ostart, ostop). */
static int add_term(nd__terms *t, size_t off, size_t end, uint64_t hash, size_t ostart, size_t ostop)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        nd__term *v = nd__realloc(t->v, cap * sizeof *v);
        if (!v)
            return ND_ENOMEM;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n].off = (uint32_t)off;
    t->v[t->n].len = (uint32_t)(end - off);
    t->v[t->n].start = (uint32_t)ostart;
    t->v[t->n].stop = (uint32_t)ostop;
    t->v[t->n].hash = hash;
    t->v[t->n].word_stop = 0;
    t->v[t->n].soff = t->v[t->n].slen = 0;
    t->n++;
    return ND_OK;
}

/* Part k of the token tok of s, cut at the end of the stem: [*ps, *pe).
 * 0 when the token has no part k or it lies wholly in the suffix. */
static int stem_part(const char *s, const nd_token *tok, unsigned k, size_t *ps, size_t *pe)
{
    if (nd_token_part(s, tok, k, ps, pe) != ND_OK)
        return 0;
    if (*pe > tok->stem_stop)
        *pe = tok->stem_stop;
    return *ps < *pe;
}

/* Fold s[a, b) and add it as a term for original [ostart, ostop).  A fold
 * can bring in characters that separate tokens ("⅕" -> "1⁄5"), hyphens or
 * apostrophes ("ŉ" -> "'n"): then the folded text is indexed as a text
 * holding it would be (each token's parts, without a suffix), all mapped to
 * the same original span, so a query holding the folded text finds the
 * article.  A word that folds to no word ("ͺ" -> " ") adds no term. */
static int push_term(nd__folder *f, nd__terms *t, const char *s, size_t a, size_t b, size_t ostart, size_t ostop)
{
    size_t off = t->text.len, end;
    nd_tokenizer tz;
    nd_token tok;
    uint64_t h;
    int plain, rc = fold_range(&f->key, 0, &f->tmp, &t->text, s, a, b, &h, &plain);
    if (rc != ND_OK)
        return rc;
    end = t->text.len;
    if (end == off)
        return ND_OK;                   /* folded to nothing */
    h = nd__term_hash_finish(h);
    if (plain)
        return add_term(t, off, end, h, ostart, ostop);
    nd_tokenizer_init(&tz, t->text.ptr + off, end - off);
    if (!nd_tokenizer_next(&tz, &tok)) {    /* folded to no word ("ͺ" -> " "): */
        t->text.len = off;                  /* nothing to search for, as above */
        t->text.ptr[off] = '\0';
        return ND_OK;
    }
    if (tok.start == 0 && tok.stop == end - off && tok.stem_stop == tok.stop && tok.nparts == 1)
        return add_term(t, off, end, h, ostart, ostop);    /* one plain word */
    do {                                /* as nd__tokenize indexes a text: parts of stems */
        const char *ft = t->text.ptr + off;
        unsigned k;
        size_t ps, pe;
        for (k = 0; k < tok.nparts; k++)
            if (stem_part(ft, &tok, k, &ps, &pe) &&
                (rc = add_term(t, off + ps, off + pe, nd__term_hash(ft + ps, pe - ps), ostart, ostop)) != ND_OK)
                return rc;
    } while (nd_tokenizer_next(&tz, &tok));
    return ND_OK;
}

/* push_term for s[a,b) with original [a, ostop), through the memo; when
 * it adds one term and word is set (a whole word a stemmer may read), mark
 * it so and give it its stems in lang (a stem list that is the word itself
 * alone is left out: the word's own term finds it). */
static int word_term(nd__folder *f, nd__terms *t, const char *s, size_t a, size_t b, size_t ostop, int lang,
                     int word)
{
    size_t n = t->n, off = t->text.len;
    memo_slot *m = NULL;
    char *bytes = NULL;
    nd__term *v;
    int rc = ND_OK;
    if (b - a <= MEMO_MAX && (rc = memo_find(f, lang, s, a, b, &m, &bytes)) != ND_OK)
        return rc;
    if (m && m->flen < MEMO_NONE) {
        if (off + m->flen + 1 > t->text.cap && (rc = nd_buf_reserve(&t->text, m->flen)) != ND_OK)
            return rc;
        memcpy(t->text.ptr + off, bytes + m->olen, m->flen);
        t->text.len = off + m->flen;
        t->text.ptr[t->text.len] = '\0';
        rc = add_term(t, off, t->text.len, m->fh, a, ostop);
    } else {
        rc = push_term(f, t, s, a, b, a, ostop);
        if (rc == ND_OK && m && m->flen == MEMO_UNKNOWN) {
            size_t room = m->slen == MEMO_UNKNOWN ? MEMO_ROOM : m->soff;     /* before a stem list */
            int one = t->n == n + 1 && t->v[n].off == off && m->olen + t->v[n].len <= room;
            m->flen = one ? (unsigned char)t->v[n].len : MEMO_NONE;
            if (one) {
                m->fh = t->v[n].hash;
                memcpy(bytes + m->olen, t->text.ptr + off, t->v[n].len);
            }
        }
    }
    if (rc != ND_OK || !word || t->n != n + 1)
        return rc;
    v = &t->v[n];
    v->word_stop = (uint32_t)b;
    if (lang < 0 || b < a + 3 || (m && m->slen == 0))
        return ND_OK;                   /* no language, too short to inflect, or known to have no stems */
    off = t->text.len;
    if ((rc = memo_stems(f, lang, s, a, b, m, bytes, &t->text)) != ND_OK)
        return rc;
    if (t->text.len - off == v->len + 1 && memcmp(t->text.ptr + off + 1, t->text.ptr + v->off, v->len) == 0) {
        t->text.len = off;              /* one stem: the word itself */
        if (m && m->slen == v->len + 1)
            m->slen = 0;                /* the next time, nothing to copy or compare (a query word's
                                         * own ~ form is a synonym of its own, so it loses nothing) */
    }
    if (t->text.len > off) {
        v->soff = (uint32_t)off;
        v->slen = (uint32_t)(t->text.len - off);
    }
    return ND_OK;
}

int nd__tokenize(nd__folder *f, nd__terms *t, const char *s, size_t len, int lang)
{
    nd_tokenizer tz;
    nd_token tok;
    int rc = ND_OK;
    if (len > UINT32_MAX)
        return ND_ELIMIT;
    if (lang >= ND__NLANG)
        lang = -1;
    nd_tokenizer_init(&tz, s, len);
    while (rc == ND_OK && nd_tokenizer_next(&tz, &tok)) {
        int word = tok.kind == ND_TOKEN_WORD && (tok.stem_stop == tok.stop || lang == ND__LANG_TR);
        unsigned k;
        if (tok.nparts <= 1) {
            rc = word_term(f, t, s, tok.start, tok.stem_stop, tok.stop, lang, word);
            continue;
        }
        for (k = 0; k < tok.nparts && rc == ND_OK; k++) {
            size_t ps, pe;
            if (stem_part(s, &tok, k, &ps, &pe))
                rc = word_term(f, t, s, ps, pe, k + 1 == tok.nparts ? tok.stop : pe, lang, word);
        }
    }
    return rc;
}

void nd__terms_clear(nd__terms *t)
{
    t->n = 0;
    t->text.len = 0;
}

void nd__terms_free(nd__terms *t)
{
    nd__free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
    nd_buf_free(&t->text);
}

/* ---- FTS5 tokenizer ----------------------------------------------------- */

typedef struct tokenizer {
    nd_store *db;
    nd__terms terms;
    nd_buf cand, word;          /* query synonyms; a word being derived */
    nd__map given;              /* hashes of the synonyms a query word was given */
} tokenizer;

static int tok_create(void *ud, const char **argv, int argc, Fts5Tokenizer **out)
{
    tokenizer *t;
    (void)argv;
    *out = NULL;
    if (argc > 0)
        return SQLITE_ERROR;            /* the tokenizer takes no options */
    t = nd__calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    t->db = ud;
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    tokenizer *t = (tokenizer *)p;
    if (!t)
        return;
    nd__terms_free(&t->terms);
    nd_buf_free(&t->cand);
    nd_buf_free(&t->word);
    nd__map_free(&t->given);
    nd__free(t);
}

typedef int (*xtoken_fn)(void *, int, const char *, int, int, int);

/* ---- the stem table -------------------------------------------------------
 * The index holds the words only.  A word's stems go to the table
 * fts_stems(stem, word) instead, once per distinct pair rather than once
 * per occurrence: FTS5 stores a colocated stem as it stores a word, so on
 * real Turkish text (0.63 stems a word) stems in the index cost as much
 * again as the words.  A query word then gets the words of its stems as
 * synonyms (query terms, below).
 *
 * A connection remembers the (word, stems) it wrote (db->stems_seen, hashes)
 * and writes a pair again only when it has forgotten it.  It forgets them
 * all whenever a rollback may have taken rows back: a failed statement
 * (nd__store_dberr), ROLLBACK or ROLLBACK TO run on the connection (seen by
 * its trace callback), a transaction SQLite rolls back itself (its
 * rollback hook). */

#define STEMS_SEEN_MAX ((size_t)1 << 19)       /* then start again: a cache, at most 24 MB */

static int stem_table_add(nd_store *db, const nd__terms *terms, const nd__term *m)
{
    const char *w = terms->text.ptr + m->off, *p = terms->text.ptr + m->soff, *end = p + m->slen;
    uint64_t h = (m->hash * 0x9E3779B97F4A7C15ULL ^ memo_hash(p, m->slen)) | 1;    /* never 0, the map's empty key */
    int src = SQLITE_OK;
    if (db->stems_stale || db->stems_seen.n >= STEMS_SEEN_MAX) {
        nd__map_clear(&db->stems_seen);
        db->stems_stale = 0;
    }
    if (nd__map_get(&db->stems_seen, h))
        return SQLITE_OK;
    if (!db->stem_put_st &&
        (src = sqlite3_prepare_v3(db->db, "INSERT OR IGNORE INTO fts_stems(stem, word) VALUES(?1, ?2)", -1,
                                  SQLITE_PREPARE_PERSISTENT, &db->stem_put_st, NULL)) != SQLITE_OK)
        return src;
    sqlite3_bind_text64(db->stem_put_st, 2, w, m->len, SQLITE_STATIC, SQLITE_UTF8);
    while (src == SQLITE_OK && p < end) {          /* each "~stem" of the list, without its "~" */
        const char *e = memchr(p, STEM_SEP, (size_t)(end - p));
        if (!e)
            e = end;
        sqlite3_bind_text64(db->stem_put_st, 1, p + 1, (size_t)(e - p - 1), SQLITE_STATIC, SQLITE_UTF8);
        src = sqlite3_step(db->stem_put_st);
        src = src == SQLITE_DONE ? SQLITE_OK : src;
        sqlite3_reset(db->stem_put_st);
        p = e + 1;
    }
    sqlite3_clear_bindings(db->stem_put_st);
    if (src == SQLITE_OK && nd__map_put(&db->stems_seen, h, 1) != ND_OK)
        src = SQLITE_NOMEM;
    return src;
}

/* Each term; for a document, also its stems to the stem table. */
static int emit(nd_store *db, const nd__terms *terms, int document, void *ctx, xtoken_fn xToken)
{
    size_t i;
    int rc = SQLITE_OK;
    for (i = 0; i < terms->n && rc == SQLITE_OK; i++) {
        const nd__term *m = &terms->v[i];
        rc = xToken(ctx, 0, terms->text.ptr + m->off, (int)m->len, (int)m->start, (int)m->stop);
        if (rc == SQLITE_OK && document && m->slen)
            rc = stem_table_add(db, terms, m);
    }
    return rc;
}

static int rollback_seen(unsigned type, void *ud, void *p, void *x)
{
    nd_store *db = ud;
    const char *sql = x;
    (void)p;
    if (type == SQLITE_TRACE_STMT && sql) {
        while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r')
            sql++;
        if (sqlite3_strnicmp(sql, "ROLLBACK", 8) == 0)
            db->stems_stale = 1;
    }
    return 0;
}

static void rolled_back(void *ud)
{
    ((nd_store *)ud)->stems_stale = 1;
}

/* A document being added by nd_store_add was tokenized already: reuse its
 * terms when FTS5 hands us exactly the same text. */
static const nd__terms *replayable(nd_store *db, const char *text, int n)
{
    if (!db->replay)
        return NULL;
    if (db->replay_title.ptr && (size_t)n == db->replay_title.len &&
        (n == 0 || memcmp(text, db->replay_title.ptr, (size_t)n) == 0))
        return &db->replay->title;
    if (db->replay_body.ptr && (size_t)n == db->replay_body.len &&
        (n == 0 || memcmp(text, db->replay_body.ptr, (size_t)n) == 0))
        return &db->replay->body;
    return NULL;
}

/* ---- query terms ---------------------------------------------------------
 * nd__fts_query writes every string of a query with a header the tokenizer
 * reads: QHEAD, 'x' (exact), 's' (stemmed, languages guessed) or 'k'
 * (stemmed, language known), the derivation level digit, one letter
 * 'a' + lang per language to stem in, QTAIL.  A stemmed word w
 * becomes w with these synonyms at its position:
 *   ~w          forms whose stem is w ("suriyeyle" for suriye): the words
 *               the stem table holds for the stem w;
 *   ~s          for each stem s of w in each language: the forms sharing it
 *               (the stem table's words for s);
 *   s           the word s itself ("bakanlar" finds "bakan");
 *   d, ~d       for each Turkish derived word d (suriye -> suriyeli) when
 *               derivation is on.
 * s and Turkish ~s only when the query's language is known (given, or the
 * only one its letters allow: ı ğ ş are Turkish alone), not guessed:
 * a stem is often a word of another language ("Borrell" -> "borrel"), and
 * a Turkish base word has readings as a shorter stem ("bakan": baka-n).
 * The last word of a prefix query, and every word of an exact one, stays
 * as written.  A string without a header (SQL written by hand) is exact. */

#define QHEAD '\x01'
#define QTAIL '\x02'
#define MAX_CANDS 48

typedef struct cands {
    size_t off[MAX_CANDS], len[MAX_CANDS], n;
} cands;

/* Add the last len bytes of buf (from off) as a candidate unless known. */
static void cand_keep(cands *c, nd_buf *buf, size_t off)
{
    size_t i, len = buf->len - off;
    for (i = 0; i < c->n; i++)
        if (c->len[i] == len && memcmp(buf->ptr + c->off[i], buf->ptr + off, len) == 0)
            break;
    if (i < c->n || c->n == MAX_CANDS || len == 0) {
        buf->len = off;
        return;
    }
    c->off[c->n] = off;
    c->len[c->n++] = len;
}

/* Append the bytes p[0,n) as a candidate, with a "~" before them or not. */
static int cand_put(cands *c, nd_buf *buf, int tilde, const char *p, size_t n)
{
    size_t off = buf->len;
    int rc = tilde ? nd_buf_append(buf, "~", 1) : ND_OK;
    if (rc == ND_OK)
        rc = nd_buf_append(buf, p, n);
    if (rc == ND_OK)
        cand_keep(c, buf, off);
    return rc;
}

/* The number of UTF-8 characters in p[0,n). */
static size_t utf8_chars(const char *p, size_t n)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++)
        k += ((unsigned char)p[i] & 0xC0) != 0x80;
    return k;
}

/* The stems of s[a,b) in lang as candidates: each "~stem", and with words
 * also each stem itself.  A Turkish stem of fewer than three letters is
 * left out: a query word read as one ("deniz" as de-niz, "neden" as
 * ne-den) would find the particles and pronouns of every sentence.  So is
 * a Turkish stem one letter short of the query word: the one-letter
 * suffixes (possessive -m, -n, accusative -ı, dative -a; Göksel & Kerslake
 * 14.3-14.4) read base words that end in those letters as a shorter word
 * (başkan as başka-n, sorun as soru-n, sıra as sır-a, ölüm as ölü-m), and
 * an analyst searches the base word.  Two letters short, the same when the
 * word ends in a high vowel and m or n: the possessives -Im, -In and the
 * genitive -In look like the nouns made with -(I)m, -(I)n (seçim, toplum,
 * yorum, sorun; Göksel & Kerslake 7.1.1), which would read as seç-im,
 * topl-um, sor-un. */
static size_t tr_query_short(const char *s, size_t a, size_t b)
{
    size_t n = utf8_chars(s + a, b - a), i = b, k;
    int32_t c[2] = { 0, 0 };
    for (k = 0; k < 2 && i > a; k++) {         /* the last two letters, back to front */
        size_t j = i - 1;
        while (j > a && ((unsigned char)s[j] & 0xC0) == 0x80)
            j--;
        utf8proc_iterate((const utf8proc_uint8_t *)s + j, (utf8proc_ssize_t)(i - j), &c[k]);
        i = j;
    }
    if ((c[0] == 'm' || c[0] == 'n' || c[0] == 'M' || c[0] == 'N') &&
        (c[1] == 0x131 || c[1] == 'i' || c[1] == 'u' || c[1] == 0xFC || c[1] == 'I' || c[1] == 0x130 ||
         c[1] == 'U' || c[1] == 0xDC))
        return n >= 2 ? n - 2 : 0;
    return n >= 1 ? n - 1 : 0;
}

static int cand_stems(nd__folder *f, cands *c, nd_buf *buf, nd_buf *tmp, int lang, const char *s, size_t a,
                      size_t b, int words)
{
    size_t shortest = lang == ND__LANG_TR ? tr_query_short(s, a, b) : 0;
    const char *p, *end;
    int rc;
    tmp->len = 0;
    rc = stem_memo(f, lang, s, a, b, tmp);
    for (p = tmp->ptr, end = p ? p + tmp->len : NULL; rc == ND_OK && p && p < end;) {
        const char *e = memchr(p, STEM_SEP, (size_t)(end - p));
        if (!e)
            e = end;
        if (lang == ND__LANG_TR && (utf8_chars(p + 1, (size_t)(e - p - 1)) < 3 ||
                                    utf8_chars(p + 1, (size_t)(e - p - 1)) >= shortest)) {
            p = e + 1;
            continue;
        }
        rc = cand_put(c, buf, 0, p, (size_t)(e - p));      /* "~stem" */
        if (rc == ND_OK && words)
            rc = cand_put(c, buf, 0, p + 1, (size_t)(e - p - 1));
        p = e + 1;
    }
    return rc;
}

/* Append the fold key of s[a,b) as a candidate, with "~" or not. */
static int cand_fold(nd__folder *f, cands *c, nd_buf *buf, int tilde, const char *s, size_t a, size_t b)
{
    size_t off = buf->len;
    uint64_t h;
    int plain, rc = tilde ? nd_buf_append(buf, "~", 1) : ND_OK;
    if (rc == ND_OK)
        rc = fold_range(&f->key, 0, &f->tmp, buf, s, a, b, &h, &plain);
    if (rc == ND_OK)
        cand_keep(c, buf, off);
    return rc;
}

/* The vowel c stands for in Turkish harmony (â î û as a i u), or 0. */
static int32_t tr_vowel(int32_t c)
{
    switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 0x131: case 0xF6: case 0xFC:
        return c;
    case 0xE2: return 'a';
    case 0xEE: return 'i';
    case 0xFB: return 'u';
    default: return 0;
    }
}

/* Last vowel and whether the last letter is voiceless, of the Turkish
 * lower-case word w (UTF-8). */
static void tr_tail(const char *w, size_t n, int32_t *vowel, int *voiceless)
{
    size_t i = 0;
    *vowel = 'e';
    *voiceless = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(n - i), &c);
        i += k > 0 ? (size_t)k : 1;
        if (tr_vowel(c)) {
            *vowel = tr_vowel(c);
            *voiceless = 0;
        } else {
            *voiceless = c == 0xE7 || c == 'f' || c == 'h' || c == 'k' || c == 'p' || c == 's' || c == 0x15F ||
                         c == 't';
        }
    }
}

/* The Turkish derivational suffixes of level `derive` after the word w
 * (lower case, diacritics kept), by vowel harmony and voicing: -lı
 * (Ankara -> Ankaralı) from level 1; -ca (Türk -> Türkçe) and -laş
 * (Amerika -> Amerikalaş) from level 2.  Writes up to 3 suffixes into
 * suf[][8]; returns how many. */
static int tr_derivations(const char *w, size_t n, int derive, char suf[3][8])
{
    int32_t v;
    int voiceless, back, k = 0;
    const char *i4;
    tr_tail(w, n, &v, &voiceless);
    back = v == 'a' || v == 0x131 || v == 'o' || v == 'u';
    i4 = v == 'a' || v == 0x131 ? "\xC4\xB1" : v == 'o' || v == 'u' ? "u" : v == 0xF6 || v == 0xFC ? "\xC3\xBC" : "i";
    if (derive >= 1)
        snprintf(suf[k++], 8, "l%s", i4);
    if (derive >= 2) {
        snprintf(suf[k++], 8, "%s%s", voiceless ? "\xC3\xA7" : "c", back ? "a" : "e");
        snprintf(suf[k++], 8, "l%s\xC5\x9F", back ? "a" : "e");
    }
    return k;
}

/* The synonyms of query word m of text s. */
static int word_cands(tokenizer *t, const char *s, const nd__term *m, int derive, unsigned langs, int known,
                      cands *c)
{
    nd__folder *f = t->db->folder;
    const char *e = t->terms.text.ptr + m->off;
    int lang, rc;
    c->n = 0;
    t->cand.len = 0;
    rc = cand_put(c, &t->cand, 0, e, m->len);       /* c 0: the word itself */
    if (rc == ND_OK)
        rc = cand_put(c, &t->cand, 1, e, m->len);
    for (lang = 0; rc == ND_OK && lang < ND__NLANG; lang++)
        if ((langs & (1u << lang)) && (known || lang != ND__LANG_TR))
            rc = cand_stems(f, c, &t->cand, &t->word, lang, s, m->start, m->word_stop, known);
    if (rc == ND_OK && derive > 0 && (langs & (1u << ND__LANG_TR))) {
        char suf[3][8];
        int k, nsuf;
        uint64_t h;
        int plain;
        t->word.len = 0;
        rc = fold_range(f->lower[1], lang_defs[ND__LANG_TR].fold, &f->tmp, &t->word, s, m->start, m->word_stop, &h,
                        &plain);
        nsuf = rc == ND_OK ? tr_derivations(t->word.ptr, t->word.len, derive, suf) : 0;
        for (k = 0; rc == ND_OK && k < nsuf; k++) {
            size_t base = t->word.len;
            rc = nd_buf_append(&t->word, suf[k], strlen(suf[k]));
            if (rc == ND_OK)
                rc = cand_fold(f, c, &t->cand, 0, t->word.ptr, 0, t->word.len);
            if (rc == ND_OK)
                rc = cand_fold(f, c, &t->cand, 1, t->word.ptr, 0, t->word.len);
            t->word.len = base;
        }
    }
    return rc;
}

/* Whether the index holds the term p[0,n).  A synonym the index does not
 * hold finds nothing, yet FTS5 reads a word with synonyms on its slow
 * path, merging position lists row by row: a word whose synonyms are all
 * absent is read as one term (about 15% faster for a word in most
 * articles).  The look-up is a fts5vocab table in the connection's temp
 * schema (nd__fts_terms_open), about 70 us a term on 100,000 articles;
 * it sees the same data the query does, uncommitted rows included.  On
 * any failure the term counts as held. */
static int term_held(nd_store *db, const char *p, size_t n)
{
    int src, held;
    if (!db->term_st)
        return 1;
    sqlite3_bind_text64(db->term_st, 1, p, n, SQLITE_STATIC, SQLITE_UTF8);
    src = sqlite3_step(db->term_st);
    held = src != SQLITE_DONE;
    sqlite3_reset(db->term_st);
    sqlite3_clear_bindings(db->term_st);
    return held;
}

void nd__fts_terms_open(nd_store *db)
{
    if (sqlite3_exec(db->db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.nd_index_terms"
                             " USING fts5vocab(main, articles_fts, 'instance')", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db->db, "SELECT 1 FROM temp.nd_index_terms WHERE term = ?1 LIMIT 1", -1,
                           SQLITE_PREPARE_PERSISTENT, &db->term_st, NULL) != SQLITE_OK) {
        sqlite3_finalize(db->term_st);
        db->term_st = NULL;
    }
    if (sqlite3_prepare_v3(db->db, "SELECT word FROM fts_stems WHERE stem = ?1", -1, SQLITE_PREPARE_PERSISTENT,
                           &db->stem_get_st, NULL) != SQLITE_OK) {
        sqlite3_finalize(db->stem_get_st);
        db->stem_get_st = NULL;
    }
}

void nd__fts_terms_close(nd_store *db)
{
    sqlite3_finalize(db->term_st);
    sqlite3_finalize(db->stem_get_st);
    sqlite3_finalize(db->stem_put_st);
    db->term_st = db->stem_get_st = db->stem_put_st = NULL;
    nd__map_free(&db->stems_seen);
}

/* Give the query word at [start, stop) the synonym p[0,n) unless it has
 * it already. */
static int give(tokenizer *t, void *ctx, xtoken_fn xToken, const char *p, size_t n, int start, int stop)
{
    uint64_t h = nd__term_hash(p, n) | 1;
    if (nd__map_get(&t->given, h))
        return SQLITE_OK;
    if (nd__map_put(&t->given, h, 1) != ND_OK)
        return SQLITE_NOMEM;
    return xToken(ctx, FTS5_TOKEN_COLOCATED, p, (int)n, start, stop);
}

/* The synonym "~stem" p[0,n): each word of the index with that stem (the
 * stem table; none when the table could not be read). */
static int give_stem(tokenizer *t, void *ctx, xtoken_fn xToken, const char *p, size_t n, int start, int stop)
{
    sqlite3_stmt *st = t->db->stem_get_st;
    int src, rc = SQLITE_OK;
    if (!st)
        return SQLITE_OK;
    sqlite3_bind_text64(st, 1, p + 1, n - 1, SQLITE_STATIC, SQLITE_UTF8);
    while (rc == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        rc = give(t, ctx, xToken, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                  start, stop);
    if (rc == SQLITE_OK && src != SQLITE_DONE)
        rc = src;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int tok_query(tokenizer *t, void *ctx, int flags, const char *text, size_t n, xtoken_fn xToken)
{
    nd__folder *f = t->db->folder;
    size_t h = 0, i;
    int exact = 1, derive = 0, known = 0, rc;
    unsigned langs = 0;
    if (n >= 3 && text[0] == QHEAD) {
        exact = text[1] == 'x';
        known = text[1] == 'k';
        derive = text[2] - '0';
        for (h = 3; h < n && text[h] != QTAIL; h++)
            if (text[h] >= 'a' && text[h] < 'a' + ND__NLANG)
                langs |= 1u << (text[h] - 'a');
        h = h < n ? h + 1 : n;
    }
    nd__terms_clear(&t->terms);
    rc = nd__tokenize(f, &t->terms, text + h, n - h, -1);
    if (rc == ND_OK && !exact) {        /* the stemmers' tables for word_cands */
        int lang;
        for (lang = 0; rc == ND_OK && lang < ND__NLANG; lang++) {
            struct sb_stemmer *sb;
            const fold_table *tb;
            if (langs & (1u << lang))
                rc = stemmer(f, lang, &sb, &tb);
        }
    }
    if (rc != ND_OK)
        return rc == ND_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
    for (i = 0; i < t->terms.n; i++) {
        const nd__term *m = &t->terms.v[i];
        cands c;
        size_t k;
        int src = xToken(ctx, 0, t->terms.text.ptr + m->off, (int)m->len, (int)(m->start + h), (int)(m->stop + h));
        if (src != SQLITE_OK)
            return src;
        if (exact || !m->word_stop || ((flags & FTS5_TOKENIZE_PREFIX) && i + 1 == t->terms.n))
            continue;
        rc = word_cands(t, text + h, m, derive, langs, known, &c);
        if (rc != ND_OK)
            return rc == ND_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
        nd__map_clear(&t->given);
        nd__map_put(&t->given, nd__term_hash(t->cand.ptr + c.off[0], c.len[0]) | 1, 1);  /* c 0: the word */
        for (k = 1; k < c.n; k++) {
            const char *p = t->cand.ptr + c.off[k];
            if (p[0] == '~')
                src = give_stem(t, ctx, xToken, p, c.len[k], (int)(m->start + h), (int)(m->stop + h));
            else if (term_held(t->db, p, c.len[k]))
                src = give(t, ctx, xToken, p, c.len[k], (int)(m->start + h), (int)(m->stop + h));
            if (src != SQLITE_OK)
                return src;
        }
    }
    return SQLITE_OK;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n, xtoken_fn xToken)
{
    tokenizer *t = (tokenizer *)p;
    const nd__terms *done = NULL;
    int rc;
    if (n <= 0)
        return SQLITE_OK;
    if (!t->db->folder && nd__folder_new(&t->db->folder) != ND_OK)
        return SQLITE_NOMEM;
    if (flags & FTS5_TOKENIZE_QUERY)
        return tok_query(t, ctx, flags, text, (size_t)n, xToken);
    if (flags & FTS5_TOKENIZE_DOCUMENT)
        done = replayable(t->db, text, n);
    if (done)
        return emit(t->db, done, 1, ctx, xToken);
    nd__terms_clear(&t->terms);
    rc = nd__tokenize(t->db->folder, &t->terms, text, (size_t)n, (flags & FTS5_TOKENIZE_DOCUMENT) ? t->db->doc_lang : -1);
    if (rc != ND_OK)
        return rc == ND_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
    return emit(t->db, &t->terms, (flags & FTS5_TOKENIZE_DOCUMENT) != 0, ctx, xToken);
}

int nd__fts_register(nd_store *db)
{
    fts5_tokenizer methods = { tok_create, tok_delete, tok_tokenize };   /* copied by FTS5 */
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int src;
    src = sqlite3_prepare_v2(db->db, "SELECT fts5(?1)", -1, &st, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
        src = sqlite3_step(st);
        src = src == SQLITE_ROW ? SQLITE_OK : src;
    }
    sqlite3_finalize(st);
    if (src != SQLITE_OK)
        return nd__store_dberr(db, src);
    if (!api)
        return nd__store_fail(db, ND_EDB, "this SQLite has no FTS5");
    src = api->xCreateTokenizer(api, "newsdesk", db, &methods, NULL);
    if (src != SQLITE_OK)
        return nd__store_dberr(db, src);
    sqlite3_trace_v2(db->db, SQLITE_TRACE_STMT, rollback_seen, db);
    sqlite3_rollback_hook(db->db, rolled_back, db);
    return ND_OK;
}

/* ---- queries ------------------------------------------------------------ *
 * The query language is FTS5's: words and "quoted phrases" (a doubled ""
 * inside is a quote), AND (or nothing), OR, NOT, ( ), NEAR(a b, N), a
 * trailing * for a prefix, ^ for the start of a column, + joining phrases,
 * column filters (title: / {title body}:); AND OR NOT NEAR are operators
 * only in capitals.  newsdesk adds = before a word or phrase: search it
 * exactly as written.  The parser checks it all, then writes each word or
 * phrase as a quoted FTS5 string with the header the tokenizer reads. */

enum { T_END, T_WORD, T_STRING, T_LP, T_RP, T_COMMA, T_STAR, T_PLUS, T_CARET, T_COLON, T_LB, T_RB, T_EQ };

typedef struct qparse {
    const char *q;
    size_t len, pos;
    int kind;                   /* of the current token */
    size_t ts, te;              /* its bytes */
    const nd__qopts *o;         /* NULL: check only */
    nd_buf *out, *err;
    int rc, depth;
} qparse;

static int qfail(qparse *p, size_t at, const char *fmt, const char *what, size_t wlen)
{
    char msg[200];
    int n;
    if (p->rc != ND_OK)
        return p->rc;
    n = snprintf(msg, sizeof msg, fmt, (int)(wlen > 40 ? 40 : wlen), what);
    if (n >= 0 && (size_t)n < sizeof msg)
        snprintf(msg + n, sizeof msg - (size_t)n, " at byte %zu", at);
    p->err->len = 0;
    if (nd_buf_append(p->err, msg, strlen(msg)) != ND_OK)
        return p->rc = ND_ENOMEM;
    return p->rc = ND_ESYNTAX;
}

static int special(char c)
{
    return c && strchr("\"(),*+^:{}", c) != NULL;
}

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Read the next token into p->kind, ts, te. */
static void qnext(qparse *p)
{
    const char *q = p->q;
    size_t i = p->pos;
    while (i < p->len && space(q[i]))
        i++;
    p->ts = i;
    if (i >= p->len) {
        p->kind = T_END;
    } else if (q[i] == '"') {
        for (i++;; i++) {
            if (i >= p->len) {
                qfail(p, p->ts, "%.*sunclosed quote", "", 0);
                p->kind = T_END;
                break;
            }
            if (q[i] == '"') {
                if (i + 1 < p->len && q[i + 1] == '"') {
                    i++;
                    continue;
                }
                i++;
                p->kind = T_STRING;
                break;
            }
        }
    } else if (q[i] == '=' && i + 1 < p->len && !space(q[i + 1]) && (q[i + 1] == '"' || !special(q[i + 1]))) {
        p->kind = T_EQ;
        i++;
    } else if (special(q[i])) {
        static const char chars[] = "(),*+^:{}";
        static const int kinds[] = { T_LP, T_RP, T_COMMA, T_STAR, T_PLUS, T_CARET, T_COLON, T_LB, T_RB };
        p->kind = kinds[strchr(chars, q[i]) - chars];
        i++;
    } else {
        while (i < p->len && !space(q[i]) && !special(q[i]))
            i++;
        p->kind = T_WORD;
    }
    p->te = i;
    p->pos = i;
}

static int is_kw(const qparse *p, const char *kw)
{
    size_t n = strlen(kw);
    return p->kind == T_WORD && p->te - p->ts == n && memcmp(p->q + p->ts, kw, n) == 0;
}

static int is_op(const qparse *p)
{
    return is_kw(p, "AND") || is_kw(p, "OR") || is_kw(p, "NOT");
}

static void put(qparse *p, const char *s, size_t n)
{
    if (p->out && p->rc == ND_OK && nd_buf_append(p->out, s, n) != ND_OK)
        p->rc = ND_ENOMEM;
}

static void puts_(qparse *p, const char *s)
{
    put(p, s, strlen(s));
}

/* What the current token is, for a message. */
static int qwhat(qparse *p, const char *fmt)
{
    if (p->kind == T_END)
        return qfail(p, p->ts, "%.*sthe query ends where a word or phrase is needed", "", 0);
    return qfail(p, p->ts, fmt, p->q + p->ts, p->te - p->ts);
}

/* The current word or string as one FTS5 string with the header. */
static void put_string(qparse *p, int exact)
{
    const char *s = p->q + p->ts, *e = p->q + p->te;
    char head[4 + ND__NLANG];
    size_t hn = 0;
    int i;
    if (p->kind == T_STRING) {
        s++;
        e--;
    }
    puts_(p, "\"");
    head[hn++] = QHEAD;
    head[hn++] = exact || !p->o || p->o->exact ? 'x' : p->o->known ? 'k' : 's';
    head[hn++] = (char)('0' + (p->o ? p->o->derive : 0));
    for (i = 0; i < ND__NLANG; i++)
        if (p->o && (p->o->langs & (1u << i)))
            head[hn++] = (char)('a' + i);
    head[hn++] = QTAIL;
    put(p, head, hn);
    for (; s < e; s++) {
        if (*s == '"' && p->kind == T_STRING)
            s++;                        /* "" in a string is one quote */
        if (*s == '"')
            puts_(p, "\"\"");
        else if ((unsigned char)*s < 0x20)
            puts_(p, " ");              /* no header bytes from the user */
        else
            put(p, s, 1);
    }
    puts_(p, "\"");
}

/* phrase := [=] (word | string) ("+" [=] (word | string))* ["*"] */
static void qphrase(qparse *p)
{
    for (;;) {
        int exact = 0;
        if (p->kind == T_EQ) {
            exact = 1;
            qnext(p);
        }
        if (p->kind != T_WORD && p->kind != T_STRING) {
            qwhat(p, "expected a word or phrase, found '%.*s'");
            return;
        }
        if (is_op(p) || is_kw(p, "NEAR")) {
            qwhat(p, "'%.*s' needs a word or phrase before it");
            return;
        }
        put_string(p, exact);
        qnext(p);
        if (p->kind == T_STAR) {
            puts_(p, " *");
            qnext(p);
        }
        if (p->kind != T_PLUS)
            return;
        puts_(p, " + ");
        qnext(p);
    }
}

static void qor(qparse *p);

static int column_name(const char *s, size_t n)
{
    return (n == 5 && memcmp(s, "title", 5) == 0) || (n == 4 && memcmp(s, "body", 4) == 0);
}

/* primary := "(" or ")" | NEAR "(" phrase+ ["," N] ")" | column ":" primary | ["^"] phrase */
static void qprimary(qparse *p)
{
    if (p->rc != ND_OK)
        return;
    if (p->kind == T_LP) {
        size_t at = p->ts;
        if (++p->depth > 100) {
            qfail(p, at, "%.*sparentheses nested too deep", "", 0);
            return;
        }
        puts_(p, "(");
        qnext(p);
        qor(p);
        if (p->rc == ND_OK && p->kind != T_RP)
            qfail(p, at, "%.*sunclosed parenthesis", "", 0);
        puts_(p, ")");
        p->depth--;
        qnext(p);
        return;
    }
    if (is_kw(p, "NEAR") && p->pos < p->len && p->q[p->pos] == '(') {
        size_t at = p->ts;
        int n = 0;
        puts_(p, "NEAR(");
        qnext(p);
        qnext(p);
        while (p->rc == ND_OK && p->kind != T_RP && p->kind != T_COMMA && p->kind != T_END) {
            if (n++)
                puts_(p, " ");
            qphrase(p);
        }
        if (p->rc == ND_OK && n < 1)
            qfail(p, at, "%.*sNEAR needs words or phrases", "", 0);
        if (p->rc == ND_OK && p->kind == T_COMMA) {
            qnext(p);
            size_t d = p->ts;
            while (p->kind == T_WORD && d < p->te && p->q[d] >= '0' && p->q[d] <= '9')
                d++;                                /* the query is not NUL-terminated */
            if (p->kind != T_WORD || d != p->te) {
                qwhat(p, "NEAR's distance must be a number, found '%.*s'");
                return;
            }
            puts_(p, ", ");
            put(p, p->q + p->ts, p->te - p->ts);
            qnext(p);
        }
        if (p->rc == ND_OK && p->kind != T_RP)
            qfail(p, at, "%.*sunclosed NEAR(", "", 0);
        puts_(p, ")");
        qnext(p);
        return;
    }
    if (p->kind == T_LB) {
        puts_(p, "{");
        for (qnext(p); p->rc == ND_OK && p->kind == T_WORD; qnext(p)) {
            if (!column_name(p->q + p->ts, p->te - p->ts)) {
                qwhat(p, "unknown column '%.*s' (title or body)");
                return;
            }
            puts_(p, " ");
            put(p, p->q + p->ts, p->te - p->ts);
        }
        if (p->rc == ND_OK && p->kind != T_RB) {
            qwhat(p, "expected '}' after column names, found '%.*s'");
            return;
        }
        qnext(p);
        if (p->rc == ND_OK && p->kind != T_COLON) {
            qwhat(p, "expected ':' after {columns}, found '%.*s'");
            return;
        }
        puts_(p, " } : ");
        qnext(p);
        qprimary(p);
        return;
    }
    if (p->kind == T_WORD && p->pos < p->len && p->q[p->pos] == ':' && !is_op(p)) {
        if (!column_name(p->q + p->ts, p->te - p->ts)) {
            qwhat(p, "unknown column '%.*s' before ':' (title or body)");
            return;
        }
        put(p, p->q + p->ts, p->te - p->ts);
        puts_(p, " : ");
        qnext(p);
        qnext(p);
        qprimary(p);
        return;
    }
    if (p->kind == T_CARET) {
        puts_(p, "^ ");
        qnext(p);
    }
    qphrase(p);
}

static int starts_primary(const qparse *p)
{
    return (p->kind == T_WORD && !is_op(p)) || p->kind == T_STRING || p->kind == T_LP || p->kind == T_EQ ||
           p->kind == T_CARET || p->kind == T_LB;
}

/* not := primary ("NOT" primary)* */
static void qnot(qparse *p)
{
    qprimary(p);
    while (p->rc == ND_OK && is_kw(p, "NOT")) {
        puts_(p, " NOT ");
        qnext(p);
        qprimary(p);
    }
}

/* and := not (["AND"] not)* */
static void qand(qparse *p)
{
    qnot(p);
    while (p->rc == ND_OK) {
        if (is_kw(p, "AND")) {
            puts_(p, " AND ");
            qnext(p);
        } else if (starts_primary(p)) {
            puts_(p, " AND ");          /* FTS5 takes no implicit AND beside ( ) */
        } else {
            return;
        }
        qnot(p);
    }
}

/* or := and ("OR" and)* */
static void qor(qparse *p)
{
    qand(p);
    while (p->rc == ND_OK && is_kw(p, "OR")) {
        puts_(p, " OR ");
        qnext(p);
        qand(p);
    }
}

int nd__fts_query(nd_buf *out, const char *q, size_t len, const nd__qopts *o, nd_buf *err)
{
    qparse p = { q, len, 0, T_END, 0, 0, o, out, err, ND_OK, 0 };
    if (out)
        out->len = 0;
    qnext(&p);
    if (p.rc == ND_OK && p.kind == T_END) {
        err->len = 0;
        return nd_buf_append(err, "empty query", 11) == ND_OK ? ND_ESYNTAX : ND_ENOMEM;
    }
    if (p.rc == ND_OK && is_op(&p))
        qwhat(&p, "'%.*s' needs a word or phrase before it");
    qor(&p);
    if (p.rc == ND_OK && p.kind != T_END) {
        if (p.kind == T_RP)
            qfail(&p, p.ts, "%.*sunmatched ')'", "", 0);
        else
            qwhat(&p, "unexpected '%.*s'");
    }
    return p.rc;
}

/* The languages a query is probably in, by its letters: Cyrillic is
 * Ukrainian with і ї є ґ, Russian with ы э ъ ё, else either; Latin letters only one language has name it (ı ğ ş: Turkish;
 * ä ß: German; ñ: Spanish; é è ê à œ: French; ü ö: Turkish or German;
 * ç: Turkish or French); Latin without such letters: every Latin one. */
unsigned nd__fts_guess_langs(const char *q, size_t len)
{
    unsigned m = 0, latin = 0, cyr = 0;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)q + i, (utf8proc_ssize_t)(len - i), &c);
        i += k > 0 ? (size_t)k : 1;
        if (k <= 0)
            continue;
        if (c >= 0x400 && c <= 0x4FF)
            cyr = 1;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            latin = 1;
        switch (c) {
        case 0x131: case 0x130: case 0x11F: case 0x11E: case 0x15F: case 0x15E:
            m |= (1u << ND__LANG_TR); break;
        case 0xE4: case 0xC4: case 0xDF:
            m |= (1u << ND__LANG_DE); break;
        case 0xFC: case 0xDC: case 0xF6: case 0xD6:
            m |= (1u << ND__LANG_TR) | (1u << ND__LANG_DE); break;
        case 0xE7: case 0xC7:
            m |= (1u << ND__LANG_TR) | (1u << ND__LANG_FR); break;
        case 0xF1: case 0xD1:
            m |= (1u << ND__LANG_ES); break;
        case 0xE9: case 0xC9: case 0xE8: case 0xEA: case 0xE0: case 0x153:
            m |= (1u << ND__LANG_FR); break;
        case 0x456: case 0x406: case 0x457: case 0x407: case 0x454: case 0x404: case 0x491: case 0x490:
            m |= (1u << ND__LANG_UK); break;
        case 0x44B: case 0x42B: case 0x44D: case 0x42D: case 0x44A: case 0x42A: case 0x451: case 0x401:
            m |= (1u << ND__LANG_RU); break;
        default: break;
        }
    }
    if (cyr && !(m & ((1u << ND__LANG_RU) | (1u << ND__LANG_UK))))
        m |= (1u << ND__LANG_RU) | (1u << ND__LANG_UK);
    if (latin && !(m & ~((1u << ND__LANG_RU) | (1u << ND__LANG_UK))))
        m |= (1u << ND__LANG_TR) | (1u << ND__LANG_EN) | (1u << ND__LANG_DE) | (1u << ND__LANG_FR) | (1u << ND__LANG_ES);
    return m;
}
