/*
 * lang.c — nd_lang_detect and nd_lang_scores (see include/nd_dates.h).
 *
 * One pass over the text: letters are counted by script (Latin, Cyrillic,
 * Arabic, other), letters that only some Latin-script languages use are
 * counted as evidence for them, and every Latin word is looked up (lower
 * case, in a small stack buffer) in a sorted table of common function
 * words.  No allocation, no global state.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "nd_dates.h"

enum { L_TR = 1, L_EN = 2, L_DE = 4, L_FR = 8, L_ES = 16 };
enum { I_TR, I_EN, I_DE, I_FR, I_ES, I_RU, I_AR, I_COUNT };

static const char *const lang_names[I_COUNT] = { "tr", "en", "de", "fr", "es", "ru", "ar" };

typedef struct stopword {
    const char *word;    /* lower case UTF-8 */
    int langs;           /* L_* mask */
} stopword;

/* Common function words, sorted by bytes (strcmp order) for bsearch.  A
 * word shared by languages counts for each of them, but less. */
static const stopword stopwords[] = {
    { "a", L_FR | L_ES },
    { "aber", L_DE },
    { "about", L_EN },
    { "after", L_EN },
    { "al", L_ES },
    { "also", L_EN },
    { "am", L_DE },
    { "ama", L_TR },
    { "an", L_EN },
    { "ancak", L_TR },
    { "and", L_EN },
    { "arasında", L_TR },
    { "are", L_EN },
    { "as", L_EN },
    { "at", L_EN },
    { "au", L_FR },
    { "auch", L_DE },
    { "auf", L_DE },
    { "aus", L_DE },
    { "aux", L_FR },
    { "avec", L_FR },
    { "ayrıca", L_TR },
    { "açıkladı", L_TR },
    { "açıklama", L_TR },
    { "be", L_EN },
    { "been", L_EN },
    { "bei", L_DE },
    { "belirtti", L_TR },
    { "bir", L_TR },
    { "bu", L_TR },
    { "bunu", L_TR },
    { "bunun", L_TR },
    { "but", L_EN },
    { "by", L_EN },
    { "bütün", L_TR },
    { "can", L_EN },
    { "ce", L_FR },
    { "cette", L_FR },
    { "como", L_ES },
    { "con", L_ES },
    { "cuando", L_ES },
    { "d", L_FR },
    { "da", L_TR },
    { "daha", L_TR },
    { "dans", L_FR },
    { "das", L_DE },
    { "dass", L_DE },
    { "de", L_TR | L_FR | L_ES },
    { "dedi", L_TR },
    { "del", L_ES },
    { "dem", L_DE },
    { "den", L_DE },
    { "der", L_DE },
    { "des", L_DE | L_FR },
    { "desde", L_ES },
    { "değerlendirdi", L_TR },
    { "değil", L_TR },
    { "die", L_DE },
    { "dijo", L_ES },
    { "diye", L_TR },
    { "du", L_FR },
    { "ein", L_DE },
    { "eine", L_DE },
    { "einem", L_DE },
    { "einer", L_DE },
    { "eines", L_DE },
    { "el", L_ES },
    { "elle", L_FR },
    { "en", L_TR | L_FR | L_ES },
    { "entre", L_ES },
    { "er", L_DE },
    { "es", L_DE | L_ES },
    { "est", L_FR },
    { "esta", L_ES },
    { "este", L_ES },
    { "et", L_FR },
    { "etti", L_TR },
    { "for", L_EN },
    { "from", L_EN },
    { "fue", L_ES },
    { "für", L_DE },
    { "gegen", L_DE },
    { "gibi", L_TR },
    { "göre", L_TR },
    { "ha", L_ES },
    { "had", L_EN },
    { "han", L_ES },
    { "has", L_EN },
    { "hasta", L_ES },
    { "hat", L_DE },
    { "have", L_EN },
    { "he", L_EN },
    { "hem", L_TR },
    { "her", L_TR | L_EN },
    { "his", L_EN },
    { "ich", L_DE },
    { "ifade", L_TR },
    { "ihre", L_DE },
    { "iki", L_TR },
    { "il", L_FR },
    { "ile", L_TR },
    { "ilk", L_TR },
    { "im", L_DE },
    { "in", L_EN },
    { "is", L_EN },
    { "ise", L_TR },
    { "ist", L_DE },
    { "it", L_EN },
    { "its", L_EN },
    { "için", L_TR },
    { "kadar", L_TR },
    { "karşı", L_TR },
    { "ki", L_TR },
    { "l", L_FR },
    { "la", L_FR | L_ES },
    { "las", L_ES },
    { "le", L_FR },
    { "les", L_FR },
    { "leur", L_FR },
    { "lo", L_ES },
    { "los", L_ES },
    { "mais", L_FR },
    { "mi", L_TR },
    { "mit", L_DE },
    { "more", L_EN },
    { "muy", L_ES },
    { "más", L_ES },
    { "nach", L_DE },
    { "ne", L_TR | L_FR },
    { "new", L_EN },
    { "nicht", L_DE },
    { "no", L_ES },
    { "noch", L_DE },
    { "not", L_EN },
    { "nur", L_DE },
    { "oder", L_DE },
    { "of", L_EN },
    { "olan", L_TR },
    { "olarak", L_TR },
    { "oldu", L_TR },
    { "olduğu", L_TR },
    { "olduğunu", L_TR },
    { "on", L_EN },
    { "ont", L_FR },
    { "or", L_EN },
    { "ou", L_FR },
    { "par", L_FR },
    { "para", L_ES },
    { "pas", L_FR },
    { "pero", L_ES },
    { "plus", L_FR },
    { "por", L_ES },
    { "porque", L_ES },
    { "pour", L_FR },
    { "qu", L_FR },
    { "que", L_FR | L_ES },
    { "qui", L_FR },
    { "sa", L_FR },
    { "sagte", L_DE },
    { "said", L_EN },
    { "schon", L_DE },
    { "se", L_FR | L_ES },
    { "seine", L_DE },
    { "ses", L_FR },
    { "she", L_EN },
    { "sich", L_DE },
    { "sie", L_DE },
    { "sind", L_DE },
    { "sobre", L_ES },
    { "son", L_FR },
    { "sonra", L_TR },
    { "sont", L_FR },
    { "su", L_ES },
    { "sur", L_FR },
    { "sus", L_ES },
    { "también", L_ES },
    { "tarafından", L_TR },
    { "than", L_EN },
    { "that", L_EN },
    { "the", L_EN },
    { "their", L_EN },
    { "there", L_EN },
    { "they", L_EN },
    { "this", L_EN },
    { "to", L_EN },
    { "un", L_FR | L_ES },
    { "una", L_ES },
    { "und", L_DE },
    { "une", L_FR },
    { "ve", L_TR },
    { "veya", L_TR },
    { "von", L_DE },
    { "vor", L_DE },
    { "was", L_EN },
    { "we", L_EN },
    { "werden", L_DE },
    { "were", L_EN },
    { "which", L_EN },
    { "who", L_EN },
    { "wie", L_DE },
    { "will", L_EN },
    { "wir", L_DE },
    { "wird", L_DE },
    { "with", L_EN },
    { "would", L_EN },
    { "wurde", L_DE },
    { "y", L_ES },
    { "ya", L_TR | L_ES },
    { "yaptı", L_TR },
    { "yeni", L_TR },
    { "yılında", L_TR },
    { "zu", L_DE },
    { "zum", L_DE },
    { "zur", L_DE },
    { "çok", L_TR },
    { "été", L_FR },
    { "önce", L_TR },
    { "über", L_DE },
    { "üzere", L_TR },
    { "şekilde", L_TR },
    { "şimdi", L_TR },
    { "şu", L_TR },
    { "şöyle", L_TR },
};

/* Evidence gathered in one pass. */
typedef struct counts {
    size_t latin, cyrillic, arabic, other;   /* letters by script */
    int score[I_COUNT];                      /* Latin-script evidence, weighted */
} counts;

static int cmp_stop(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const stopword *)elem)->word);
}

/* Word endings that only Turkish morphology produces (present tense,
 * plural possessive, locative adjective, ablative, verbal noun). */
#define E(s) { s, sizeof s - 1 }
static const struct ending {
    const char *s;
    size_t len;
} tr_endings[] = {
    E("iyor"), E("ıyor"), E("uyor"), E("üyor"), E("leri"), E("ları"), E("daki"), E("deki"),
    E("taki"), E("teki"), E("ndan"), E("nden"), E("ması"), E("mesi"), E("dığı"), E("diği"),
    E("duğu"), E("düğü"),
};
#undef E

/* Longest function word in the table, in bytes. */
#define MAX_STOPWORD 16

/* Count a finished Latin word (lower case, NUL-terminated, wlen bytes). */
static void add_word(counts *c, const char *w, size_t wlen)
{
    const stopword *sw = wlen > MAX_STOPWORD ? NULL :
        bsearch(w, stopwords, ND_ARRAY_LEN(stopwords), sizeof stopwords[0], cmp_stop);
    int k, n = 0, pts;
    if (!sw) {
        size_t e;
        for (e = 0; e < ND_ARRAY_LEN(tr_endings); e++) {
            size_t el = tr_endings[e].len;
            if (w[wlen - 1] == tr_endings[e].s[el - 1] && wlen >= el + 2 &&
                memcmp(w + wlen - el, tr_endings[e].s, el) == 0) {
                c->score[I_TR] += 2;
                break;
            }
        }
        return;
    }
    for (k = 0; k < 5; k++)
        n += (sw->langs >> k) & 1;
    pts = n == 1 ? 4 : 2;
    for (k = 0; k < 5; k++)
        if (sw->langs & (1 << k))
            c->score[k] += pts;
}

/* Latin letters that point to some languages: weights per language. */
static void add_letter(counts *c, uint32_t cp)
{
    switch (cp) {
    case 0x11E: case 0x11F: case 0x15E: case 0x15F: case 0x130: case 0x131:   /* Ğ ğ Ş ş İ ı */
        c->score[I_TR] += 2;
        break;
    case 0xC4: case 0xE4: case 0xDF:                                         /* Ä ä ß */
        c->score[I_DE] += 2;
        break;
    case 0xD6: case 0xF6: case 0xDC: case 0xFC:                              /* Ö ö Ü ü */
        c->score[I_TR] += 1;
        c->score[I_DE] += 1;
        break;
    case 0xC7: case 0xE7:                                                    /* Ç ç */
        c->score[I_TR] += 1;
        c->score[I_FR] += 1;
        break;
    case 0xC8: case 0xE8: case 0xCA: case 0xEA: case 0xC0: case 0xE0:        /* È è Ê ê À à */
    case 0xD9: case 0xF9: case 0xCB: case 0xEB: case 0x152: case 0x153:      /* Ù ù Ë ë Œ œ */
        c->score[I_FR] += 2;
        break;
    case 0xC9: case 0xE9:                                                    /* É é */
        c->score[I_FR] += 1;
        break;
    case 0xD1: case 0xF1: case 0xBF: case 0xA1:                              /* Ñ ñ ¿ ¡ */
        c->score[I_ES] += 4;
        break;
    case 0xC1: case 0xE1: case 0xCD: case 0xED: case 0xD3: case 0xF3:        /* Á á Í í Ó ó */
    case 0xDA: case 0xFA:                                                    /* Ú ú */
        c->score[I_ES] += 1;
        break;
    default:
        break;
    }
}

/* Lower case of a Latin letter for the word key. */
static uint32_t lower_latin(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
        return cp + 32;
    if (cp == 0x130)                     /* İ */
        return 'i';
    if (cp == 0x11E || cp == 0x15E || cp == 0x152)   /* Ğ Ş Œ */
        return cp + 1;
    return cp;
}

static int decide(const counts *c);

/* 1 when the evidence so far is overwhelming: a few hundred letters, all
 * but a few in one script, or a Latin-script leader three times ahead. */
static int settled(const counts *c)
{
    size_t letters = c->latin + c->cyrillic + c->arabic + c->other;
    int k, best = 0, second = 0;
    if (letters < 200)
        return 0;
    if (c->cyrillic * 20 > letters * 19 || c->arabic * 20 > letters * 19)
        return 1;
    for (k = 0; k < 5; k++) {
        if (c->score[k] > best) {
            second = best;
            best = c->score[k];
        } else if (c->score[k] > second) {
            second = c->score[k];
        }
    }
    return best >= 60 && best >= 3 * second && decide(c) != I_COUNT;
}

/* Gather the evidence of s.  With `early`, stop once it is settled. */
static void count(const char *s, size_t len, counts *c, int early)
{
    const unsigned char *u = (const unsigned char *)s;
    char word[32];
    size_t wlen = 0, i = 0, check = 512;
    int wbad = 0;
    memset(c, 0, sizeof *c);
    while (i <= len) {
        uint32_t cp;
        size_t n = 1;
        int latin = 0;
        if (i == len) {
            cp = ' ';
        } else if (u[i] < 0x80) {
            cp = u[i];
        } else if (u[i] >= 0xC2 && u[i] <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
            cp = ((uint32_t)(u[i] & 0x1F) << 6) | (u[i + 1] & 0x3F);
            n = 2;
        } else if (u[i] >= 0xE0 && u[i] <= 0xEF && i + 2 < len && (u[i + 1] & 0xC0) == 0x80 &&
                   (u[i + 2] & 0xC0) == 0x80) {
            cp = ((uint32_t)(u[i] & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) |
                 (u[i + 2] & 0x3F);
            n = 3;
        } else {
            cp = 0xFFFD;                 /* invalid or 4-byte: not a letter of ours */
            if (u[i] >= 0xF0 && u[i] <= 0xF4 && i + 3 < len && (u[i + 1] & 0xC0) == 0x80 &&
                (u[i + 2] & 0xC0) == 0x80 && (u[i + 3] & 0xC0) == 0x80)
                n = 4;
        }
        if (cp < 0x80) {
            latin = ((cp | 32) >= 'a' && (cp | 32) <= 'z');
        } else if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7)) {
            latin = 1;
            add_letter(c, cp);
        } else if (cp == 0xBF || cp == 0xA1) {
            add_letter(c, cp);
        } else if (cp >= 0x400 && cp <= 0x52F) {
            c->cyrillic++;
        } else if ((cp >= 0x600 && cp <= 0x6FF) || (cp >= 0x750 && cp <= 0x77F) ||
                   (cp >= 0xFB50 && cp <= 0xFEFF)) {
            c->arabic++;
        } else if ((cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x530 && cp <= 0x5FF) ||
                   (cp >= 0x900 && cp <= 0x1FFF) || (cp >= 0x3040 && cp <= 0x9FFF) ||
                   (cp >= 0xAC00 && cp <= 0xD7AF) || n == 4) {
            c->other++;
        }
        if (latin) {
            uint32_t lc = lower_latin(cp);
            c->latin++;
            if (wlen + 3 >= sizeof word) {
                wbad = 1;
            } else if (lc < 0x80) {
                word[wlen++] = (char)lc;
            } else {
                word[wlen++] = (char)(0xC0 | (lc >> 6));
                word[wlen++] = (char)(0x80 | (lc & 0x3F));
            }
        } else if (wlen) {
            word[wlen] = '\0';
            /* French elisions (l', d', qu') count only before an apostrophe */
            if (!wbad && (wlen > 2 || (strcmp(word, "l") && strcmp(word, "d") &&
                                       strcmp(word, "qu")) || cp == '\'' || cp == 0x2019))
                add_word(c, word, wlen);
            wlen = 0;
            wbad = 0;
            if (early && i >= check) {
                if (settled(c))
                    return;
                check = i + 512;
            }
        }
        i += n;
    }
}

/* The winner, or I_COUNT when unsure. */
static int decide(const counts *c)
{
    size_t letters = c->latin + c->cyrillic + c->arabic + c->other;
    int k, best = 0, second = 0, bi = I_COUNT;
    if (c->cyrillic * 2 > letters)
        return c->cyrillic >= 10 ? I_RU : I_COUNT;
    if (c->arabic * 2 > letters)
        return c->arabic >= 10 ? I_AR : I_COUNT;
    if (c->latin * 2 <= letters || c->latin < 12)
        return I_COUNT;
    for (k = 0; k < 5; k++) {
        if (c->score[k] > best) {
            second = best;
            best = c->score[k];
            bi = k;
        } else if (c->score[k] > second) {
            second = c->score[k];
        }
    }
    if (best < 6 || best * 2 < second * 3)
        return I_COUNT;
    return bi;
}

const char *nd_lang_detect(const char *s, size_t len)
{
    counts c;
    int k;
    if (!s || !len)
        return "und";
    count(s, len, &c, 1);
    k = decide(&c);
    return k == I_COUNT ? "und" : lang_names[k];
}

size_t nd_lang_scores(const char *s, size_t len, nd_lang_score *out, size_t n)
{
    counts c;
    nd_lang_score all[I_COUNT];
    size_t k, j;
    memset(&c, 0, sizeof c);
    if (s && len)
        count(s, len, &c, 0);
    c.score[I_RU] = (int)(c.cyrillic > 1000000 ? 1000000 : c.cyrillic);
    c.score[I_AR] = (int)(c.arabic > 1000000 ? 1000000 : c.arabic);
    for (k = 0; k < I_COUNT; k++) {
        nd_lang_score e = { lang_names[k], c.score[k] };
        for (j = k; j > 0 && all[j - 1].score < e.score; j--)
            all[j] = all[j - 1];
        all[j] = e;
    }
    if (!out)
        return I_COUNT;
    for (k = 0; k < n && k < I_COUNT; k++)
        out[k] = all[k];
    return k;
}
