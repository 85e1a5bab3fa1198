-- What an analyst notices in the reports: one row per source however its
-- name is written, no "?" or empty rows without a word, new entities that
-- are really new (not an old one under another id), an example rules file
-- that adds something, and dates in one shape per listing.
local T = dofile("tests/lua/harness.lua")
local C = dofile("tests/lua/check_output.lua")
local R = dofile("tests/lua/reports_fixture.lua")
local A = require("newsdesk.analysis")

local function rec(id, day, source, mentions, date)
  return { id = id, day = day, date = date or day, source = source, lang = "tr", mentions = mentions or {} }
end
local function m(id, typ, text) return { id = id, type = typ, text = text or id } end

-- ---- sources: the rule ---------------------------------------------------------
T.eq(A.source_key("Kuzey Postası Ajans"), "kuzey postasi", "a trailing Ajans does not count")
T.eq(A.source_key("KUZEY POSTASI"), "kuzey postasi", "nor case or diacritics")
T.eq(A.source_key("Anka Haber Ajansı"), "anka haber", "Ajansı")
T.eq(A.source_key("Reuters News Agency"), "reuters news", "Agency")
T.eq(A.source_key("Informations-Agentur"), "informations", "Agentur, a hyphen is punctuation")
T.eq(A.source_key("Информационное Агентство"), "информационное", "Агентство")
T.eq(A.source_key("The Meridian Wire"), "meridian wire", "a leading The")
T.eq(A.source_key("Ajans"), "ajans", "a name that is only the agency word keeps it")
T.eq(A.source_key("  "), nil, "a blank source is no source")

-- ---- sources: the table ----------------------------------------------------
local recs = {
  rec(1, "2024-11-01", "Kuzey Postası", { m("russia", "COUNTRY"), m("ukraine", "COUNTRY") }),
  rec(2, "2024-11-02", "Kuzey Postası", { m("russia", "COUNTRY") }),
  rec(3, "2024-11-03", "Kuzey Postası Ajans", { m("russia", "COUNTRY") }),
  rec(4, "2024-11-03", "kuzey postası.", { m("ukraine", "COUNTRY") }),
  rec(5, "2024-11-04", "AA", { m("russia", "COUNTRY") }),
  rec(6, "2024-11-04", "Anadolu Ajansı", { m("russia", "COUNTRY") }),
  rec(7, "2024-11-05", nil, { m("russia", "COUNTRY") }),
  rec(8, "2024-11-05", "Sessiz Gazete", {}),
}
local rows, matrix, info = A.sources(recs)
local by = {}
for _, r in ipairs(rows) do by[r.source] = r end
T.eq(by["Kuzey Postası"] and by["Kuzey Postası"].articles, 4,
  "Kuzey Postası, Kuzey Postası Ajans and 'kuzey postası.' are one source, named as most articles write it")
T.eq(by["Kuzey Postası Ajans"], nil, "... with no second row")
T.eq(by["Kuzey Postası"].spellings, "Kuzey Postası; Kuzey Postası Ajans; kuzey postası.", "the row says how it was written")
T.ok(by["AA"] and by["AA"].articles == 2 and not by["Anadolu Ajansı"], "the alias table joins AA and Anadolu Ajansı")
T.eq({ by["?"], by["(no source)"], by["Sessiz Gazete"] }, {}, "no '?' row and no row with 0 mentions")
T.eq({ info.unsourced, info.silent }, { 1, 1 }, "what was left out is counted")
T.eq(A.sources_note(info), "1 article had no source and is not in the table; 1 source with no mentions left out (--all lists them).",
  "the note under the table says so")
T.eq(#matrix.sources, #rows, "the source × entity table has the same rows")
local all = A.sources(recs, { all = true })
local names = {}
for _, r in ipairs(all) do names[r.source] = r.mentions end
T.eq({ names["(no source)"], names["Sessiz Gazete"] }, { 1, 0 }, "all = true lists them")

local aliases = os.tmpname()
local f = assert(io.open(aliases, "w"))
f:write('return { { "Kuzey Postası", "North Post" } }\n')
f:close()
recs[#recs + 1] = rec(9, "2024-11-06", "North Post", { m("russia", "COUNTRY") })
rows = A.sources(recs, { aliases = { aliases } })
T.ok(rows[1].source == "Kuzey Postası" and rows[1].articles == 5, "an analyst's alias file joins a translation")
f = assert(io.open(aliases, "w"))
f:write('return { "North Post" }\n')
f:close()
T.raises(function() A.sources(recs, { aliases = { aliases } }) end, "entry 1: a list of names expected",
  "a malformed alias file is named with the entry")
os.remove(aliases)

-- ---- new entities: by entity, not by id -----------------------------------
if rawget(newsdesk, "rules") and newsdesk.rules.entity_id then
  T.eq(newsdesk.rules.entity_id("Kim Jong-un’un"), "kim jong un", "newsdesk.rules.entity_id is the library's id rule")
  local hist = {
    rec(1, "2024-11-01", "DHA", { m("kuzey kore", "LOC", "Kuzey Kore"), m("turkiye", "LOC", "Türkiye"),
                                  m("фидан", "PERSON", "Фидан") }),
    rec(2, "2024-11-10", "AA", { m("north_korea", "COUNTRY", "Kuzey Kore’nin"), m("turkey", "COUNTRY", "Türkiye"),
                                 m("hakan_fidan", "PERSON", "Hakan Fidan"), m("tallinn", "LOC", "Tallinn") }),
  }
  local fresh = A.new_entities(hist, "2024-11-05")
  local ids = {}
  for _, r in ipairs(fresh) do ids[#ids + 1] = r.entity end
  T.eq(ids, { "tallinn" }, "North Korea, Türkiye and Fidan were seen before under other ids: only Tallinn is new")
  T.eq(A.entity_of(m("kuzey kore", "LOC", "Kuzey Kore")), "north_korea", "a discovered name maps to the pack entity")
  T.eq(A.entity_of(m("tallinn", "LOC", "Tallinn")), "tallinn", "a name no pack has stays itself")
  local early = A.new_entities(hist, "2024-11-01", "2024-11-01")
  T.eq(#early, 3, "in the first window the three are new, once each (" .. #early .. ")")
  T.ok(early[1].entity == "hakan_fidan" or early[1].entity == "north_korea" or early[1].entity == "turkey",
    "... under their pack ids")
end

-- ---- my_rules.lua adds something new, with the packs' types ------------------
local mine = dofile("scripts/reports/my_rules.lua")
local idx = A.pack_index()
local PACK_TYPES = { PERSON = true, ORG = true, CITY = true, COUNTRY = true, NORP = true }
local n_new = 0
for _, group in ipairs(mine) do
  if type(group) == "table" then
    for _, e in ipairs(group.entities or { group }) do
      n_new = n_new + 1
      local t = e.type or group.type
      T.ok(PACK_TYPES[t], e.id .. " has a type the packs use (" .. tostring(t) .. ")")
      T.ok(not idx.names[e.id], e.id .. " is not a pack id")
      for _, name in ipairs(e.names) do
        local k = A.name_key(name)
        T.ok(not (k and idx.names[k]), e.id .. ": no pack already lists " .. name)
      end
    end
  end
end
T.ok(n_new >= 5, "the example adds several entities (" .. n_new .. ")")
-- the README walkthrough adds an entity of its own: new, and not yet in my_rules.lua
local readme = assert(io.open("README.md")):read("a")
local step6 = readme:match("%*%*6%. A first entity rule%.%*%*(.-)\n## ")
T.ok(step6, "the README has the entity-rule step")
local added = 0
for typ, id in (step6 or ""):gmatch('{ type = "(%u+)", id = "([%w_]+)"') do
  added = added + 1
  T.ok(PACK_TYPES[typ], "README: " .. id .. " uses a pack type")
  T.ok(not idx.names[id], "README: " .. id .. " is not in the packs")
  local there = false
  for _, group in ipairs(mine) do
    if type(group) == "table" then for _, e in ipairs(group.entities or {}) do there = there or e.id == id end end
  end
  T.ok(not there, "README: " .. id .. " is not already in my_rules.lua")
end
T.ok(added >= 1, "the README step adds at least one entity")

-- ---- dates: one shape per listing ---------------------------------------------
local stored = { "2024-11-10T09:00:00+03:00", "2024-11-13T12:10", "2024-11-19" }
local function shapes(fmt)
  local out = {}
  for i, d in ipairs(stored) do out[i] = A.format_date(d, fmt) end
  return out
end
T.eq(shapes(), { "2024-11-10", "2024-11-13", "2024-11-19" }, "day is the default")
T.eq(shapes("minute"), { "2024-11-10 09:00", "2024-11-13 12:10", "2024-11-19 --:--" },
  "minute: the time as written, dashes where the source gave none")
T.eq(shapes("iso"), stored, "iso: as stored")
T.eq(shapes("%d %b %Y"), { "10 Nov 2024", "13 Nov 2024", "19 Nov 2024" }, "a pattern")
T.eq(A.format_date("dün", "minute"), "dün", "a date that is not ISO is shown as stored")
T.ok(not A.check_date_format("%Q") and not A.check_date_format("weekly") and A.check_date_format("%H:%M"),
  "formats are checked")

-- ---- through the program, on the real corpus -----------------------------------
local path, cleanup = R.temp_store()
local db = assert(newsdesk.open(path))
db:ingest("scripts/corpus")
db:tag(assert(newsdesk.rules.load("pack:world")))
db:close()
local run = R.program_runner(T, path)
local out = run("sources", "")
T.ok(out:find("\nKuzey Postası%s+3%s") and not out:find("\nKuzey Postası Ajans%s"), "sources: Kuzey Postası is one row of 3 articles")
T.ok(not out:find("\n%?%s") and out:find("1 article had no source and is not in the table", 1, true),
  "sources: no '?' row, a note instead")
out = run("sources", "--all --format csv")
T.ok(out:find("\n%(no source%),1,", 1, false), "sources --all lists the article with no source")
out = run("concordance", "\"kuzey kore\" --lang tr --date-format minute --format csv")
local dates, odd = 0, {}
for i, row in ipairs(C.csv_parse(out)) do
  if i > 1 then
    dates = dates + 1
    if not row[1]:match("^%d%d%d%d%-%d%d%-%d%d [%d%-][%d%-]:[%d%-][%d%-]$") then odd[#odd + 1] = row[1] end
  end
end
T.ok(dates >= 4 and #odd == 0, "concordance --date-format minute: every date in one shape (" .. table.concat(odd, ", ") .. ")")
out = run("new_entities", "--since 2024-11-18 --format csv")
local fresh = R.csv_map(out, 2, 4)
T.ok(fresh.brazil and not fresh.turkey and not fresh.hakan_fidan, "new_entities on the corpus: Brazil is new, Türkiye and Fidan are not")
local bad, ok = C.run(C.nd .. " run scripts/reports/concordance.lua rusya --db " .. path .. " --date-format weekly")
T.ok(not ok and bad == "scripts/reports/concordance.lua: option --date-format: day, iso, minute or a pattern such as \"%d %b %Y\" expected, got \"weekly\"\n",
  "a bad --date-format is one line naming the option: " .. bad)
cleanup()

T.done()
