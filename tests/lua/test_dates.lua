-- newsdesk.dates.parse from Lua: ISO strings, parts with 1-based inclusive
-- positions, update lines, impossible dates, options and misuse.
local T = dofile("tests/lua/harness.lua")
local dates = require("newsdesk.dates")
T.ok(newsdesk.dates == dates, "newsdesk.dates is the same module as require('newsdesk.dates')")

local function iso(s, opts) return (dates.parse(s, opts)) end

-- the forms of the issue, as an analyst would paste them
local cases = {
  { "04.11.2024, Pts - 23:58", "2024-11-04T23:58" },
  { "2024-11-04", "2024-11-04" },
  { "4/11/2024", "2024-11-04" },
  { "2024-11-04T23:58:00+03:00", "2024-11-04T23:58:00+03:00" },
  { "Mon, 04 Nov 2024 23:58:00 +0300", "2024-11-04T23:58:00+03:00" },
  { "Kasım 18, 2024", "2024-11-18" },
  { "18 Kasım 2024 Pazartesi", "2024-11-18" },
  { "November 18, 2024", "2024-11-18" },
  { "18. November 2024", "2024-11-18" },
  { "18 ноября 2024 г.", "2024-11-18" },
  { "xKasım 18, 2024", "2024-11-18" },
  { "Kasım 18, 2024x", "2024-11-18" },
  { "18 KASIM 2024, 11:48:08", "2024-11-18T11:48:08" },
  { "Çarşamba, 6 Kasım 2024 - 09:05", "2024-11-06T09:05" },
  -- issue 14: dates as pages write them
  { "Salı, 05.11.2024 - 3:25:50 ös", "2024-11-05T15:25:50" },   -- ÖS is p.m., never ignored
  { "05.11.2024 11:05 ÖÖ", "2024-11-05T11:05" },
  { "5 Kasım 2024 saat 15.25", "2024-11-05T15:25" },
  { "05.11.2024 13.12", "2024-11-05T13:12" },
  { "4. November 2024, 18.37 Uhr", "2024-11-04T18:37" },
  { "5 novembre 2024, 14h40", "2024-11-05T14:40" },
  { "le 5 novembre 2024 à 14h40", "2024-11-05T14:40" },
  { "November 5, 2024 at noon", "2024-11-05T12:00" },
  { "Nov 5, 2024, 12.16 pm", "2024-11-05T12:16" },
  { "25th March 2015", "2015-03-25" },
  { "Tues 9th Aug, 2015", "2015-08-09" },
  { "1er février 2015", "2015-02-01" },
  { "Wed Aug 05 12:00:00 2015", "2015-08-05T12:00:00" },
  { "11. 12. 2014", "2014-12-11" },
  { "26. 10.21", "2021-10-26" },
  { "2 Декабрь 95", "1995-12-02" },
  { "5 ene. 2024", "2024-01-05" },
  { "5 ago 2024", "2024-08-05" },
  { "5 fév 2024", "2024-02-05" },
  { "5 aoû 2024", "2024-08-05" },
  { "(APA, 1.2.2015)", "2015-02-01" },
  { "(red, 15.5.2016)", "2016-05-15" },
  { "05.11.2024 25:99", "2024-11-05" },                        -- an unreadable time is left out
}
for _, c in ipairs(cases) do
  T.eq(iso(c[1]), c[2], "parse " .. c[1])
end

-- parts: fields, positions into the original text
local s = "Yayın tarihi: 04.11.2024, Pts - 23:58 (TSİ)"
local got, p = dates.parse(s)
T.eq(got, "2024-11-04T23:58", "a date inside a line")
T.eq({ p.year, p.month, p.day, p.hour, p.minute, p.second },
  { 2024, 11, 4, 23, 58, nil }, "parts hold the numbers; no seconds given, so no second")
T.eq(s:sub(p.start, p.stop), "04.11.2024, Pts - 23:58", "start/stop are 1-based inclusive")
T.eq(p.is_update, false, "a publication line is not an update")
T.eq(p.offset, nil, "no offset when the text gives none")

got, p = dates.parse("Mon, 04 Nov 2024 23:58:00 -0500")
T.eq(p.offset, -300, "offset in minutes east of UTC")
T.eq(p.second, 0, "seconds given as 00 are 0")

-- update lines
got, p = dates.parse("Son Güncellenme:11:48:08")
T.eq(got, "11:48:08", "a time-only update line gives the time")
T.eq({ p.year, p.hour, p.minute, p.second, p.is_update }, { nil, 11, 48, 8, true },
  "a time-only update has no year and is_update = true")
T.eq(("Son Güncellenme:11:48:08"):sub(p.start, p.stop), "11:48:08", "its span is the time")
got, p = dates.parse("Güncelleme: 05.11.2024 09:12")
T.eq({ got, p.is_update }, { "2024-11-05T09:12", true }, "a dated update line")
got, p = dates.parse("Updated: November 5, 2024")
T.eq(p.is_update, true, "English update line")
T.eq(dates.parse("saat 11:48'de"), nil, "a time alone is not a date")

-- expected failures: nil, message, code
local r, msg, code = dates.parse("31.02.2024")
T.eq({ r, code }, { nil, "range" }, "31.02.2024 is impossible")
T.ok(msg:find("31.02.2024", 1, true), "the message quotes the impossible date: " .. tostring(msg))
T.eq(select(3, dates.parse("29.02.2023")), "range", "29.02.2023 is impossible")
T.eq(dates.parse("04.11.2024 99:99"), "2024-11-04", "an unreadable time 99:99 is left out, the date kept")
T.eq(select(3, dates.parse("bugün hava güzel")), "notfound", "no date at all")
T.eq(select(3, dates.parse("")), "notfound", "empty text")
T.eq(select(3, dates.parse("\0\255\254 04.13.2024")), "range", "NUL and bad bytes before a date")

-- options
T.eq(iso("4/11/2024", { lang = "en" }), "2024-04-11", "lang=en reads month-first")
T.eq(iso("4/11/2024", { lang = "en", day_first = true }), "2024-11-04", "day_first overrides lang")
T.eq(iso("4/11/2024", { day_first = false }), "2024-04-11", "day_first=false")
T.eq(iso("18 Kasım'da", { ref = "2023-12-01" }), "2023-11-18", "ref as an ISO string fills the year")
T.eq(iso("18 Kasım'da", { ref = "2023-06-01" }), "2022-11-18",
  "a year-less date more than 60 days after ref is from the year before")
T.eq(iso("2 Ocak", { ref = "2024-12-30" }), "2025-01-02", "a date just after ref crosses the new year")
T.eq(iso("May 5", { ref = { year = 2024, month = 12, day = 30 } }), "2024-05-05",
  "May without a year, read at the end of the year")
T.eq(iso("18 Kasım'da", { ref = { year = 2022 } }), "2022-11-18", "ref as a table")
T.eq(iso("18 Kasım'da"), nil, "no ref, no year: not a date")
T.eq(iso("5. Mai", { lang = "de", ref = "2024-12-30" }), "2024-05-05", "German Mai without a year, with ref")
T.eq(iso("3 мая", { ref = "2024-12-30" }), "2024-05-03", "Russian мая (genitive) without a year, with ref")
T.eq(iso("3 мая в 14:05", { ref = "2024-06-01" }), "2024-05-03T14:05", "a year-less date keeps its time")
T.eq(iso("BERLIN, 4. November (Reuters) -", { ref = "2024-12-01" }), "2024-11-04",
  "an opening dateline without a year, resolved against ref")
-- time-of-day markers that must not be ignored: p.m. turns 3 into 15, a.m. turns 12 into 0
T.eq(iso("05.11.2024 03:25 ÖS"), "2024-11-05T15:25", "ÖS in capitals after a zero-padded hour")
T.eq(iso("5 Kasım 2024 saat 3.25 ös"), "2024-11-05T15:25", "saat with a dotted time and ös")
T.eq(iso("Nov 5, 2024, 11:30 pm"), "2024-11-05T23:30", "pm")
T.eq(iso("Nov 5, 2024, 12:05 am"), "2024-11-05T00:05", "12:05 am is just after midnight")

-- misuse raises
T.raises(function() dates.parse() end, "bad argument #1 to 'parse'", "no text")
T.raises(function() dates.parse("x", 5) end, "bad argument #2 to 'parse'", "opts not a table")
T.raises(function() dates.parse("x", { lang = {} }) end, "string expected", "lang not a string")
T.raises(function() dates.parse("x", { day_first = 1 }) end, "boolean expected", "day_first not a boolean")
T.raises(function() dates.parse("x", { ref = "soon" }) end, "bad option 'ref'", "ref without a date")
T.raises(function() dates.parse("x", { ref = {} }) end, "ref.year", "ref table without a year")
T.raises(function() dates.parse("x", { ref = { year = 2024, month = 13 } }) end, "ref.month",
  "ref table with month 13")

-- a whole page dump in the shape of the scraped pages: the first date wins,
-- the update line is found when asked line by line
local page = table.concat({
  "Haberler | Dünya | Ekonomi",
  "Meclis yeni bütçeyi kabul etti",
  "12.03.2025, Çar - 14:20",
  "Ankara (AA) - Meclis Genel Kurulu dün gece yeni bütçeyi kabul etti.",
  "Son Güncellenme:16:05:44",
}, "\n")
got, p = dates.parse(page)
T.eq(got, "2025-03-12T14:20", "the publication date of a page")
local updates = {}
for line in page:gmatch("[^\n]+") do
  local d, q = dates.parse(line)
  if d and q.is_update then updates[#updates + 1] = d end
end
T.eq(updates, { "16:05:44" }, "exactly one update line in the page")
T.done()
