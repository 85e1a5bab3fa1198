/*
 * corpus.h — a deterministic, news-like benchmark corpus, shared by the
 * benchmarks (#include "corpus.h"; link with libnewsdesk).
 *
 *   size_t nd_bench_corpus(nd_buf *out, size_t bytes, uint64_t seed);
 *       Replaces out with about `bytes` bytes of articles (at least that
 *       many, ending at an article end) and returns the number of articles.
 *       Articles are "title\n\nparagraph\n\nparagraph..." separated by
 *       "\n\n\n".  Same seed, same bytes.
 *   size_t nd_bench_article(nd_buf *out, uint64_t *state, size_t *title_len);
 *       Appends one article; returns its length and sets *title_len.
 *
 * The text: mostly Turkish (about 70%), some English, German and Russian;
 * proper names with apostrophe suffixes written with straight, curly and
 * modifier apostrophes; numbers such as 3.008, 1,5, 23:58; curly quotes,
 * dashes and ellipses; about 5% of paragraphs decomposed (NFD) and 3% of
 * titles in upper case.  Word lists are our own.
 */
#ifndef ND_BENCH_CORPUS_H
#define ND_BENCH_CORPUS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "newsdesk.h"

static const char *const nd_bench_tr_words[] = {
    "ve", "bir", "bu", "ile", "için", "da", "de", "olarak", "daha", "çok", "en", "gibi", "sonra", "kadar",
    "yıl", "gün", "hafta", "ay", "bugün", "dün", "yarın", "açıklama", "yaptı", "açıkladı", "belirtti", "dedi",
    "ifade", "etti", "söyledi", "toplantı", "görüşme", "bakan", "bakanlığı", "başkan", "cumhurbaşkanı",
    "hükümet", "meclis", "seçim", "ekonomi", "enflasyon", "faiz", "merkez", "bankası", "piyasa", "dolar",
    "avro", "borsa", "yüzde", "milyon", "milyar", "lira", "ihracat", "ithalat", "büyüme", "işsizlik",
    "deprem", "yangın", "sel", "kar", "yağış", "hava", "sıcaklık", "derece", "vatandaş", "halk", "ülke",
    "şehir", "il", "ilçe", "mahalle", "sokak", "okul", "öğrenci", "öğretmen", "üniversite", "sağlık",
    "hastane", "doktor", "tedavi", "aşı", "güvenlik", "polis", "asker", "ordu", "savaş", "barış", "anlaşma",
    "ateşkes", "saldırı", "çatışma", "göç", "mülteci", "sınır", "kapı", "yol", "köprü", "tünel", "proje",
    "yatırım", "şirket", "çalışan", "işçi", "maaş", "zam", "emekli", "vergi", "bütçe", "kamu", "özel",
    "sektör", "teknoloji", "yapay", "zekâ", "internet", "sosyal", "medya", "paylaşım", "haber", "gazete",
    "muhabir", "kaynak", "iddia", "soruşturma", "mahkeme", "karar", "dava", "tutuklama", "gözaltı",
    "şüpheli", "ağır", "önemli", "yeni", "büyük", "küçük", "güçlü", "zayıf", "yüksek", "düşük", "ilk", "son",
    "geçen", "gelecek", "bölge", "uluslararası", "ortak", "dışişleri", "savunma", "iç", "işleri", "çağrı",
    "talep", "destek", "yardım", "kınadı", "uyardı", "görüştü", "bir", "araya", "geldi", "gerçekleştirdi",
    "düzenlenen", "törende", "konuşan", "göre", "rağmen", "ancak", "fakat", "çünkü", "ayrıca", "özellikle",
    "ağaç", "çiçek", "güneş", "ılık", "ışık", "şoför", "öğle", "ücret", "ürün", "üretim", "çiftçi", "buğday",
};

static const char *const nd_bench_tr_names[] = {
    "Türkiye", "Ankara", "İstanbul", "İzmir", "Diyarbakır", "Iğdır", "Şanlıurfa", "Çanakkale", "Muğla",
    "Eskişehir", "Kore", "Güney Kore", "Kuzey Kore", "Rusya", "Ukrayna", "Moskova", "Kiev", "Seul",
    "Washington", "Brüksel", "Berlin", "Paris", "Irak", "İran", "Suriye", "Gazze", "İsrail", "Mısır",
    "Avrupa Birliği", "BM", "NATO", "AB", "TBMM", "Kim Jong Un", "Cho Tae-yul", "Kim Yong-hyun", "Borrell",
    "Ayşe Yılmaz", "Mehmet Öztürk", "Gülşen Çelik", "İbrahim Şahin", "Ömer Güneş", "Zelenski", "Putin",
};

static const char *const nd_bench_tr_suffixes[] = {
    "nin", "nın", "nun", "nün", "da", "de", "ta", "te", "ya", "ye", "a", "e", "dan", "den", "tan", "ten",
    "un", "ün", "ın", "in", "ı", "i", "u", "ü", "yı", "yi", "la", "le", "lı", "li",
};

static const char *const nd_bench_en_words[] = {
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "said", "was", "as", "by", "at",
    "government", "minister", "president", "election", "economy", "inflation", "rate", "bank", "market",
    "percent", "million", "billion", "people", "country", "city", "police", "army", "war", "peace", "talks",
    "agreement", "attack", "border", "refugees", "company", "workers", "tax", "budget", "court", "decision",
    "report", "officials", "statement", "meeting", "week", "year", "today", "yesterday", "new", "first",
    "last", "major", "strong", "weak", "high", "low", "international", "joint", "foreign", "defence",
    "don't", "it's", "weather", "earthquake", "flood", "school", "hospital", "health", "vaccine",
};

static const char *const nd_bench_de_words[] = {
    "der", "die", "das", "und", "in", "zu", "den", "mit", "von", "für", "auf", "ist", "nicht", "sich", "dem",
    "Regierung", "Minister", "Präsident", "Wahl", "Wirtschaft", "Inflation", "Zinsen", "Bank", "Markt",
    "Prozent", "Millionen", "Milliarden", "Menschen", "Land", "Stadt", "Polizei", "Straße", "Krieg",
    "Frieden", "Gespräche", "Abkommen", "Angriff", "Grenze", "Flüchtlinge", "Unternehmen", "Arbeiter",
    "Steuer", "Haushalt", "Gericht", "Entscheidung", "Bericht", "Behörden", "Erklärung", "Treffen", "Woche",
    "Jahr", "heute", "gestern", "neue", "größte", "schwäche", "über", "für", "müssen", "außerdem", "Bürger",
};

static const char *const nd_bench_ru_words[] = {
    "и", "в", "не", "на", "что", "с", "по", "это", "как", "из", "правительство", "министр", "президент",
    "выборы", "экономика", "инфляция", "ставка", "банк", "рынок", "процентов", "миллионов", "миллиардов",
    "люди", "страна", "город", "полиция", "армия", "война", "мир", "переговоры", "соглашение", "атака",
    "граница", "беженцы", "компания", "рабочие", "налог", "бюджет", "суд", "решение", "доклад", "заявление",
    "встреча", "неделя", "год", "сегодня", "вчера", "новый", "первый", "ещё", "всё", "объём", "её", "Москва",
    "Россия", "Украина", "Киев", "Турция", "Анкара",
};

#define ND_BENCH_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t nd_bench_rand(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static unsigned nd_bench_pick(uint64_t *s, unsigned n)
{
    return (unsigned)(nd_bench_rand(s) % n);
}

static void nd_bench_puts(nd_buf *b, const char *s)
{
    nd_buf_append(b, s, strlen(s));
}

/* A number in one of the shapes news text uses. */
static void nd_bench_number(nd_buf *b, uint64_t *s)
{
    char tmp[48];
    unsigned a = nd_bench_pick(s, 1000), c = nd_bench_pick(s, 1000);
    switch (nd_bench_pick(s, 6)) {
    case 0: snprintf(tmp, sizeof tmp, "%u.%03u", a + 1, c); break;
    case 1: snprintf(tmp, sizeof tmp, "%u,%u", a % 100, c % 10); break;
    case 2: snprintf(tmp, sizeof tmp, "%02u:%02u", a % 24, c % 60); break;
    case 3: snprintf(tmp, sizeof tmp, "%%%u", a % 100); break;
    case 4: snprintf(tmp, sizeof tmp, "%02u.%02u.20%02u", a % 28 + 1, c % 12 + 1, a % 25); break;
    default: snprintf(tmp, sizeof tmp, "%u", 1990 + a % 36); break;
    }
    nd_bench_puts(b, tmp);
}

static void nd_bench_apostrophe(nd_buf *b, uint64_t *s)
{
    unsigned k = nd_bench_pick(s, 20);
    nd_bench_puts(b, k < 12 ? "'" : k < 19 ? "\xE2\x80\x99" : "\xCA\xBC");
}

/* One sentence in language lang (0 tr, 1 en, 2 de, 3 ru). */
static void nd_bench_sentence(nd_buf *b, int lang, uint64_t *s)
{
    unsigned n = 6 + nd_bench_pick(s, 15), i;
    for (i = 0; i < n; i++) {
        unsigned r = nd_bench_pick(s, 100);
        const char *w;
        if (i)
            nd_bench_puts(b, r < 4 && i + 2 < n ? ", " : " ");
        if (r >= 90 && r < 96) {
            nd_bench_number(b, s);
            if (lang == 0 && r < 93) {
                nd_bench_apostrophe(b, s);
                nd_bench_puts(b, nd_bench_tr_suffixes[nd_bench_pick(s, ND_BENCH_COUNT(nd_bench_tr_suffixes))]);
            }
            continue;
        }
        if (r >= 96) {
            static const char *const punct[] = { "\xE2\x80\x9C", "\xE2\x80\x94", "\xE2\x80\x93", "(", "\xC2\xAB" };
            nd_bench_puts(b, punct[nd_bench_pick(s, ND_BENCH_COUNT(punct))]);
        }
        switch (lang) {
        case 0:
            if (r < 12) {
                nd_bench_puts(b, nd_bench_tr_names[nd_bench_pick(s, ND_BENCH_COUNT(nd_bench_tr_names))]);
                if (r < 8) {
                    nd_bench_apostrophe(b, s);
                    w = nd_bench_tr_suffixes[nd_bench_pick(s, ND_BENCH_COUNT(nd_bench_tr_suffixes))];
                    nd_bench_puts(b, w);
                }
                continue;
            }
            w = nd_bench_tr_words[nd_bench_pick(s, ND_BENCH_COUNT(nd_bench_tr_words))];
            break;
        case 1: w = nd_bench_en_words[nd_bench_pick(s, ND_BENCH_COUNT(nd_bench_en_words))]; break;
        case 2: w = nd_bench_de_words[nd_bench_pick(s, ND_BENCH_COUNT(nd_bench_de_words))]; break;
        default: w = nd_bench_ru_words[nd_bench_pick(s, ND_BENCH_COUNT(nd_bench_ru_words))]; break;
        }
        if (i == 0 && (unsigned char)w[0] >= 'a' && (unsigned char)w[0] <= 'z') {
            char first = (char)(w[0] - 32);
            nd_buf_append(b, &first, 1);
            nd_bench_puts(b, w + 1);
        } else
            nd_bench_puts(b, w);
        if (r >= 96)
            nd_bench_puts(b, r == 96 ? "\xE2\x80\x9D" : r == 99 ? ")" : "");
    }
    nd_bench_puts(b, nd_bench_pick(s, 30) == 0 ? "\xE2\x80\xA6" : nd_bench_pick(s, 12) == 0 ? "?" : ".");
}

static inline size_t nd_bench_article(nd_buf *out, uint64_t *s, size_t *title_len)
{
    size_t start = out->len, t0;
    unsigned r = nd_bench_pick(s, 100), paras = 3 + nd_bench_pick(s, 7), p;
    int lang = r < 70 ? 0 : r < 82 ? 1 : r < 92 ? 2 : 3;
    nd_buf tmp = ND_BUF_INIT, conv = ND_BUF_INIT;
    /* title */
    nd_bench_sentence(&tmp, lang, s);
    tmp.len--;   /* no full stop */
    if (nd_bench_pick(s, 33) == 0 && nd_text_upper(&conv, tmp.ptr, tmp.len, lang == 0 ? "tr" : NULL) == ND_OK)
        nd_buf_append(out, conv.ptr, conv.len);
    else
        nd_buf_append(out, tmp.ptr, tmp.len);
    t0 = out->len - start;
    nd_bench_puts(out, "\n\n");
    for (p = 0; p < paras; p++) {
        unsigned k, n = 2 + nd_bench_pick(s, 5);
        tmp.len = 0;
        if (p == 1) {
            nd_bench_number(&tmp, s);
            nd_bench_puts(&tmp, lang == 0 ? ", Pzt - " : ", ");
            nd_bench_number(&tmp, s);
            nd_bench_puts(&tmp, "\n\n");
        }
        for (k = 0; k < n; k++) {
            if (k)
                nd_bench_puts(&tmp, " ");
            nd_bench_sentence(&tmp, lang, s);
        }
        if (nd_bench_pick(s, 20) == 0 && nd_text_normalize(&conv, tmp.ptr, tmp.len, ND_NFD) == ND_OK)
            nd_buf_append(out, conv.ptr, conv.len);
        else
            nd_buf_append(out, tmp.ptr, tmp.len);
        nd_bench_puts(out, p + 1 < paras ? "\n\n" : "\n");
    }
    nd_buf_free(&tmp);
    nd_buf_free(&conv);
    if (title_len)
        *title_len = t0;
    return out->len - start;
}

static inline size_t nd_bench_corpus(nd_buf *out, size_t bytes, uint64_t seed)
{
    uint64_t s = seed;
    size_t n = 0;
    out->len = 0;
    nd_buf_reserve(out, bytes + 65536);
    while (out->len < bytes) {
        if (n)
            nd_bench_puts(out, "\n\n");
        nd_bench_article(out, &s, NULL);
        n++;
    }
    return n;
}

#endif /* ND_BENCH_CORPUS_H */
