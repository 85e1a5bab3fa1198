-- The report scripts (scripts/reports/*.lua) run in-process on the sample
-- corpus's JSON Lines feed, tagged by stand-in rules, through a store
-- stand-in: their output is checked the way an analyst would read it.
-- (test_reports_corpus.lua runs them on the real store built from the
-- whole corpus.)
local T = dofile("tests/lua/harness.lua")
local C = dofile("tests/lua/check_output.lua")
local R = dofile("tests/lua/reports_fixture.lua")
local report = require("newsdesk.report")

local rules = R.gazetteer(R.ENTITIES)
local store = R.fake_store(R.tagged(R.wire_articles(), rules))

local function run(name, argv)
  local out, ok, err = R.run("scripts/reports/" .. name .. ".lua", argv, store)
  T.ok(ok, name .. " " .. table.concat(argv, " ") .. " runs" .. (ok and "" or (": " .. tostring(err))))
  return out, err
end

local function lines(s)
  local t = {}
  for l in s:gmatch("([^\n]*)\n") do t[#t + 1] = l end
  return t
end

-- every script says what it does and how to run it
for _, name in ipairs({ "top_entities", "cooccurrence", "timeline", "concordance", "sources", "new_entities" }) do
  local f = assert(io.open("scripts/reports/" .. name .. ".lua"))
  local head = f:read("a"):sub(1, 600)
  f:close()
  T.ok(head:find("^%-%- " .. name .. "%.lua — ") and head:find("newsdesk run scripts/reports/" .. name .. ".lua", 1, true),
    name .. ".lua starts with a comment saying what it does and how to run it")
  local help = run(name, { "--help" })
  T.ok(help:find("usage: newsdesk run scripts/reports/" .. name, 1, true) and help:find("--rules FILE", 1, true),
    name .. " --help prints its usage with the common options")
end

-- ---- top entities ---------------------------------------------------------
local out = run("top_entities", {})
local l = lines(out)
T.eq(l[1], "Top entities", "title line")
T.ok(l[4]:find("^Ukrayna%s+ukraine%s+LOC%s+5%s+3$"), "Ukrayna (the label in the corpus main language, tr) leads with 5 mentions in 3 articles: " .. tostring(l[4]))
T.ok(out:find("Erdoğan%s+recep_tayyip_erdogan%s+PERSON%s+3%s+1"), "Erdoğan with 3 mentions in one article")
T.ok(out:find("\nUkrayna%s+█") and out:find("█ 5\n"), "a bar chart follows the table")
out = run("top_entities", { "--label-lang", "en", "--limit", "1" })
T.ok(lines(out)[4]:find("^Ukraine%s+ukraine"), "--label-lang en names it in English: " .. tostring(lines(out)[4]))
out = run("top_entities", { "--limit", "3", "--type", "PERSON" })
l = lines(out)
T.ok(l[4]:find("^Guterres") and l[6]:find("PERSON") and l[7] == "", "--type PERSON --limit 3: three people")
out = run("top_entities", { "--by", "source", "--limit", "1" })
T.ok(out:find("Kuzey Postası Ajans%s+Erdoğan") and out:find("Meridian Wire Service%s+Lavrov"),
  "--by source gives the top entity of each source")
out = run("top_entities", { "--lang", "de" })
T.ok(out:find("Macron%s+emmanuel_macron%s+PERSON%s+3") and not out:find("Erdoğan", 1, true),
  "--lang de counts only the German articles")
out = run("top_entities", { "--since", "2024-11-20", "--until", "2024-11-21" })
T.ok(out:find("Guterres%s+antonio_guterres%s+PERSON%s+3%s+1") and not out:find("Lavrov", 1, true),
  "a date window")
local _, _, err = R.run("scripts/reports/top_entities.lua", { "--by", "colour" }, store)
T.ok(tostring(err):find("option --by: type, source, lang, day or week expected", 1, true), "a bad --by is explained")

-- formats
out = run("top_entities", { "--format", "csv", "--limit", "2" })
T.eq(C.csv_parse(out), { { "entity", "id", "type", "mentions", "articles" },
  { "Ukrayna", "ukraine", "LOC", "5", "3" }, { "Guterres", "antonio_guterres", "PERSON", "4", "2" } }, "CSV output")
out = run("top_entities", { "--format", "json", "--limit", "2" })
local v = C.json_decode(out)
T.ok(v and v[1].entity == "ukraine" and v[1].mentions == 5 and v.n == 2, "JSON output")
out = run("top_entities", { "--format", "md", "--limit", "1" })
T.ok(out:find("| Ukrayna | ukraine | LOC | 5 | 3 |", 1, true), "Markdown output")
local html_path = os.tmpname() .. ".html"
run("top_entities", { "--output", html_path })
local f = assert(io.open(html_path, "rb"))
local html = f:read("a")
f:close()
os.remove(html_path)
T.ok(C.tags_balanced(html), "--output x.html writes balanced HTML")
T.ok(html:find('data-chart="bars"', 1, true) and html:find('data-label="Ukrayna" data-value="5"', 1, true),
  "the HTML has the bar chart with its data")

-- ---- co-occurrence --------------------------------------------------------
out = run("cooccurrence", {})
T.ok(out:find("Guterres%s+Bakü%s+2%s+antonio_guterres%s+baku"), "Guterres and Baku together in 2 articles")
out = run("cooccurrence", { "--scope", "sentence", "--format", "csv", "--limit", "100" })
local rows = C.csv_parse(out)
-- (the two id columns were both headed "id", which no reader of the table
-- could tell apart: issue 21)
T.eq(rows[1], { "entity", "with", "sentences", "entity id", "with id" }, "sentence scope header: every column its own name")
local pairs_ = {}
for i = 2, #rows do pairs_[rows[i][4] .. "+" .. rows[i][5]] = tonumber(rows[i][3]) end
T.eq(pairs_["emmanuel_macron+olaf_scholz"], 2, "Macron and Scholz share the title and the first sentence")
T.eq(pairs_["emmanuel_macron+ukraine"], nil, "Macron and Ukraine are in different sentences")
T.eq(pairs_["g20+xi_jinping"], 1, "Xi and the G20 share a sentence")
T.eq(pairs_["lula+xi_jinping"], nil, "Xi and Lula are in different sentences")
out = run("cooccurrence", { "--format", "html", "--type", "PERSON" })
T.ok(C.tags_balanced(out) and out:find('data-chart="matrix"', 1, true)
     and out:find('data-row="Macron" data-col="Olaf Scholz" data-value="1"', 1, true), "HTML matrix")
T.ok(out:find("<figcaption>Each number counts the articles that mention both", 1, true),
  "the HTML matrix says what its numbers count")
T.ok(out:find("<th>entity id</th><th>with id</th>", 1, true), "the HTML table's id columns have their own headers")
T.ok(out:find("<dt>Command</dt><dd>newsdesk run [^<]*cooccurrence%.lua [^<]*%-%-type PERSON</dd>")
     and out:find("<dt>Selection</dt><dd>type PERSON", 1, true),
  "the HTML footer gives the command and the selection it was made with")

-- ---- timeline -------------------------------------------------------------
out = run("timeline", { "--entity-id", "antonio_guterres,russia" })
l = lines(out)
T.eq(l[1], "Mentions per day, 2024-11-09 – 2024-11-24", "the span of the data")
T.ok(l[4]:find("^Guterres%s+antonio_guterres%s+4%s+2024%-11%-21%s+") and l[4]:find("▁▁▁▁▁▁▁▁▁▁▁▁█▁▁▃", 1, true),
  "Guterres sparkline: " .. tostring(l[4]))
T.eq(report.width(l[4]:match("([▁▂▃▄▅▆▇█]+)$")), 16, "one sparkline character per day")
out = run("timeline", { "--interval", "week", "--format", "csv", "--entity-id", "russia" })
T.eq(C.csv_parse(out), { { "entity", "label", "week", "mentions" }, { "russia", "Rusya", "2024-W45", "3" },
  { "russia", "Rusya", "2024-W46", "0" }, { "russia", "Rusya", "2024-W47", "0" } }, "weekly CSV in long form")
out = run("timeline", { "--format", "html", "--chart", "bars", "--top", "2" })
T.ok(C.tags_balanced(out) and out:find('data-x="2024-11-21" data-y="3"', 1, true)
     and out:find('<rect class="point"', 1, true), "HTML timeline with bars")

-- ---- concordance ----------------------------------------------------------
out = run("concordance", { "rusya" })
l = lines(out)
T.eq(l[1], "“rusya” in context: 3 hits", "hit count")
local c1 = report.width(l[4]:match("^(.-)Rusya"))
T.ok(c1 == report.width(l[5]:match("^(.-)Rusya")) and c1 == report.width(l[6]:match("^(.-)Rusya")),
  "hits are aligned in one column")
T.ok(out:find("Kuzey Kore ile   Rusya   arasındaki", 1, true), "original text around the hit")
out = run("concordance", { "zelenskiy", "--width", "12" })
T.ok(out:find("Zelenskiy%s+ile telefo…") and out:find("…u söyledi.%s+Zelenskiy%s+ise Karade…"),
  "another term, with narrow context")
local _, _, cerr = R.run("scripts/reports/concordance.lua", {}, store)
T.ok(tostring(cerr):find("give a TERM or --entity-id", 1, true), "no term is explained")
out = run("concordance", { "--entity-id", "vladimir_putin", "--format", "json" })
v = C.json_decode(out)
T.ok(v and v.n == 1 and v[1].hit == "Vladimir Putin'in", "entity concordance keeps the suffix as written")

-- ---- sources ----------------------------------------------------------------
out = run("sources", {})
T.ok(out:find("Kuzey Postası Ajans%s+1%s+11%s+6%s+Erdoğan %(3%), Zelenskiy %(3%), Ukrayna %(2%)"),
  "per-source counts and top entities")
T.ok(out:find("Mentions per source and entity", 1, true) and out:find("Meridian Wire Service%s+2%s+0%s+0%s+0%s+0%s+3"),
  "source × entity table")
out = run("sources", { "--format", "html" })
T.ok(C.tags_balanced(out) and out:find('data-label="Global Desk Today" data-value="1"', 1, true), "HTML sources")

-- ---- new entities -------------------------------------------------------
out = run("new_entities", { "--since", "2024-11-18", "--type", "PERSON" })
l = lines(out)
T.eq(l[1], "New entities 2024-11-18 – …: 4", "people first seen since 18 November")
T.ok(l[4]:find("^Xi Jinping%s+xi_jinping%s+PERSON%s+2024%-11%-20%s+Rheinische"), "earliest first")
T.ok(not out:find("Erdoğan", 1, true), "people seen before the window are not new")
out = run("new_entities", { "--days", "3" })
T.ok(out:find("^New entities 2024%-11%-22 – …: 1") and out:find("İlham Aliyev", 1, true),
  "default window: the last days of the data")
out = run("new_entities", { "--since", "2024-11-10", "--until", "2024-11-13", "--format", "csv" })
rows = C.csv_parse(out)
local ids = {}
for i = 2, #rows do ids[#ids + 1] = rows[i][2] end
table.sort(ids)
T.eq(ids, { "andrii_sybiha", "cho_tae_yul", "emmanuel_macron", "eu", "moscow", "nato", "north_korea",
            "olaf_scholz", "sergey_lavrov", "south_korea", "vladimir_putin" },
  "a closed window: Russia and Erdoğan (9 November) are not new")

-- ---- an analyst's own rules file, through newsdesk.rules ----------------
if rawget(newsdesk, "rules") then
  out = run("top_entities", { "--rules", "tests/data/reports/entities.lua", "--limit", "40", "--format", "csv" })
  rows = C.csv_parse(out)
  local n = {}
  for i = 2, #rows do n[rows[i][2]] = tonumber(rows[i][4]) end
  T.eq({ n.ukraine, n.antonio_guterres, n.russia, n.volodymyr_zelensky }, { 5, 4, 3, 3 },
    "--rules FILE: the rule engine finds the same mentions in the feed")
  local _, _, rerr = R.run("scripts/reports/top_entities.lua", { "--rules", "no/such/rules.lua" }, store)
  T.ok(tostring(rerr):find("no/such/rules.lua", 1, true), "a missing rules file is named")
  out = run("concordance", { "--entity-id", "kim_jong_un", "--rules", "tests/data/reports/entities.lua" })
  T.ok(out:find("in context: 0 hits", 1, true), "no Kim Jong Un in the feed")
  out = run("concordance", { "--entity-id", "russia", "--rules", "tests/data/reports/entities.lua", "--format", "json" })
  local kv = C.json_decode(out)
  T.ok(kv and kv.n == 3 and kv[1].hit == "Rusya", "entity concordance with rules uses the rule engine's offsets")
end

T.done()
