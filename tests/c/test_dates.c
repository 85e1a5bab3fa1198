/* Dates as they appear in scraped news pages, feeds and agency copy:
 * every form the issue lists, update lines, impossible dates, and input
 * that must never crash. */
#include <stdio.h>
#include <string.h>

#include "newsdesk.h"
#include "tap.h"

/* Parse s and describe the result as "ISO|u|start-stop" (u = is_update),
 * or "range|start-stop", or "notfound". */
static const char *describe(const char *s, size_t len, const nd_date_opts *o, char *buf, size_t cap)
{
    nd_date d;
    nd_buf b = ND_BUF_INIT;
    int rc = nd_date_parse(s, len, o, &d);
    if (rc == ND_OK) {
        if (nd_date_format(&d, &b) != ND_OK)
            snprintf(buf, cap, "format failed");
        else
            snprintf(buf, cap, "%s|%d|%zu-%zu", b.ptr, d.is_update, d.start, d.stop);
    } else if (rc == ND_ERANGE) {
        snprintf(buf, cap, "range|%zu-%zu", d.start, d.stop);
    } else if (rc == ND_ENOTFOUND) {
        snprintf(buf, cap, "notfound");
    } else {
        snprintf(buf, cap, "rc %d", rc);
    }
    nd_buf_free(&b);
    return buf;
}

typedef struct dcase {
    const char *lang;
    const char *text;
    const char *want;
} dcase;

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))
/* describe a NUL-terminated text into the local buf */
#define DS(s, o) describe((s), strlen(s), (o), buf, sizeof buf)

static void run_cases(const char *what, const dcase *c, size_t n)
{
    size_t i;
    char buf[160];
    for (i = 0; i < n; i++) {
        nd_date_opts o = { c[i].lang, -1, NULL };
        is_str(describe(c[i].text, strlen(c[i].text), &o, buf, sizeof buf), c[i].want,
               "%s: %s%s%s", what, c[i].text, c[i].lang ? " lang=" : "", c[i].lang ? c[i].lang : "");
    }
}

static void numeric(void)
{
    static const dcase c[] = {
        { NULL, "04.11.2024", "2024-11-04|0|0-10" },
        { NULL, "4.11.2024", "2024-11-04|0|0-9" },
        { NULL, "2024-11-04", "2024-11-04|0|0-10" },
        { NULL, "2024/11/04", "2024-11-04|0|0-10" },
        { NULL, "2024.11.04", "2024-11-04|0|0-10" },
        { "tr", "4/11/2024", "2024-11-04|0|0-9" },
        { "de", "4/11/2024", "2024-11-04|0|0-9" },
        { "ru", "4/11/2024", "2024-11-04|0|0-9" },
        { "en", "4/11/2024", "2024-04-11|0|0-9" },
        { "en-US", "11/4/2024", "2024-11-04|0|0-9" },
        { "en_us", "11/4/2024", "2024-11-04|0|0-9" },
        { "en-GB", "4/11/2024", "2024-11-04|0|0-9" },
        { "e", "4/11/2024", "2024-11-04|0|0-9" },
        { "", "4/11/2024", "2024-11-04|0|0-9" },
        { "en", "04.11.2024", "2024-11-04|0|0-10" },      /* dots are day-first */
        { NULL, "04-11-2024", "2024-11-04|0|0-10" },
        { NULL, "Tarih: 04.11.2024.", "2024-11-04|0|7-17" },
        { NULL, "04.11.24", "2024-11-04|0|0-8" },
        { NULL, "04/11/99", "1999-11-04|0|0-8" },
        { NULL, "04.11.2024, Pts - 23:58", "2024-11-04T23:58|0|0-23" },
        { NULL, "04.11.2024 23:58", "2024-11-04T23:58|0|0-16" },
        { NULL, "04.11.2024 - 11:48:08", "2024-11-04T11:48:08|0|0-21" },
        { NULL, "23:58 - 04.11.2024", "2024-11-04T23:58|0|0-18" },
        { NULL, "04.11.2024-05.11.2024", "2024-11-04|0|0-10" },
    };
    run_cases("numeric", c, NCASES(c));
}

static void iso_rfc(void)
{
    static const dcase c[] = {
        { NULL, "2024-11-04T23:58", "2024-11-04T23:58|0|0-16" },
        { NULL, "2024-11-04T23:58:00+03:00", "2024-11-04T23:58:00+03:00|0|0-25" },
        { NULL, "2024-11-04T20:58:00Z", "2024-11-04T20:58:00Z|0|0-20" },
        { NULL, "2024-11-04T20:58:00.250Z", "2024-11-04T20:58:00Z|0|0-24" },
        { NULL, "2024-11-04T15:58:00-05:00", "2024-11-04T15:58:00-05:00|0|0-25" },
        { NULL, "2024-11-04 23:58:00+0300", "2024-11-04T23:58:00+03:00|0|0-24" },
        { NULL, "<pubDate>Mon, 04 Nov 2024 23:58:00 +0300</pubDate>",
          "2024-11-04T23:58:00+03:00|0|9-40" },
        { NULL, "Tue, 05 Nov 2024 08:00:00 GMT", "2024-11-05T08:00:00Z|0|0-29" },
        { NULL, "Tue, 5 Nov 2024 08:00:00 -0500", "2024-11-05T08:00:00-05:00|0|0-30" },
        { NULL, "18 Kasım 2024 14:05 TSİ", "2024-11-18T14:05+03:00|0|0-25" },
        { NULL, "18 ноября 2024, 10:30 МСК", "2024-11-18T10:30+03:00|0|0-34" },
        { NULL, "Nov 4, 2024 at 11:48 PM", "2024-11-04T23:48|0|0-23" },
        { NULL, "Nov 4, 2024, 12:05 a.m. ET", "2024-11-04T00:05|0|0-23" },
        { NULL, "am 4.11.2024 um 23:58 Uhr", "2024-11-04T23:58|0|3-25" },
        { NULL, "4.11.2024 um 14:30 am Rathaus", "2024-11-04T14:30|0|0-18" },
        { NULL, "4.11.2024 um 9:30 am Rathaus", "2024-11-04T09:30|0|0-20" },
    };
    run_cases("iso/rfc", c, NCASES(c));
}

static void named(void)
{
    static const dcase c[] = {
        { NULL, "Kasım 18, 2024", "2024-11-18|0|0-15" },
        { NULL, "18 Kasım 2024 Pazartesi", "2024-11-18|0|0-24" },
        { NULL, "18 KASIM 2024", "2024-11-18|0|0-13" },
        { NULL, "18 kasım 2024", "2024-11-18|0|0-14" },
        { NULL, "18 Kasim 2024", "2024-11-18|0|0-13" },
        { NULL, "KASIM 18, 2024", "2024-11-18|0|0-14" },
        { NULL, "November 18, 2024", "2024-11-18|0|0-17" },
        { NULL, "November 18th, 2024", "2024-11-18|0|0-19" },
        { NULL, "NOVEMBER 18 2024", "2024-11-18|0|0-16" },
        { NULL, "18. November 2024", "2024-11-18|0|0-17" },
        { NULL, "18 ноября 2024 г.", "2024-11-18|0|0-24" },
        { NULL, "18 ноября 2024 года", "2024-11-18|0|0-29" },
        { NULL, "18 НОЯБРЯ 2024", "2024-11-18|0|0-20" },
        { NULL, "xKasım 18, 2024", "2024-11-18|0|1-16" },
        { NULL, "Kasım 18, 2024x", "2024-11-18|0|0-15" },
        { NULL, "»18 Kasım 2024«", "2024-11-18|0|2-16" },
        { NULL, "18-Nov-2024", "2024-11-18|0|0-11" },
        { NULL, "Nov-18-2024", "2024-11-18|0|0-11" },
        { NULL, "Kasım/45/2024", "range|0-14" },
        { NULL, "Pazartesi, 18 Kasım 2024, 10:30", "2024-11-18T10:30|0|0-32" },
        { NULL, "18 Kasım 2024 Pazartesi 10:30", "2024-11-18T10:30|0|0-30" },
        { NULL, "18 Kasım 2024 saat 10:30", "2024-11-18T10:30|0|0-25" },
        { NULL, "Monday, November 18, 2024", "2024-11-18|0|0-25" },
        { NULL, "Montag, 18. November 2024", "2024-11-18|0|0-25" },
        { NULL, "понедельник, 18 ноября 2024", "2024-11-18|0|0-44" },
        { NULL, "3. Dez. 2024", "2024-12-03|0|0-12" },
        { NULL, "5 нояб. 2024", "2024-11-05|0|0-16" },
        { NULL, "Şubat 29, 2024", "2024-02-29|0|0-15" },
        { NULL, "lundi 18 novembre 2024 à 10:30", "2024-11-18T10:30|0|0-31" },
        { NULL, "18 de noviembre de 2024, 10:30", "2024-11-18T10:30|0|0-30" },
        { NULL, "Lunes, 18 de noviembre de 2024", "2024-11-18|0|0-30" },
    };
    run_cases("named", c, NCASES(c));
}

/* Every month name and abbreviation of the four languages. */
static void month_names(void)
{
    static const char *const names[][12] = {
        { "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül",
          "Ekim", "Kasım", "Aralık" },
        { "OCAK", "ŞUBAT", "MART", "NİSAN", "MAYIS", "HAZİRAN", "TEMMUZ", "AĞUSTOS", "EYLÜL",
          "EKİM", "KASIM", "ARALIK" },
        { "ocak", "subat", "mart", "nisan", "mayis", "haziran", "temmuz", "agustos", "eylul",
          "ekim", "kasim", "aralik" },
        { "Oca", "Şub", "Mar", "Nis", "May", "Haz", "Tem", "Ağu", "Eyl", "Eki", "Kas", "Ara" },
        { "January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December" },
        { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" },
        { "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember" },
        { "Jan.", "Feb.", "Maerz", "Apr.", "Mai", "Jun.", "Jul.", "Aug.", "Sept.", "Okt.", "Nov.",
          "Dez." },
        { "Jänner", "Feb", "Mrz", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez" },
        { "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
          "nov.", "déc." },
        { "ЯНВАРЯ", "февр.", "МАРТА", "Апреля", "Мая", "Июня", "Июля", "Августа", "сен.",
          "Октября", "ноя", "Декабря" },
        { "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
          "октября", "ноября", "декабря" },
        { "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
          "октябрь", "ноябрь", "декабрь" },
        { "янв.", "фев.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.",
          "дек." },
        { "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre" },
        { "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre" },
    };
    size_t r, m;
    char text[96], want[32], buf[160];
    for (r = 0; r < NCASES(names); r++)
        for (m = 0; m < 12; m++) {
            snprintf(want, sizeof want, "2024-%02zu-07", m + 1);
            snprintf(text, sizeof text, "7 %s 2024", names[r][m]);
            describe(text, strlen(text), NULL, buf, sizeof buf);
            ok(strncmp(buf, want, 10) == 0 && buf[10] == '|', "month name: %s -> %s", text, buf);
            snprintf(text, sizeof text, "%s 7, 2024", names[r][m]);
            describe(text, strlen(text), NULL, buf, sizeof buf);
            ok(strncmp(buf, want, 10) == 0 && buf[10] == '|', "month name first: %s -> %s", text, buf);
        }
}

/* Every Turkish weekday abbreviation and full name, in the seed's shape. */
/* The text printf(fmt, day) reads, whole, as the date iso. */
static void weekday_case(const char *fmt, const char *day, const char *iso)
{
    char text[96], want[64], buf[160];
    snprintf(text, sizeof text, fmt, day);
    snprintf(want, sizeof want, "%s|0|0-%zu", iso, strlen(text));
    is_str(describe(text, strlen(text), NULL, buf, sizeof buf), want, "weekday: %s", text);
}

static void weekdays(void)
{
    static const char *const days[] = {
        "Pts", "Sal", "Çar", "Per", "Cum", "Cts", "Paz", "Pazartesi", "Salı", "Çarşamba",
        "Perşembe", "Cuma", "Cumartesi", "Pazar", "PTS", "ÇARŞAMBA", "Pzt", "Cmt",
    };
    size_t i;
    for (i = 0; i < NCASES(days); i++) {
        weekday_case("04.11.2024, %s - 23:58", days[i], "2024-11-04T23:58");
        weekday_case("%s, 04 Kas 2024", days[i], "2024-11-04");
    }
}

/* Weekday names of the other languages before a date. */
static void other_weekdays(void)
{
    static const char *const days[] = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon",
        "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun", "Montag", "Dienstag",
        "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonnabend", "Sonntag", "понедельник",
        "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье", "Пн", "Вт", "Ср",
        "Чт", "Пт", "Сб", "Вс", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
        "dimanche", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
        "Salı", "Perşembe", "Prş", "Çrş", "Pzr",
    };
    size_t i;
    for (i = 0; i < NCASES(days); i++)
        weekday_case("%s, 18.11.2024", days[i], "2024-11-18");
}

static void updates(void)
{
    static const dcase c[] = {
        { NULL, "Son Güncellenme:11:48:08", "11:48:08|1|17-25" },
        { NULL, "Son Güncellenme: 04.11.2024 11:48", "2024-11-04T11:48|1|18-34" },
        { NULL, "Güncelleme: 05.11.2024 - 09:12", "2024-11-05T09:12|1|13-31" },
        { NULL, "Güncellenme tarihi: 5 Kasım 2024", "2024-11-05|1|21-34" },
        { NULL, "GÜNCELLEME 09:12", "09:12|1|12-17" },
        { NULL, "Updated: Nov 5, 2024 9:12 AM", "2024-11-05T09:12|1|9-28" },
        { NULL, "Last updated 14:20 GMT", "14:20Z|1|13-22" },
        { NULL, "Aktualisiert am 5. November 2024, 09:12 Uhr", "2024-11-05T09:12|1|16-43" },
        { NULL, "Обновлено 5 ноября 2024, 09:12", "2024-11-05T09:12|1|19-45" },
        /* the publication date comes first on a line with both */
        { NULL, "Yayınlanma: 04.11.2024 23:58 | Güncelleme: 05.11.2024 09:12",
          "2024-11-04T23:58|0|13-29" },
        /* a marker on the line above does not make a date an update */
        { NULL, "Son Güncellenme\n04.11.2024", "2024-11-04|0|17-27" },
        /* a time alone without a marker is not a date */
        { NULL, "Saat 11:48'de açıklama yaptı", "notfound" },
        { NULL, "Updated 2 hours ago", "notfound" },
    };
    run_cases("update", c, NCASES(c));
}

static void impossible(void)
{
    static const dcase c[] = {
        { NULL, "31.02.2024", "range|0-10" },
        { NULL, "29.02.2023", "range|0-10" },
        { NULL, "30.02.2024", "range|0-10" },
        { NULL, "31.04.2024", "range|0-10" },
        { NULL, "01.13.2024", "range|0-10" },
        { NULL, "00.11.2024", "range|0-10" },
        { NULL, "2024-13-01", "range|0-10" },
        { NULL, "2024-02-30", "range|0-10" },
        { NULL, "04.11.1850", "range|0-10" },
        { NULL, "04.11.2200", "range|0-10" },
        { "en", "13/25/2024", "range|0-10" },
        { NULL, "31 Şubat 2024", "range|0-14" },
        { NULL, "Kasım 31, 2024", "range|0-15" },
        { NULL, "November 45, 2024", "range|0-17" },
        { NULL, "04.11.2024 99:99", "range|0-16" },
        { NULL, "04.11.2024 24:00", "range|0-16" },
        { NULL, "04.11.2024 23:60", "range|0-16" },
        { NULL, "04.11.2024 23:59:60", "range|0-19" },
        { NULL, "Nov 4, 2024 13:00 PM", "range|0-20" },
        { NULL, "Güncelleme: 25:61", "range|13-18" },
        { NULL, "29.02.2024", "2024-02-29|0|0-10" },
        { NULL, "29.02.2000", "2000-02-29|0|0-10" },
        { NULL, "29.02.1900", "range|0-10" },
        /* a two-digit year is taken only when it is clearly a date */
        { NULL, "31.02.24", "notfound" },
        { NULL, "Sürüm 10.20.30", "notfound" },
        { NULL, "192.168.1.10", "notfound" },
        { NULL, "1.04.11.2024", "notfound" },
        { NULL, "fiyat 3.500.000 TL", "notfound" },
        { NULL, "skor 3:2, 2023-2024 sezonu", "notfound" },
        { NULL, "score 25:99 then 18 Mart 2024", "2024-03-18|0|17-29" },
    };
    run_cases("impossible", c, NCASES(c));
}

static void reference(void)
{
    nd_date ref = { 2024, 11, 20, -1, -1, -1, 0, 0, 0, 0, 0 };
    nd_date_opts o = { "tr", -1, &ref };
    char buf[160];
    is_str(DS("18 Kasım'da Ankara'da", &o), "2024-11-18|0|0-9",
           "ref fills the year of '18 Kasım'");
    is_str(DS("November 18 at 10:30", &o), "2024-11-18T10:30|0|0-20",
           "ref fills the year of 'November 18 at 10:30'");
    is_str(DS("18 Kasım'da", NULL), "notfound",
           "without ref a year-less date is not taken");
    is_str(DS("Ara 5 gün", &o), "notfound",
           "a bare three-letter abbreviation needs a year even with ref");
    is_str(DS("18 Kasım 2023", &o), "2023-11-18|0|0-14",
           "an explicit year wins over ref");
    is_str(DS("Sayfa 2 Kasım 18, 2024", &o), "2024-11-18|0|8-23",
           "a page number before 'Kasım 18, 2024' is not its day");
    is_str(DS("18 Kasım 3500 kişi", &o), "2024-11-18|0|0-9",
           "a count after the month is not a year");
    is_str(DS("18 Kasım 1850", &o), "range|0-14",
           "a year before 1900 is out of range, not replaced by ref");
    o.day_first = 0;
    is_str(DS("4/11/2024", &o), "2024-04-11|0|0-9",
           "day_first=0 overrides lang tr");
    o.lang = "en";
    o.day_first = 1;
    is_str(DS("4/11/2024", &o), "2024-11-04|0|0-9",
           "day_first=1 overrides lang en");
}

static void format(void)
{
    nd_buf b = ND_BUF_INIT;
    nd_date d = { 2024, 11, 4, -1, -1, -1, 0, 0, 0, 0, 0 };
    ok(nd_date_format(&d, &b) == ND_OK && strcmp(b.ptr, "2024-11-04") == 0, "format date only");
    d.hour = 23, d.minute = 58;
    ok(nd_date_format(&d, &b) == ND_OK && strcmp(b.ptr, "2024-11-04T23:58") == 0,
       "format replaces the buffer: %s", b.ptr);
    d.second = 0, d.has_offset = 1, d.offset_min = 180;
    ok(nd_date_format(&d, &b) == ND_OK && strcmp(b.ptr, "2024-11-04T23:58:00+03:00") == 0,
       "format with offset: %s", b.ptr);
    d.offset_min = -570;
    ok(nd_date_format(&d, &b) == ND_OK && strcmp(b.ptr, "2024-11-04T23:58:00-09:30") == 0,
       "format with a negative half-hour offset: %s", b.ptr);
    d.day = 31;
    is_int(nd_date_format(&d, &b), ND_ERANGE, "format refuses 2024-11-31");
    d.day = 4, d.hour = 24;
    is_int(nd_date_format(&d, &b), ND_ERANGE, "format refuses hour 24");
    d.year = 0, d.month = 0, d.day = 0, d.hour = -1;
    is_int(nd_date_format(&d, &b), ND_ERANGE, "format refuses an empty date");
    is_int(nd_date_format(NULL, &b), ND_EINVAL, "format of NULL is EINVAL");
    nd_buf_free(&b);
}

/* Garbage never crashes and never reads outside the given length. */
static void garbage(void)
{
    static const char *const junk[] = {
        "", " ", "\n\n", "Kasım", "18", "18 Kasım 20", "2024-", "2024-11-", "04.11.", ":", "::::",
        "99:99:99:99", "+0300", "Mon,", "Pts - 23:58", "\xff\xfe\xfd", "\xc4", "Kas\xc4",
        "18 Kas\xc4\xb1m 2024\xe2\x80", "T23:58", "12345678901234567890.11.2024",
        "0.0.0", "1/1/1", "Z", "GMT+99", "Nov 4, 2024 11:48 GMT+99",
    };
    size_t i, n;
    nd_date d;
    char buf[160];
    for (i = 0; i < NCASES(junk); i++) {
        int rc = nd_date_parse(junk[i], strlen(junk[i]), NULL, &d);
        ok(rc == ND_OK || rc == ND_ENOTFOUND || rc == ND_ERANGE, "garbage %zu gives a clean code", i);
    }
    {
        /* the length is respected: the year is cut off */
        const char *s = "18 Kasım 2024";
        is_str(describe(s, 11, NULL, buf, sizeof buf), "notfound", "length cuts '18 Kasım 2024'");
        is_str(describe("04.11.2024\0 23:58", 17, NULL, buf, sizeof buf), "2024-11-04|0|0-10",
               "a NUL byte ends the date's line of thought");
        is_str(describe("\0\0\0" "04.11.2024", 13, NULL, buf, sizeof buf), "2024-11-04|0|3-13",
               "NULs before a date are skipped");
        is_str(describe("\xff" "18 Kas\xc4\xb1m 2024", 15, NULL, buf, sizeof buf),
               "2024-11-18|0|1-15", "invalid UTF-8 before a date is skipped");
    }
    is_int(nd_date_parse(NULL, 0, NULL, &d), ND_ENOTFOUND, "NULL, 0 is an empty text");
    is_int(nd_date_parse(NULL, 5, NULL, &d), ND_EINVAL, "NULL with a length is EINVAL");
    is_int(nd_date_parse("x", 1, NULL, NULL), ND_EINVAL, "NULL out is EINVAL");
    {
        /* every prefix of a rich line parses cleanly */
        const char *s = "Pazartesi, 18 KASIM 2024 - 23:58:07 +03:00 (Son Güncellenme: 11:48)";
        size_t len = strlen(s), bad = 0;
        for (n = 0; n <= len; n++) {
            int rc = nd_date_parse(s, n, NULL, &d);
            if ((rc != ND_OK && rc != ND_ENOTFOUND && rc != ND_ERANGE) ||
                (rc == ND_OK && (d.stop > n || d.start > d.stop)))
                bad++;
        }
        is_int(bad, 0, "every prefix of a rich date line gives a clean result inside the text");
    }
    {
        /* a long text with the date at the end */
        static char big[200000];
        size_t k;
        for (k = 0; k + 1 < sizeof big; k++)
            big[k] = "Kasım 2024 ayında 12:30 ve 3.5 puan. "[k % 37];
        memcpy(big + sizeof big - 20, " 04.11.2024 ", 12);
        is_str(describe(big, sizeof big - 8, NULL, buf, sizeof buf),
               "2024-11-04|0|199981-199991", "a date after 200 KB of near misses is found");
    }
}

int main(void)
{
    numeric();
    iso_rfc();
    named();
    month_names();
    weekdays();
    other_weekdays();
    updates();
    impossible();
    reference();
    format();
    garbage();
    return tap_done();
}
