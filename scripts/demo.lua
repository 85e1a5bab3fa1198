-- demo.lua — newsdesk in under a minute: the text layer on Turkish names,
-- then the bundled sample corpus (scripts/corpus) ingested into a fresh
-- store (build/demo.db), tagged with the bundled rule packs, a top-entities
-- table and a timeline on the terminal, and a self-contained HTML report.
--
--   make demo                      (the same as: build/newsdesk run scripts/demo.lua)
--   newsdesk run /usr/share/newsdesk/scripts/demo.lua OUTDIR   (installed package)
--
-- The corpus is read from beside this script; the store and the report are
-- written to OUTDIR (default build/).  The same steps by hand: README.md,
-- "Analyst walkthrough".
local nd = require("newsdesk")
local report = require("newsdesk.report")
local A = require("newsdesk.analysis")
local text = nd.text

local HERE = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local CORPUS = HERE .. "/corpus"
local OUT = arg and arg[1] or "build"
local DB_PATH = OUT .. "/demo.db"
local HTML_PATH = OUT .. "/demo-report.html"
local PACKS = { "pack:leaders", "pack:countries", "pack:organisations", "pack:turkey", "pack:titles" }
local started = os.time()

local function section(title)
  io.write("\n", title, "\n", string.rep("─", report.width(title)), "\n")
end

local function note(s) io.write("  ", s, "\n") end

-- ---- 1. the text layer ------------------------------------------------------
section("1. Turkish-aware text: fold keys and tokens")
for _, s in ipairs({ "İSTANBUL’DA Güney Kore'nin", "Kim Jong-un’un", "DİYARBAKIR ırak IRAK" }) do
  note(string.format("%-28s fold → %s", s, text.fold(s)))
end
note("lower(\"DİYARBAKIR\", \"tr\") → " .. text.lower("DİYARBAKIR", "tr"))
local parts = {}
for tok, _, _, info in text.tokens("Kuzey Kore’nin lideri Kim Jong Un’un Rusya'ya ziyareti") do
  if info.suffix and info.suffix ~= "" then
    parts[#parts + 1] = string.format("%s[%s + %s]", tok, info.stem, info.suffix)
  else
    parts[#parts + 1] = tok
  end
end
note("tokens: " .. table.concat(parts, " · "))

-- ---- 2. ingest --------------------------------------------------------------
section("2. Ingest the sample corpus into " .. DB_PATH)
for _, suffix in ipairs({ "", "-wal", "-shm", "-journal" }) do os.remove(DB_PATH .. suffix) end
local db = assert(nd.open(DB_PATH))
local stats = db:ingest(CORPUS)
note(string.format("%d files: %d articles added, %d exact duplicates, %d near-duplicates, %d repaired, %d rejected",
  stats.files, stats.added, stats.duplicates, stats.near_duplicates, stats.repaired, stats.rejected))
for _, e in ipairs(stats.errors or {}) do
  note(string.format("skipped %s:%s: %s", tostring(e.file), tostring(e.line), tostring(e.message)))
end
local by_lang = {}
for a in db:articles() do by_lang[a.lang or "?"] = (by_lang[a.lang or "?"] or 0) + 1 end
local langs = {}
for l, n in pairs(by_lang) do langs[#langs + 1] = l .. " " .. n end
table.sort(langs)
note(db:count() .. " articles; languages: " .. table.concat(langs, ", "))

-- ---- 3. tag -----------------------------------------------------------------
section("3. Find people, places and organisations")
local rules = assert(nd.rules.load(PACKS))
note("rules: the bundled packs " .. table.concat(PACKS, ", ") .. ", and discovery for names no pack lists")
local st = db:tag(rules, nil, { discover = true })
note(string.format("tagged %s articles, %s mentions", tostring(st.tagged), tostring(st.mentions)))
local recs = A.collect(db, {}, { text = true })
local nmentions = 0
for _, r in ipairs(recs) do nmentions = nmentions + #r.mentions end
note(string.format("%d articles (near-duplicates left out), %d mentions", #recs, nmentions))

-- ---- 4. top entities --------------------------------------------------------
section("4. Top entities")
-- one display language (the corpus's main one), and the names discovery
-- found beside the packs' entities: at least four of them, marked
local top = A.top_entities(recs, { limit = 14, discovered = 4 })
local top_report = report.new(top, { { key = "label", title = "entity" }, "type", "mentions", "articles",
                                     { key = "found", title = "found by" } },
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
  { subtitle = string.format("%d articles from %s, %d mentions; rule packs %s.", #recs, CORPUS, nmentions,
                             table.concat(PACKS, ", ")),
    made = { { "Corpus", CORPUS .. " (" .. #recs .. " articles, near-duplicates left out)" },
             { "Selection", "every article; concordance of “kuzey kore”" },
             { "Rule sets", table.concat(PACKS, ", ") .. ", with name discovery" } } })
doc:bars("Top entities", bar_items, { caption = "Mentions of each entity across the corpus." })
doc:timeline("Mentions per day", series, { y_title = "mentions", x_title = "day of publication" })
doc:matrix("Entities in the same article", matrix.labels, matrix.counts,
  { caption = "Each number counts the articles that mention both the row and the column entity " ..
              "(near-duplicates left out); darker is more." })
doc:table(top_report, "Top entities: mentions and articles")
doc:table(report.new(pairs_, { { key = "a_label", title = "entity" }, { key = "b_label", title = "with" },
                              { key = "count", title = "articles" } }), "Mentioned together")
doc:table(report.new(srows, { { key = "source", nowrap = true }, "articles", "mentions", "entities", { key = "top", title = "top entities" } }),
          "Sources")
local kwic = A.concordance(recs, "kuzey kore", { width = 50, limit = 12 })
-- one line per hit, as a concordance reads (narrow screens scroll sideways)
doc:table(report.new(kwic, { "date", { key = "source", nowrap = true },
                             { key = "left", title = "before", align = "right", nowrap = true },
                             { key = "hit", title = "hit", nowrap = true },
                             { key = "right", title = "after", nowrap = true } }),
          "“Kuzey Kore” in context")
assert(doc:save(HTML_PATH))
local pwd = os.getenv and os.getenv("PWD")
note("wrote " .. HTML_PATH .. " — open it in a browser:")
note("  file://" .. (pwd and HTML_PATH:sub(1, 1) ~= "/" and (pwd .. "/") or "") .. HTML_PATH)
db:close()
note(string.format("done in %d s", os.time() - started))
