/*
 * nd_dates.h — finding publication dates in scraped news text, and telling
 * which language a text is in.
 *
 * Dates.  nd_date_parse finds the first date (with an optional time and UTC
 * offset) in a piece of text and reports it as numbers plus the byte range
 * where it was found.  Understood forms:
 *   - numeric: 04.11.2024, 1.2.2015, 2024-11-04, 2024/11/04, 4/11/2024,
 *     04-11-2024, and with one space around each dot "11. 12. 2014",
 *     "26. 10.21"; D.M.Y with dots is always day-first; with '/' or '-' the
 *     order follows opts->day_first, or the language (en and en-US:
 *     month-first; every other language, English region, or none:
 *     day-first), except that a date valid in one order only ("06-17-2014")
 *     is read in that order.  Two-digit years (04.11.24 → 2024, 70..99 →
 *     19xx) only with '.' or '/', a valid day and month, and no further ".N"
 *     around them — otherwise the text is not taken for a date at all;
 *   - ISO 8601 with 'T', fractions of a second, 'Z' or ±HH:MM / ±HHMM;
 *   - RFC 2822 as in RSS pubDate: "Mon, 04 Nov 2024 23:58:00 +0300" (also
 *     GMT, UTC, and a few zone names: TSİ, MSK, CET, CEST, EST, PST, ...),
 *     and the C asctime layout "Wed Aug 05 12:00:00 2015";
 *   - month names and abbreviations of tr, en, de, ru, uk, bg, fr, es, it,
 *     pt, nl and az (CLDR's wide and abbreviated names, format and
 *     stand-alone, so genitive and nominative, plus the first three letters
 *     of every name: "fév", "aoû"), any case, with or without diacritics,
 *     in either order, with ordinals and two-digit years: "Kasım 18, 2024",
 *     "18 KASIM 2024 Pazartesi", "November 18th, 2024", "25th March 2015",
 *     "1er février 2015", "18. Nov. 2024", "18 ноября 2024 г.",
 *     "2 Декабрь 95", "18 de noviembre de 2024", "2015-кві-12".  A month
 *     word counts only next to a day or year number;
 *   - weekday names and abbreviations before or after the date, and a time
 *     after the date ("04.11.2024, Pts - 23:58", "18 Kasım 2024 saat 10:30",
 *     "Nov 4, 2024 at 11:48 PM", "am 4.11.2024 um 23:58 Uhr") or before it
 *     ("23:58 - 04.11.2024").  12-hour markers are never ignored: am, pm,
 *     a.m., p.m., Turkish ÖÖ / ÖS after or before ("3:25:50 ös" and
 *     "ÖS 3:25:50" are 15:25:50), Ukrainian
 *     дп / пп.  H.MM is a time with a marker after it ("18.37 Uhr",
 *     "12.16 pm") or as HH.MM right after a date ("29.02.2020 13.12"); after
 *     a date also 14h40; after a word such as "saat", "um", "à", "at" also
 *     "saat 15.25", "à 14h", "um 18 Uhr", "at noon", "at midnight";
 *   - stray characters glued to a date ("xKasım 18, 2024", "...2024x").
 * A month-name date without a year takes its year from opts->ref: the latest
 * year that puts it no more than 60 days after ref (news dates lie before the
 * day a page was saved, or shortly after it); a ref with month 0 gives its
 * own year.  With no ref, or with a bare abbreviation of under four letters
 * that is no whole month name in any language ("Ara 5"), it is not taken for
 * a date; whole names ("May 5", "5. Mai", "5 мая") are.  Word matching folds
 * case and diacritics locally (I, İ, ı and i are one letter), independent of
 * the text layer.
 *
 * Update lines.  When the line holding the date says it is an update time
 * ("Son Güncellenme:", "Güncelleme:", "Güncellenme tarihi", "Updated",
 * "Last updated", "Aktualisiert", "Обновлено", ...) is_update is 1.  Such a
 * line may give a time only ("Son Güncellenme:11:48:08"): that is reported
 * as ND_OK with is_update = 1, year = month = day = 0 and the time filled in,
 * so a caller can recognize (and drop) the line.  A time alone on a line
 * without an update marker is not a date and is skipped.
 *
 * Impossible dates (31.02.2024, 29.02.2023, month 13, years outside
 * 1900..2100) give ND_ERANGE with start/stop set; they are never wrapped into
 * a neighbouring valid date.  A time that cannot be read (24:00, 23:60,
 * 13:00 PM) never changes a date: it is left out, and the date is returned
 * without a time and with stop at the date's end.  Only a time-only update
 * line with such a time gives ND_ERANGE.
 *
 * Language.  nd_lang_detect names 14 languages: tr en de ru uk bg fr es it
 * pt nl az ar fa.  It scores the character n-grams (n = 1..3) of the text
 * with a naive-Bayes model of 39 languages written in Latin, Cyrillic or
 * Arabic script, built at compile time from public profiles
 * (core/langgen/README.md); the script that holds most letters picks the
 * competitors.  It answers "und" when the best of them is a language it
 * does not name (Catalan, Polish, Macedonian, ...), when the best leads the
 * runner-up by less than a margin, when the text has fewer than 10 letters,
 * or when a Cyrillic text has letters Russian, Ukrainian and Bulgarian do
 * not write (Belarusian ў, Serbian ђ ћ, Kazakh ә ...).  Accuracy on public
 * test data: `make lang-eval` and the README.  One pass that stops once
 * one language leads by far, no allocation, thread-safe.
 */
#ifndef ND_DATES_H
#define ND_DATES_H

#include "nd_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nd_date {
    int year, month, day;            /* month 1-12, day 1-31; all 0 for a time-only update line */
    int hour, minute, second;        /* -1 when the text gave no time; second is also -1
                                        when the text gave hours and minutes only */
    int has_offset, offset_min;      /* UTC offset when known (minutes east of UTC) */
    int is_update;                   /* the text marks it as an update time ("Son Güncellenme", "Güncelleme", "Updated") */
    size_t start, stop;              /* [start, stop) of the date in the input */
} nd_date;

typedef struct nd_date_opts {
    const char *lang;                /* "tr", "en", "de", "ru" or NULL = any */
    int day_first;                   /* 1 day-first, 0 month-first, -1 by lang (tr/de/ru day-first, en month-first) */
    const nd_date *ref;              /* reference date for year-less forms, or NULL;
                                        month 0 = a year only */
} nd_date_opts;

/* Find and parse the first date (with optional time) in s.  ND_OK and *out filled; ND_ENOTFOUND when
 * there is none; ND_ERANGE for an impossible date such as 31.02.2024 (never wrapped). opts may be NULL.
 * ND_EINVAL when s is NULL with len > 0 or out is NULL.  s may hold any bytes, including NUL and
 * invalid UTF-8.  On anything but ND_OK and ND_ERANGE, *out is zeroed with times at -1. */
ND_API int nd_date_parse(const char *s, size_t len, const nd_date_opts *opts, nd_date *out);

/* ISO 8601: "2024-11-04", "2024-11-04T23:58", "2024-11-04T23:58:00+03:00" (offset 0 is "Z").  Replaces out.
 * A time-only update (year 0) is formatted as the time alone, "11:48:08".  ND_ERANGE when a field is
 * out of range, ND_ENOMEM when the buffer cannot grow. */
ND_API int nd_date_format(const nd_date *d, nd_buf *out);

/* Language of a text: "tr", "en", "de", "ru", "uk", "bg", "fr", "es", "it", "pt", "nl", "az", "ar",
 * "fa", or "und" when unsure.  s may hold any bytes.  Static string. */
ND_API const char *nd_lang_detect(const char *s, size_t len);

/* The evidence behind nd_lang_detect, for tuning and for callers that want
 * a second opinion: one entry per language of the model (the 14 it names
 * and the 25 others, ISO 639-1 codes), best first.  The score is the
 * log-likelihood bonus of the text's n-grams in 1/32 nat, over the whole
 * text; compare it only between languages of one script.  Fills at most n
 * entries of out and returns how many it filled; with out NULL returns how
 * many there are.  lang is static. */
typedef struct nd_lang_score {
    const char *lang;
    int score;
} nd_lang_score;
ND_API size_t nd_lang_scores(const char *s, size_t len, nd_lang_score *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* ND_DATES_H */
