-- demo.lua — newsdesk in under a minute: the text layer on Turkish names,
-- then the bundled sample corpus (scripts/corpus) ingested into a fresh
-- store (build/demo.db), tagged with the bundled rule packs, a top-entities
-- table and a timeline on the terminal, and a self-contained HTML report.
--
--   make demo                      (the same as: build/newsdesk run scripts/demo.lua)
--
-- Each step uses what the library offers; a part that is not built yet is
-- named and skipped, so the demo always runs.
local nd = require("newsdesk")
local report = require("newsdesk.report")
local A = require("newsdesk.analysis")

local CORPUS = "scripts/corpus"
local DB_PATH = "build/demo.db"
local HTML_PATH = "build/demo-report.html"
local started = os.time()

local function section(title)
  io.write("\n", title, "\n", string.rep("─", report.width(title)), "\n")
end

local function note(s) io.write("  ", s, "\n") end

-- ---- 1. the text layer ------------------------------------------------------
section("1. Turkish-aware text: fold keys and tokens")
local text = rawget(nd, "text") or package.loaded["newsdesk.text"]
if text and text.fold then
  for _, s in ipairs({ "İSTANBUL’DA Güney Kore'nin", "Kim Jong-un’un", "DİYARBAKIR ırak IRAK" }) do
    note(string.format("%-28s fold → %s", s, text.fold(s)))
  end
  if text.lower then note("lower(\"DİYARBAKIR\", \"tr\") → " .. text.lower("DİYARBAKIR", "tr")) end
  if text.tokens then
    local line = "Kuzey Kore’nin lideri Kim Jong Un’un Rusya'ya ziyareti"
    local parts = {}
    for tok, _, _, info in text.tokens(line) do
      if type(info) == "table" and info.suffix and info.suffix ~= "" then
        parts[#parts + 1] = string.format("%s[%s + %s]", tok, info.stem, info.suffix)
      else
        parts[#parts + 1] = tok
      end
    end
    note("tokens: " .. table.concat(parts, " · "))
  end
else
  note("(newsdesk.text is not built yet; skipping)")
end

-- ---- 2. ingest --------------------------------------------------------------
section("2. Ingest the sample corpus into " .. DB_PATH)
local db
if rawget(nd, "open") then
  for _, suffix in ipairs({ "", "-wal", "-shm", "-journal" }) do os.remove(DB_PATH .. suffix) end
  db = assert(nd.open(DB_PATH))
end
local recs, rules, rules_from

-- The corpus's JSON Lines feed as article tables (used while ingest is not built).
local function read_feed()
  local list = {}
  for line in io.lines(CORPUS .. "/wire_2024-11.jsonl") do
    local t = assert(report.json_decode(line))
    list[#list + 1] = { title = t.title, body = (t.body:gsub("<[^>]+>", "\n")), date = t.published,
                        source = t.source or t.site, lang = t.lang or t.language, url = t.url or t.link }
  end
  return list
end

if db and db.ingest then
  local stats = db:ingest(CORPUS)
  note(string.format("%d files: %d articles added, %d exact duplicates, %d near-duplicates, %d repaired, %d rejected",
    stats.files or 0, stats.added or 0, stats.duplicates or 0, stats.near_duplicates or 0,
    stats.repaired or 0, stats.rejected or 0))
  for _, e in ipairs(stats.errors or {}) do
    note(string.format("skipped %s:%s: %s", tostring(e.file), tostring(e.line), tostring(e.message)))
  end
elseif db then
  note("(ingest is not built yet: adding " .. CORPUS .. "/wire_2024-11.jsonl with db:add)")
  db:transaction(function()
    for _, a in ipairs(read_feed()) do db:add(a) end
  end)
else
  note("(the store is not built yet: reading " .. CORPUS .. "/wire_2024-11.jsonl only)")
  recs = read_feed()
  for i, a in ipairs(recs) do a.id = i end
end
if db then
  local by_lang = {}
  for a in db:articles() do by_lang[a.lang or "?"] = (by_lang[a.lang or "?"] or 0) + 1 end
  local langs = {}
  for l, n in pairs(by_lang) do langs[#langs + 1] = l .. " " .. n end
  table.sort(langs)
  note(db:count() .. " articles; languages: " .. table.concat(langs, ", "))
else
  note(#recs .. " articles read")
end

-- ---- 3. tag -----------------------------------------------------------------
section("3. Find people, places and organisations")
local rules_mod = rawget(nd, "rules")
if rules_mod and rules_mod.load then
  -- the bundled rule packs (scripts/rules, embedded in the library)
  local packs = {}
  for _, name in ipairs({ "leaders", "countries", "organisations", "titles" }) do
    if rules_mod.load("pack:" .. name) then packs[#packs + 1] = "pack:" .. name end
  end
  if #packs > 0 then
    rules = assert(rules_mod.load(packs))
    rules_from = "bundled rule packs " .. table.concat(packs, ", ")
  else
    rules = assert(rules_mod.load("scripts/reports/my_rules.lua"))
    rules_from = "scripts/reports/my_rules.lua (the rule packs are not built yet)"
  end
else
  -- no rule engine yet: a plain gazetteer over the example rules
  rules = A.gazetteer(dofile("scripts/reports/my_rules.lua"))
  rules_from = "scripts/reports/my_rules.lua as a plain list (newsdesk.rules is not built yet)"
end
note("rules: " .. rules_from)
if db and db.tag then
  local st = db:tag(rules)
  if type(st) == "table" then
    note(string.format("tagged %s articles, %s mentions", tostring(st.tagged or st.articles or "?"),
      tostring(st.mentions or "?")))
  end
  recs = A.collect(db, {}, { text = true })
elseif db then
  recs = A.collect(db, { rules = nil }, { text = true })
  for _, r in ipairs(recs) do r.mentions = A.mentions(r, rules) end
else
  recs = A.records_from(recs, {}, rules)
end
local nmentions = 0
for _, r in ipairs(recs) do nmentions = nmentions + #r.mentions end
note(string.format("%d articles (near-duplicates left out), %d mentions", #recs, nmentions))

-- ---- 4. top entities --------------------------------------------------------
section("4. Top entities")
local top = A.top_entities(recs, { limit = 12 })
local top_report = report.new(top, { { key = "label", title = "entity" }, "type", "mentions", "articles" },
                              { title = nil })
top_report:print()
local bar_items = {}
for _, row in ipairs(top) do bar_items[#bar_items + 1] = { row.label or row.entity, row.mentions } end
io.write("\n", report.bars(bar_items, { width = 36 }))

-- ---- 5. timeline ------------------------------------------------------------
local series, days = A.timeline(recs, { top = 6 })
section(string.format("5. Mentions per day, %s – %s", days[1] or "…", days[#days] or "…"))
local trows = {}
for _, s in ipairs(series) do
  local values, total = {}, 0
  for i, p in ipairs(s.points) do values[i] = p[2]; total = total + p[2] end
  trows[#trows + 1] = { entity = s.name, total = total, trend = report.sparkline(values, { blank_zero = true }) }
end
report.new(trows, { "entity", "total", { key = "trend", title = "per day", max = 200 } }):print()

-- ---- 6. HTML report ---------------------------------------------------------
section("6. HTML report")
local pairs_, matrix = A.cooccurrence(recs, { limit = 15, matrix = 10 })
local srows = A.sources(recs, { limit = 12 })
local doc = report.document("newsdesk demo: diplomacy, November 2024",
  { subtitle = string.format("%d articles from %s, %d mentions; %s.", #recs, CORPUS, nmentions, rules_from) })
doc:bars("Top entities", bar_items)
doc:timeline("Mentions per day", series)
doc:matrix("Entities in the same article", matrix.labels, matrix.counts)
doc:table(top_report, "Top entities: mentions and articles")
doc:table(report.new(pairs_, { { key = "a_label", title = "entity" }, { key = "b_label", title = "with" },
                              { key = "count", title = "articles" } }), "Mentioned together")
doc:table(report.new(srows, { "source", "articles", "mentions", "entities", { key = "top", title = "top entities" } }),
          "Sources")
local kwic = A.concordance(recs, "kuzey kore", { width = 50, limit = 12 })
doc:table(report.new(kwic, { "date", "source", { key = "left", title = "", align = "right" },
                             { key = "hit", title = "hit" }, { key = "right", title = "" } }),
          "“Kuzey Kore” in context")
assert(doc:save(HTML_PATH))
local pwd = os.getenv and os.getenv("PWD")
note("wrote " .. HTML_PATH .. " — open it in a browser:")
note("  file://" .. (pwd and (pwd .. "/") or "") .. HTML_PATH)
if db and db.close then db:close() end
note(string.format("done in %d s", os.time() - started))
