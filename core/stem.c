/*
 * stem.c — newsdesk's own light stemmers, for the languages where Debian's
 * libstemmer has none (Ukrainian) or stems further than search should
 * (English: Snowball's Porter steps 2-5 strip derivations, so "university"
 * found "universe", "nation" "national", "report" "reporter").
 *
 * Both are data: a table of inflectional endings the longest of which is
 * cut off, and a few rules for the alternations the grammar writes.  A word
 * may give more than one stem (every reading it has); a stem is a
 * lower-case UTF-8 string the caller folds to the match key.
 *
 * Sources (read for the facts, nothing copied):
 *   uk  I. Pugh & M. Press, Ukrainian: A Comprehensive Grammar (Routledge
 *       1999), ch. 2 (noun declensions, alternations о/е ~ і, к/г/х ~ ц/з/с
 *       before -і, fleeting о/е), ch. 3 (adjective endings); Український
 *       правопис (2019), §§ 74-110 (case endings).
 *   en  R. Quirk et al., A Comprehensive Grammar of the English Language
 *       (1985), §§ 5.73-5.125 (regular and irregular plurals, the genitive),
 *       § 3.5 (-s, -ed, -ing and their spelling: e dropped, y to i, the final
 *       consonant doubled).
 */
#include <string.h>

#include "store_internal.h"

/* Append w[0,n) to out as one more stem unless it is there or too long. */
static void put(nd__stems *out, const char *w, size_t n)
{
    size_t at = out->n ? out->off[out->n - 1] + out->len[out->n - 1] : 0;
    int i;
    if (n == 0 || out->n == ND__STEMS_MAX || at + n > sizeof out->buf)
        return;
    for (i = 0; i < out->n; i++)
        if (out->len[i] == n && memcmp(out->buf + out->off[i], w, n) == 0)
            return;
    memcpy(out->buf + at, w, n);
    out->off[out->n] = at;
    out->len[out->n++] = n;
}

static int ends(const char *w, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/* ---- Ukrainian ----------------------------------------------------------
 * Cyrillic letters are two bytes each in UTF-8. */

/* Inflectional endings of nouns and adjectives (cases, number), all cut
 * the same way; the longest that leaves a stem of two letters with a vowel
 * is cut. */
static const char *const uk_endings[] = {
    /* adjectives and adjectival surnames */
    "ього", "ьому", "ого", "ому", "ими", "іми", "их", "іх", "им", "ім", "ий", "ій", "ої", "ьої", "ьою",
    /* nouns: plural */
    "ами", "ями", "ах", "ях", "ам", "ям", "ів", "їв", "ей",
    /* nouns: singular */
    "ові", "еві", "єві", "ою", "ею", "єю", "ом", "ем", "єм",
    "а", "я", "у", "ю", "і", "ї", "и", "о", "е", "є", "ь", "й",
};

/* After the ending -і a velar stem shows its softened consonant
 * (Америка: Америці, нога: нозі, муха: мусі). */
static const char *const uk_velar[][2] = { { "ц", "к" }, { "з", "г" }, { "с", "х" } };

/* A base form whose last syllable is closed writes і (ї) where the other
 * forms write о or е (є): Львів, Львова; Київ, Києва; рік, року. */
static const char *const uk_closed[][2] = { { "і", "о" }, { "і", "е" }, { "ї", "є" } };

/* A fleeting vowel: the base form's last о/е drops in every other form
 * (порядок, порядку; українець, українця; день, дня). */
static const char *const uk_fleeting[][2] = { { "ок", "к" }, { "ец", "ц" }, { "ен", "н" } };

static int uk_vowel(const char *p)
{
    static const char *const v[] = { "а", "е", "є", "и", "і", "ї", "о", "у", "ю", "я" };
    size_t i;
    for (i = 0; i < ND_ARRAY_LEN(v); i++)
        if (memcmp(p, v[i], 2) == 0)
            return 1;
    return 0;
}

/* 1 if the Cyrillic word w[0,n) (two bytes a letter) has a letter vowel()
 * calls a vowel. */
static int has_vowel(const char *w, size_t n, int (*vowel)(const char *))
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        if (vowel(w + i))
            return 1;
    return 0;
}

/* The stems of w[0,n) read as a stem and the last k bytes an ending. */
static void uk_reading(const char *w, size_t n, size_t k, nd__stems *out)
{
    char v[ND__STEMS_WORD];
    size_t i, s = n - k;
    memcpy(v, w, s);
    if (s >= 6 && memcmp(v + s - 2, "ь", 2) == 0)
        s -= 2;                         /* a soft sign left before the ending */
    put(out, v, s);
    if (k == 2 && ends(w, n, "ю") && s >= 6 && memcmp(v + s - 2, v + s - 4, 2) == 0 && !uk_vowel(v + s - 2))
        put(out, v, s -= 2);            /* the instrumental doubles: ніччю, ніч (but рішенню: рішення) */
    if (k == 2 && ends(w, n, "нь") && s >= 6 && uk_vowel(v + s - 4)) {
        memcpy(v + s, "н", 2);          /* the genitive plural of -ння: рішень, рішення */
        put(out, v, s + 2);
    }
    if (k == 2 && ends(w, n, "і"))
        for (i = 0; i < ND_ARRAY_LEN(uk_velar); i++)
            if (ends(v, s, uk_velar[i][0])) {
                memcpy(v + s - 2, uk_velar[i][1], 2);
                put(out, v, s);
                memcpy(v + s - 2, uk_velar[i][0], 2);
            }
    if (k == 0 || (k == 2 && ends(w, n, "ь"))) {    /* the base form itself */
        if (s >= 6 && !uk_vowel(v + s - 2))
            for (i = 0; i < ND_ARRAY_LEN(uk_closed); i++)
                if (memcmp(v + s - 4, uk_closed[i][0], 2) == 0) {
                    memcpy(v + s - 4, uk_closed[i][1], 2);
                    put(out, v, s);
                    memcpy(v + s - 4, uk_closed[i][0], 2);
                }
        for (i = 0; i < ND_ARRAY_LEN(uk_fleeting); i++)
            if (s >= 8 && ends(v, s, uk_fleeting[i][0]) && !uk_vowel(v + s - 6)) {
                memcpy(v + s - 4, uk_fleeting[i][1], 2);
                put(out, v, s - 2);
                memcpy(v + s - 4, uk_fleeting[i][0], 4);
            }
    }
    /* a stem ending in a vowel (Росі-я, партій: парт-ій) is also read
     * without it */
    if (s >= 8 && uk_vowel(v + s - 2))
        put(out, v, s - 2);
}

void nd__stem_uk(const char *w, size_t n, nd__stems *out)
{
    size_t i, k = 0;
    out->n = 0;
    if (n > ND__STEMS_WORD || n % 2 || n < 6)
        return;                         /* too long, not Cyrillic, or three letters or less */
    for (i = 0; i < n; i += 2)
        if ((unsigned char)w[i] != 0xD0 && (unsigned char)w[i] != 0xD1 && (unsigned char)w[i] != 0xD2)
            return;
    for (i = 0; i < ND_ARRAY_LEN(uk_endings); i++) {
        size_t e = strlen(uk_endings[i]);
        if (e > k && ends(w, n, uk_endings[i]) && n - e >= 4 && has_vowel(w, n - e, uk_vowel))
            k = e;
    }
    uk_reading(w, n, k, out);
    /* two readings: the gen pl -ів or a base form in -ів (Київ, Харків);
     * the dat -ові or -і after a stem in -ов (Молдова, військовий) */
    if (ends(w, n, "ів") || ends(w, n, "їв"))
        uk_reading(w, n, 0, out);
    else if (k == 6 && (ends(w, n, "ові") || ends(w, n, "еві")))
        uk_reading(w, n, 2, out);
}

/* ---- Russian nouns -----------------------------------------------------
 * Snowball's Russian stemmer tries verb endings before noun endings, so a
 * noun that ends like a past tense or an infinitive loses more than its
 * ending in some forms only (начало: нача, начале: начал; автомобиль:
 * автомобил, автомобили: автомоб).  The noun reading beside it: the
 * longest case or number ending of the three declensions and of the nouns
 * in -ие/-ия (Wade, A Comprehensive Russian Grammar, nouns) cut, leaving
 * three letters or more with a vowel. */
static const char *const ru_endings[] = {
    "иями", "ями", "ами", "иях", "иям", "ием", "ией", "ях", "ям", "ах", "ам", "ов", "ев", "ёв", "ей", "ой",
    "ою", "ею", "ом", "ем", "ём", "ия", "ие", "ий", "ию", "ии",
    "а", "я", "о", "е", "ё", "ь", "й", "ы", "и", "у", "ю",
};

int nd__ru_vowel(const char *p)
{
    static const char *const v[] = { "а", "е", "ё", "и", "о", "у", "ы", "э", "ю", "я" };
    size_t i;
    for (i = 0; i < ND_ARRAY_LEN(v); i++)
        if (memcmp(p, v[i], 2) == 0)
            return 1;
    return 0;
}

void nd__stem_ru_noun(const char *w, size_t n, nd__stems *out)
{
    size_t i, k = 0;
    out->n = 0;
    if (n > ND__STEMS_WORD || n % 2 || n < 8)
        return;                         /* too long, not Cyrillic, or three letters or less */
    for (i = 0; i < n; i += 2)
        if ((unsigned char)w[i] != 0xD0 && (unsigned char)w[i] != 0xD1)
            return;
    for (i = 0; i < ND_ARRAY_LEN(ru_endings); i++) {
        size_t e = strlen(ru_endings[i]);
        if (e > k && ends(w, n, ru_endings[i]) && n - e >= 6 && has_vowel(w, n - e, nd__ru_vowel))
            k = e;
    }
    put(out, w, n - k);
}

/* ---- English --------------------------------------------------------------
 * Inflection only: the plural and third person -s/-es/-ies, -ed/-ied,
 * -ing/-ying, with the spelling rules undone the same way for every form
 * (a final e dropped, y after a consonant written i, a consonant doubled
 * before -ed/-ing undoubled), so "vote", "votes", "voted", "voting" all give
 * "vot" and "study", "studies", "studied", "studying" "studi". */

/* Irregular plurals (Quirk §§ 5.80-5.100): the form, then its base. */
static const char *const en_irregular[][2] = {
    { "men", "man" }, { "women", "woman" }, { "children", "child" }, { "feet", "foot" }, { "teeth", "tooth" },
    { "mice", "mouse" }, { "geese", "goose" }, { "lives", "life" }, { "wives", "wife" }, { "knives", "knife" },
    { "halves", "half" }, { "thieves", "thief" }, { "wolves", "wolf" }, { "shelves", "shelf" },
    { "crises", "crisis" }, { "analyses", "analysis" }, { "theses", "thesis" }, { "hypotheses", "hypothesis" },
    { "diagnoses", "diagnosis" }, { "syntheses", "synthesis" }, { "emphases", "emphasis" }, { "oases", "oasis" },
    { "criteria", "criterion" }, { "phenomena", "phenomenon" },
    { "chairmen", "chairman" }, { "chairwomen", "chairwoman" }, { "spokesmen", "spokesman" },
    { "spokeswomen", "spokeswoman" }, { "gunmen", "gunman" }, { "businessmen", "businessman" },
    { "businesswomen", "businesswoman" }, { "congressmen", "congressman" }, { "congresswomen", "congresswoman" },
    { "policemen", "policeman" }, { "policewomen", "policewoman" }, { "servicemen", "serviceman" },
    { "fishermen", "fisherman" }, { "firemen", "fireman" }, { "countrymen", "countryman" },
    { "statesmen", "statesman" }, { "tribesmen", "tribesman" }, { "militiamen", "militiaman" },
    { "clergymen", "clergyman" }, { "craftsmen", "craftsman" }, { "sportsmen", "sportsman" },
};

/* Words whose final s is no plural (Snowball's English stemmer keeps
 * "news" too). */
static const char *const en_keep_s[] = {
    "news", "series", "species", "lens", "bias", "atlas", "chaos", "cosmos", "whereas", "perhaps", "always",
    "thus", "yes", "was", "has", "does", "its", "his", "hers", "ours", "yours", "theirs",
};

static int en_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int en_has_vowel(const char *w, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (en_vowel(w[i]))
            return 1;
    return 0;
}

/* The stem of the lower-case ASCII word w[0,n) into v (room for n bytes);
 * returns its length. */
static size_t en_stem(const char *w, size_t n, char *v)
{
    size_t s = n, i;
    int cut = 0;                        /* -ed or -ing was cut */
    memcpy(v, w, n);
    for (i = 0; i < ND_ARRAY_LEN(en_keep_s); i++)
        if (strlen(en_keep_s[i]) == n && memcmp(w, en_keep_s[i], n) == 0)
            return n;
    if (ends(v, s, "ies") && s >= 4) {
        return s - (s == 4 ? 1 : 2);    /* ties: tie; parties: parti */
    }
    if (ends(v, s, "ied") && s >= 4) {
        return s - (s == 4 ? 1 : 2);    /* died: die; studied: studi */
    }
    if (ends(v, s, "s") && !ends(v, s, "ss") && !ends(v, s, "us") && !ends(v, s, "is") && s >= 4)
        s--;
    else if (ends(v, s, "eed") && s >= 5)
        s--;                            /* agreed: agree */
    else if (ends(v, s, "ed") && s >= 5 && en_has_vowel(v, s - 2))
        s -= 2, cut = 1;
    else if (ends(v, s, "ing") && s >= 6 && en_has_vowel(v, s - 3))
        s -= 3, cut = 1;
    if (cut && s >= 3 && v[s - 1] == v[s - 2] && !en_vowel(v[s - 1]) && v[s - 1] != 'l' && v[s - 1] != 's' &&
        v[s - 1] != 'z')
        s--;                            /* planned, stopping */
    if (s >= 4 && v[s - 1] == 'e')
        s--;                            /* vote, votes, voting: vot */
    if (s >= 3 && v[s - 1] == 'y' && !en_vowel(v[s - 2]))
        v[s - 1] = 'i';                 /* study, studying: studi */
    return s;
}

void nd__stem_en(const char *w, size_t n, nd__stems *out)
{
    char v[ND__STEMS_WORD];
    size_t i;
    out->n = 0;
    if (n > sizeof v || n < 3)
        return;
    for (i = 0; i < n; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return;                     /* not a plain English word: no stem */
    for (i = 0; i < ND_ARRAY_LEN(en_irregular); i++)
        if (strlen(en_irregular[i][0]) == n && memcmp(w, en_irregular[i][0], n) == 0) {
            w = en_irregular[i][1];
            n = strlen(w);
            break;
        }
    put(out, v, en_stem(w, n, v));
}
