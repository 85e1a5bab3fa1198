-- newsdesk.filters on plain article tables (the shape `newsdesk map` and
-- hosts hand to scripts): dates, source, language, query, entities,
-- near-duplicates, and/or/not.
local T = dofile("tests/lua/harness.lua")
local F = require("newsdesk.filters")

local A = {
  { id = 1, title = "Fidan Lavrov’la görüştü", body = "Dışişleri Bakanı Hakan Fidan, Rusya'nın tutumunu eleştirdi.",
    date = "2024-11-04T16:20:00+03:00", source = "AA", lang = "tr" },
  { id = 2, title = "Blinken and Cho talk", body = "Kim Jong-un's troops are in RUSSIA, officials said.",
    date = "2024-11-05", source = "The Meridian Wire", lang = "en" },
  { id = 3, title = "Fidan Lavrov’la görüştü", body = "Dışişleri Bakanı Hakan Fidan, Rusya’nın tutumunu eleştirdi.",
    date = "2024-11-05T08:00", source = "Ankara Bülteni", lang = "tr", duplicate_of = 1 },
  { id = 4, title = "Baerbock in Kiew", body = "Die Außenministerin traf ihren Amtskollegen in KIEW.",
    date = "2024-11-07T11:35:00+01:00", source = "dpa", lang = "de" },
  { id = 5, title = "Undated wire", body = "Rusyalı yetkililer açıklama yapmadı.", source = "AA", lang = "tr" },
  { id = 6, title = "İSTANBUL’DA zirve", body = "Guney Kore heyeti İstanbul'a geldi.",
    date = "2024-11-20", source = "aa", lang = "tr",
    mentions = { { type = "LOC", id = "istanbul" }, { type = "LOC", id = "south_korea" } } },
}

local function ids(f)
  local out = {}
  for _, a in ipairs(F.select(A, f)) do out[#out + 1] = a.id end
  return out
end

-- dates
T.eq(ids(F.since("2024-11-05")), { 2, 3, 4, 6 }, "since is inclusive and skips undated articles")
T.eq(ids(F["until"]("2024-11-05")), { 1, 2, 3 }, "until includes the whole last day, with times")
T.eq(ids(F.between("2024-11-05", "2024-11-07")), { 2, 3, 4 }, "between is a closed window")
T.eq(ids(F.since("04.11.2024") & F.before("2024-11-04")), { 1 }, "Turkish numeric dates are accepted")
T.raises(function() F.since("last week") end, "date like 2024-11-04 expected", "a bad date names the format")

-- metadata
T.eq(ids(F.source("AA")), { 1, 5, 6 }, "source compares folded (AA = aa)")
T.eq(ids(F.source("dpa", "Ankara Bülteni")), { 3, 4 }, "several sources")
T.eq(ids(F.source({ "ANKARA BÜLTENİ" })), { 3 }, "a list of sources, Turkish capitals folded")
T.eq(ids(F.lang("tr")), { 1, 3, 5, 6 }, "language")
T.eq(ids(F.no_duplicates()), { 1, 2, 4, 5, 6 }, "near-duplicates hidden")
T.raises(function() F.lang() end, "bad argument #1 to 'lang'", "lang needs a value")

-- query
T.eq(ids(F.match("rusya")), { 1, 3 }, "a word matches with an apostrophe suffix, straight or curly")
T.eq(ids(F.match("rusya*")), { 1, 3, 5 }, "prefix query reaches Rusyalı")
T.eq(ids(F.match("russia")), { 2 }, "case-insensitive")
T.eq(ids(F.match("istanbul")), { 6 }, "İSTANBUL and İstanbul'a match istanbul")
T.eq(ids(F.match('"güney kore"')), { 6 }, "a phrase matches across diacritics")
T.eq(ids(F.match("kiew OR troops")), { 2, 4 }, "OR")
T.eq(ids(F.match("fidan NOT rusya")), {}, "NOT excludes")
T.eq(ids(F.match("fidan -kiew")), { 1, 3 }, "-word excludes")
T.eq(ids(F.match('"jong un"')), { 2 }, "a hyphen in the text matches a space in the query")
T.ok(F.match("rusya")({ title = "“Rusya’ya” dedi", body = "" }) and F.match("rusya")({ title = "«Rusya»", body = "" }),
  "a word after an opening curly quote or guillemet matches")
T.ok(not F.match("rusya")({ title = "Belarusya", body = "" }), "not inside a longer word")
T.raises(function() F.match('"open') end, "bad search query '\"open': unclosed quote at byte 0",
  "an unclosed quote is reported as db:search reports it")

-- entities
local fake = { scan = function(_, s)
  local found = {}
  if F.fold(s):find("fidan", 1, true) then found[#found + 1] = { type = "PERSON", id = "hakan_fidan" } end
  if F.fold(s):find("kim jong", 1, true) then found[#found + 1] = { type = "PERSON", id = "kim_jong_un" } end
  local i = 0
  return function() i = i + 1; return found[i] end
end }
local tagged = { A[6], { id = 7, title = "t", body = "b", mentions = { { type = "PERSON", entity = "istanbul" } } },
                 { id = 8, title = "t", body = "b", mentions = {} } }
local function tids(flt)
  local out = {}
  for _, a in ipairs(F.select(tagged, flt)) do out[#out + 1] = a.id end
  return out
end
T.eq(tids(F.entity("istanbul")), { 6, 7 }, "has-entity uses a plain table's mentions (id or entity field)")
T.eq(tids(F.entity_type("LOC")), { 6 }, "has-entity by type")
T.eq(tids(F.entity({ id = "istanbul", type = "LOC" })), { 6 }, "id and type together")
T.raises(function() F.select(A, F.entity("hakan_fidan")) end, "no rules were given",
  "has-entity on a plain table without mentions or rules explains what is missing")
local f = F.entity("hakan_fidan", { rules = fake }) & F.no_duplicates()
T.eq(ids(f), { 1 }, "has-entity with a rules object on plain tables, composed")
T.eq(ids(F.entity({ type = "PERSON" }, { rules = fake })), { 1, 2, 3 }, "has-entity by type with rules")
T.eq(ids(F.entity("hakan_fidan", { rules = fake, min = 2 })), { 1, 3 }, "min counts mentions (title and body)")

-- composition
T.eq(ids(F.lang("tr") & ~F.source("AA")), { 3 }, "& and ~")
T.eq(ids(F.lang("de") | F.match("troops")), { 2, 4 }, "|")
T.eq(ids(F.any({ F.lang("de"), function(a) return a.id == 5 end })), { 4, 5 }, "a plain function is a filter")
T.eq(ids(F["not"](F.all({}))), {}, "not everything is nothing")
T.eq(#ids(F.everything()), #A, "everything passes all")
T.ok(tostring(F.since("2024-11-01") & F.lang("tr")):find("since 2024-11-01 and lang tr", 1, true),
  "a filter describes itself")
T.eq((F.since("2024-11-01") & F.match("fidan") & F.no_duplicates() & F["until"]("2024-11-15")).query,
  { since = "2024-11-01", ["until"] = "2024-11-16", match = "fidan", duplicates = false },
  "the store-side part of an and-filter is merged")
T.eq((F.lang("tr") | F.lang("en")).query, nil, "an or-filter is checked in Lua only")
T.raises(function() F.all({ 42 }) end, "filter expected, got number", "a non-filter in all{} is named")

-- options from the command line
local o = { since = "2024-11-05", lang = { "tr", "de" }, no_dups = true }
T.eq(ids(F.from_options(o)), { 4, 6 }, "from_options builds the same filter as the flags")

-- a store-shaped article: fields read through __index, mentions() a method
local obj = setmetatable({}, { __index = function(_, k)
  if k == "mentions" then return function() return { { type = "ORG", id = "nato" } } end end
  return ({ title = "NATO", body = "Rutte", date = "2024-11-13", lang = "tr", source = "x" })[k]
end })
T.ok(F.entity("nato")(obj) and F.since("2024-11-13")(obj), "objects with lazy fields and :mentions() work")

-- raw JSON Lines objects as `newsdesk map` passes them: other field names
local raw = { headline = "Kuzey Kore’ye yaptırım", text = "Pyongyang açıklama yaptı.",
              published = "2024-11-19T10:00:00+03:00", site = "AA", language = "tr" }
T.ok((F.since("2024-11-19") & F.lang("tr") & F.source("aa") & F.match("pyongyang"))(raw),
  "published/headline/text/site/language are read as date/title/body/source/lang")
-- one table of field names, ingest's (core/jsonl.c), read by the filters:
-- any of its names, in any ASCII case
local fields = require("newsdesk.ingest").fields
T.eq(fields.body[1], "body", "newsdesk.ingest.fields.body starts with the field's own name")
T.ok(F.field({ metin = "Türkçe gövde" }, "body") == "Türkçe gövde", "a Turkish body name ingest knows (metin) is read")
T.ok(F.field({ pubDate = "2024-11-19" }, "date") == "2024-11-19", "an RSS pubDate is read as date")
T.ok(F.field({ Headline = "Başlık", Title = nil }, "title") == "Başlık", "names match in any ASCII case")
T.ok(F.field({ summary = "özet", content = "içerik" }, "body") == "içerik", "the preferred name wins (content before summary)")
-- a failing a:mentions() is the caller's error, not "no stored mentions"
do
  local db = newsdesk.open()
  local id = db:add({ title = "NATO", body = "Rutte", lang = "en" })
  local art = db:get(id)
  db:close()
  local ok, err = pcall(F.entity("nato"), art)
  T.ok(not ok and tostring(err):find("closed store", 1, true) ~= nil,
    "an article of a closed store raises the store's error (" .. tostring(err) .. ")")
end
T.raises(function() F.articles(nil, F.lang("tr")) end, "bad argument #1 to 'articles' (store expected, got nil)",
  "articles without a store says so")

-- the ready-made map filter
local keep = dofile("scripts/filters/north_korea_tr.lua")
T.ok(F.is_filter(keep) and type(map) == "function", "scripts/filters/north_korea_tr.lua returns its filter and defines map")
local nk = { title = "Kuzey Kore’ye yaptırım", body = "Pyongyang açıklama yaptı.", lang = "tr", date = "2024-11-19" }
T.eq(map(nk), nk, "map keeps a matching article unchanged")
T.eq(map({ title = "Kuzey Kore", body = "", lang = "en", date = "2024-11-19" }), nil, "map drops other languages")
T.eq(map({ title = "Kuzey Kore", body = "", lang = "tr", date = "2024-11-19", duplicate_of = 3 }), nil,
  "map drops near-duplicates")
local C = dofile("tests/lua/check_output.lua")
local mapped, mok = C.run(C.nd .. " map -q scripts/filters/north_korea_tr.lua < scripts/corpus/wire_2024-11.jsonl")
local kept = {}
for line in mapped:gmatch("[^\n]+") do kept[#kept + 1] = line end
T.ok(mok and #kept == 1 and kept[1]:find('"title":"Kuzey Kore ile Rusya arasındaki savunma anlaşması', 1, true),
  "newsdesk map with the filter keeps the one Turkish North Korea story of the feed" ..
  ((mok and #kept == 1) and "" or (":\n" .. mapped)))

T.done()
