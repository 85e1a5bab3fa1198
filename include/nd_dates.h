/*
 * nd_dates.h — finding publication dates in scraped news text, and telling
 * which language a text is in.
 *
 * Dates.  nd_date_parse finds the first date (with an optional time and UTC
 * offset) in a piece of text and reports it as numbers plus the byte range
 * where it was found.  Understood forms:
 *   - numeric: 04.11.2024, 2024-11-04, 2024/11/04, 4/11/2024, 04-11-2024;
 *     D.M.Y with dots is always day-first; with '/' or '-' the order follows
 *     opts->day_first, or the language (en and en-US: month-first; every
 *     other language, English region, or none: day-first).  Two-digit years (04.11.24 → 2024, 70..99 → 19xx)
 *     only with '.' or '/', a valid day and month, and no further ".N" around
 *     them — otherwise the text is not taken for a date at all;
 *   - ISO 8601 with 'T', fractions of a second, 'Z' or ±HH:MM / ±HHMM;
 *   - RFC 2822 as in RSS pubDate: "Mon, 04 Nov 2024 23:58:00 +0300" (also
 *     GMT, UTC, and a few zone names: TSİ, MSK, CET, CEST, EST, PST, ...);
 *   - month names and abbreviations in Turkish, English, German and Russian
 *     (genitive and nominative), also French and Spanish, any case, with or
 *     without diacritics, in either order: "Kasım 18, 2024",
 *     "18 KASIM 2024 Pazartesi", "November 18, 2024", "18. Nov. 2024",
 *     "18 ноября 2024 г.", "18 de noviembre de 2024";
 *   - weekday names and abbreviations before or after the date, and a time
 *     after the date ("04.11.2024, Pts - 23:58", "18 Kasım 2024 saat 10:30",
 *     "Nov 4, 2024 at 11:48 PM", "am 4.11.2024 um 23:58 Uhr") or before it
 *     ("23:58 - 04.11.2024");
 *   - stray characters glued to a date ("xKasım 18, 2024", "...2024x").
 * A month-name date without a year takes its year from opts->ref; with no
 * ref, or with a bare three-letter abbreviation ("Ara 5"), it is not taken
 * for a date.  Word matching folds case and diacritics locally (I, İ, ı and
 * i are one letter), independent of the text layer.
 *
 * Update lines.  When the line holding the date says it is an update time
 * ("Son Güncellenme:", "Güncelleme:", "Güncellenme tarihi", "Updated",
 * "Last updated", "Aktualisiert", "Обновлено", ...) is_update is 1.  Such a
 * line may give a time only ("Son Güncellenme:11:48:08"): that is reported
 * as ND_OK with is_update = 1, year = month = day = 0 and the time filled in,
 * so a caller can recognize (and drop) the line.  A time alone on a line
 * without an update marker is not a date and is skipped.
 *
 * Impossible dates and times (31.02.2024, 29.02.2023, month 13, 24:00,
 * 23:60, years outside 1900..2100) give ND_ERANGE with start/stop set; they
 * are never wrapped into a neighbouring valid date.
 *
 * Language.  nd_lang_detect looks at the script first (Cyrillic → "ru",
 * Arabic → "ar") and, for Latin script, at distinctive letters and common
 * function words.  One pass, no allocation, thread-safe.
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
    const nd_date *ref;              /* reference date for year-less forms, or NULL */
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

/* Language of a text: "tr","en","de","ru","fr","es","ar", or "und" when unsure.  Static string. */
ND_API const char *nd_lang_detect(const char *s, size_t len);

/* The evidence behind nd_lang_detect, for tuning and for callers that want
 * a second opinion: one entry per language it knows ("tr", "en", "de",
 * "fr", "es", "ru", "ar"), best first.  Latin-script languages score
 * weighted function words and distinctive letters; ru and ar score their
 * script's letters.  Fills at most n entries of out and returns how many it
 * filled; with out NULL returns how many there are.  lang is static. */
typedef struct nd_lang_score {
    const char *lang;
    int score;
} nd_lang_score;
ND_API size_t nd_lang_scores(const char *s, size_t len, nd_lang_score *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* ND_DATES_H */
