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

/* Every row of names (January..December) reads as its month, day first
 * ("7 Kasım 2024") and month first ("Kasım 7, 2024"). */
static void month_rows(const char *const (*names)[12], size_t rows)
{
    size_t r, m;
    char text[96], want[32], buf[160];
    for (r = 0; r < rows; r++)
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
    month_rows(names, NCASES(names));
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

/* Times of day as pages write them; a 12-hour or Turkish ÖÖ/ÖS marker is
 * never ignored, and a time that cannot be read leaves the date alone. */
static void times_of_day(void)
{
    static const dcase c[] = {
        { NULL, "05.11.2024 3:25:50 ös", "2024-11-05T15:25:50|0|0-22" },
        { NULL, "05.11.2024 3:25:50 ÖS", "2024-11-05T15:25:50|0|0-22" },
        { NULL, "05.11.2024 3:25 öö", "2024-11-05T03:25|0|0-20" },
        { NULL, "05.11.2024 12:10 ÖÖ", "2024-11-05T00:10|0|0-21" },
        { NULL, "05.11.2024 12:10 ÖS", "2024-11-05T12:10|0|0-20" },
        { NULL, "Son Güncellenme: 3:25:50 ös", "15:25:50|1|18-29" },
        { NULL, "05.11.2024 ÖS 3:25", "2024-11-05T15:25|0|0-19" },
        { NULL, "Salı, 5 Kasım 2024 öö 11:02:09", "2024-11-05T11:02:09|0|0-34" },
        { NULL, "ÖS 3:25 - 05.11.2024", "2024-11-05T15:25|0|0-21" },
        { NULL, "05.11.2024 ÖS 15:25", "2024-11-05|0|0-10" },
        /* Portuguese "os" after a time is a word, not ÖS */
        { NULL, "5 de março de 2024 às 14:30 os ministros", "2024-03-05T14:30|0|0-29" },
        { NULL, "5 Kasım 2024 saat 15.25", "2024-11-05T15:25|0|0-24" },
        { NULL, "5 Kasım 2024, saat 9.05", "2024-11-05T09:05|0|0-24" },
        { NULL, "05.11.2024 13.12", "2024-11-05T13:12|0|0-16" },
        { NULL, "05.11.2024, 13.12 - Ankara", "2024-11-05T13:12|0|0-17" },
        { NULL, "4. November 2024, 18.37 Uhr", "2024-11-04T18:37|0|0-27" },
        { NULL, "am 4.11.2024 um 18 Uhr", "2024-11-04T18:00|0|3-22" },
        { NULL, "Aktualisiert 18.37 Uhr", "18:37|1|13-22" },
        { NULL, "5 novembre 2024, 14h40", "2024-11-05T14:40|0|0-22" },
        { NULL, "le 5 novembre 2024 à 14h40", "2024-11-05T14:40|0|3-27" },
        { NULL, "le 5 novembre 2024 à 14h", "2024-11-05T14:00|0|3-25" },
        { NULL, "November 5, 2024 at noon", "2024-11-05T12:00|0|0-24" },
        { NULL, "November 5, 2024 at midnight", "2024-11-05T00:00|0|0-28" },
        { NULL, "Nov. 5, 2024, 12.16 pm", "2024-11-05T12:16|0|0-22" },
        { NULL, "Nov. 5, 2024, 3.16 p.m.", "2024-11-05T15:16|0|0-23" },
        { NULL, "5 marzo 2024 ore 14.30", "2024-03-05T14:30|0|0-22" },
        { NULL, "5 березня 2024 р. о 14:30", "2024-03-05T14:30|0|0-34" },
        { NULL, "5 березня 2024, 2:30 пп", "2024-03-05T14:30|0|0-32" },
        /* what is not a time after a date stays out of it */
        { NULL, "04.11.2024 3.50 TL", "2024-11-04|0|0-10" },
        { NULL, "04.11.2024 - 05.11.2024", "2024-11-04|0|0-10" },
        { NULL, "04.11.2024 - 05.11. tarihleri", "2024-11-04|0|0-10" },
        { NULL, "04.11.2024 14h", "2024-11-04|0|0-10" },
        { NULL, "November 5, 2024 noon", "2024-11-05|0|0-16" },
        /* a time that cannot be read is left out and the date kept */
        { NULL, "05.11.2024 13:25:50 ÖS", "2024-11-05|0|0-10" },
        { NULL, "Nov 5, 2024 at 25:10", "2024-11-05|0|0-11" },
        { NULL, "Salı, 05.11.2024 saat 25.70", "2024-11-05|0|0-17" },
        { NULL, "25:70 - 05.11.2024", "2024-11-05|0|8-18" },
    };
    run_cases("time of day", c, NCASES(c));
}

/* Ordinals, asctime, spaced dots, two-digit years, agency datelines. */
static void page_forms(void)
{
    static const dcase c[] = {
        { NULL, "25th March 2015", "2015-03-25|0|0-15" },
        { NULL, "on the 1st of", "notfound" },
        { NULL, "Tues 9th Aug, 2015", "2015-08-09|0|0-18" },
        { NULL, "March 3rd, 2015", "2015-03-03|0|0-15" },
        { NULL, "22nd May 2015", "2015-05-22|0|0-13" },
        { NULL, "1er février 2015", "2015-02-01|0|0-17" },
        { NULL, "Wed Aug 05 12:00:00 2015", "2015-08-05T12:00:00|0|0-24" },
        { NULL, "Wed Aug  5 09:07:03 2015", "2015-08-05T09:07:03|0|0-24" },
        { NULL, "11. 12. 2014", "2014-12-11|0|0-12" },
        { NULL, "26. 10.21", "2021-10-26|0|0-9" },
        { NULL, "Platz 3. 4. Reihe", "notfound" },
        { NULL, "2 Декабрь 95", "1995-12-02|0|0-19" },
        { NULL, "2 декабря 95 г.", "1995-12-02|0|0-23" },
        { NULL, "Kasım 18, 24", "2024-11-18|0|0-13" },
        { NULL, "5 May 24 people", "notfound" },
        { NULL, "(APA, 1.2.2015)", "2015-02-01|0|6-14" },
        { NULL, "(red, 15.5.2016)", "2016-05-15|0|6-15" },
        { "en", "(APA, 1.2.2015)", "2015-02-01|0|6-14" },
        { NULL, "5 ene. 2024", "2024-01-05|0|0-11" },
        { NULL, "5 ago 2024", "2024-08-05|0|0-10" },
        { NULL, "5 fév 2024", "2024-02-05|0|0-11" },
        { NULL, "5 aoû 2024", "2024-08-05|0|0-11" },
        { NULL, "mar 5, 2024", "2024-03-05|0|0-11" },
        { NULL, "mié, 5 de noviembre de 2024 10:30", "2024-11-05T10:30|0|0-34" },
        { NULL, "Çərşənbə, 5 fevral 2024", "2024-02-05|0|0-28" },
        { NULL, "пʼятниця, 12 квітня 2024", "2024-04-12|0|0-38" },
        { NULL, "5 март 2024 г.", "2024-03-05|0|0-19" },
    };
    run_cases("page forms", c, NCASES(c));
}

/* Month names of the languages beyond the first four, whole and short. */
static void more_month_names(void)
{
    static const char *const names[][12] = {
        { "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
          "settembre", "ottobre", "novembre", "dicembre" },
        { "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic" },
        { "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
          "outubro", "novembro", "dezembro" },
        { "jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.",
          "dez." },
        { "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december" },
        { "jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.",
          "dec." },
        { "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr",
          "oktyabr", "noyabr", "dekabr" },
        { "січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
          "вересня", "жовтня", "листопада", "грудня" },
        { "січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень",
          "вересень", "жовтень", "листопад", "грудень" },
        { "січ.", "лют.", "бер.", "квіт.", "трав.", "черв.", "лип.", "серп.", "вер.", "жовт.",
          "лист.", "груд." },
        { "януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември",
          "октомври", "ноември", "декември" },
        { "ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.",
          "dic." },
        { "janv.", "fév", "mars", "avr.", "mai", "juin", "juil.", "aoû", "sept.", "oct.", "nov.",
          "déc." },
    };
    month_rows(names, NCASES(names));
}

/* Dates without a year take the year that puts them nearest ref. */
static void nearest_year(void)
{
    nd_date ref = { 2025, 1, 3, -1, -1, -1, 0, 0, 0, 0, 0 };
    nd_date_opts o = { NULL, -1, &ref };
    char buf[160];
    is_str(DS("28 Aralık", &o), "2024-12-28|0|0-10", "late December read on 3 January is last year");
    is_str(DS("5 Ocak", &o), "2025-01-05|0|0-6", "early January read on 3 January is this year");
    ref.year = 2024, ref.month = 12, ref.day = 30;
    is_str(DS("2 Ocak", &o), "2025-01-02|0|0-6", "2 January read on 30 December is next year");
    is_str(DS("May 5", &o), "2024-05-05|0|0-5", "English May without a year");
    is_str(DS("5. Mai", &o), "2024-05-05|0|0-6", "German Mai without a year");
    is_str(DS("5 мая", &o), "2024-05-05|0|0-8", "Russian мая without a year");
    is_str(DS("BERLIN, 4. November (Reuters) -", &o), "2024-11-04|0|8-19",
           "an agency dateline without a year");
    is_str(DS("Kas 5 gün", &o), "notfound", "a bare abbreviation still needs a year");
    ref.month = 2, ref.day = 10;
    is_str(DS("29 Şubat", &o), "2024-02-29|0|0-9", "29 February falls in the leap year near ref");
    ref.year = 2023, ref.month = 3, ref.day = 1;
    is_str(DS("29 Şubat", &o), "2020-02-29|0|0-9", "29 February goes back to the last leap year");
    ref.month = 0, ref.day = 0;
    is_str(DS("28 Aralık", &o), "2023-12-28|0|0-10", "a ref with only a year gives that year");
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
        /* a time that cannot be read is left out; the date stays */
        { NULL, "04.11.2024 99:99", "2024-11-04|0|0-10" },
        { NULL, "04.11.2024 24:00", "2024-11-04|0|0-10" },
        { NULL, "04.11.2024 23:60", "2024-11-04|0|0-10" },
        { NULL, "04.11.2024 23:59:60", "2024-11-04|0|0-10" },
        { NULL, "Nov 4, 2024 13:00 PM", "2024-11-04|0|0-11" },
        { NULL, "Pzt, 04.11.2024 25:61", "2024-11-04|0|0-15" },
        { NULL, "99:99 - 04.11.2024", "2024-11-04|0|8-18" },
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
    times_of_day();
    page_forms();
    more_month_names();
    nearest_year();
    format();
    garbage();
    return tap_done();
}
