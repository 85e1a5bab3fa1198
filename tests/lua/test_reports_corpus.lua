-- The whole pipeline on the sample corpus: ingest scripts/corpus into a
-- fresh store, tag it with the example analyst rules, then run every report
-- script as an analyst would (`newsdesk run scripts/reports/X.lua --db FILE`)
-- and check what it prints.
local T = dofile("tests/lua/harness.lua")
local C = dofile("tests/lua/check_output.lua")
local R = dofile("tests/lua/reports_fixture.lua")

local path, cleanup = R.temp_store()

-- ---- build the store ----------------------------------------------------------
local db = assert(newsdesk.open(path))
local st = db:ingest("scripts/corpus")
T.ok(st.added >= 30, "the corpus gives at least 30 articles (" .. tostring(st.added) .. ")")
T.ok(st.near_duplicates >= 2, "republished stories are stored as near-duplicates (" .. tostring(st.near_duplicates) .. ")")
T.eq(#(st.errors or {}), 0, "no file of the corpus is rejected")
local langs = {}
for a in db:articles() do langs[a.lang] = (langs[a.lang] or 0) + 1 end
T.ok(langs.tr and langs.en and langs.de and langs.ru, "Turkish, English, German and Russian articles")
local legacy
for a in db:articles({ match = "zengezur" }) do legacy = a end
T.ok(legacy and legacy.title:find("Erdoğan Bakü’de Aliyev ile görüştü", 1, true),
  "the Windows-1254 file is decoded (Turkish letters and curly quotes intact)")
db:tag(assert(newsdesk.rules.load("scripts/reports/my_rules.lua")))
db:close()

local run = R.program_runner(T, path)
local csv_map = R.csv_map

-- ---- top entities -------------------------------------------------------------
local out = run("top_entities", "--limit 50 --format csv")
local n = csv_map(out, 2, 4)
-- the packs list "Hakan Fidan" but not the bare "Fidan" (a common word, "sapling")
T.ok((n.hakan_fidan or 0) >= 5, "Fidan is mentioned often (" .. tostring(n.hakan_fidan) .. ")")
local all = csv_map(run("top_entities", "--limit 1000 --format csv"), 2, 4)
T.ok((all.vassily_nebenzia or 0) >= 1 and (all.jeddah or 0) >= 1 and (all.fiuggi or 0) >= 3 and (all.kcna or 0) >= 1,
  "the example rules add entities no pack has: Nebenzya, Cidde, Fiuggi, KCNA")
T.ok((n.ukraine or 0) >= 15 and (n.russia or 0) >= 15, "Ukraine and Russia are everywhere")
T.ok((n.josep_borrell or 0) >= 4, "Borrell, including the misspelt Borrel (" .. tostring(n.josep_borrell) .. ")")
T.ok((n.kim_jong_un or 0) >= 5, "Kim Jong Un in all spellings (" .. tostring(n.kim_jong_un) .. ")")
local with_dups = csv_map(run("top_entities", "--limit 50 --format csv --dups"), 2, 4)
T.ok(with_dups.hakan_fidan > n.hakan_fidan, "--dups counts the republished Fidan stories too")
out = run("top_entities", "--by type --limit 1")
T.ok(out:find("\nPERSON%s+%S+%s+[%w_]+%s+%d+%s+%d+\n") and not out:find("PERSON%s+%S+%s+[%w_]+%s+PERSON"),
  "--by type: one row per type, with the counts and without repeating the type")
out = run("top_entities", "--by source --limit 1")
T.ok(out:find("Diplomasi Masası", 1, true) and out:find("The Meridian Wire", 1, true), "one group per source")
out = run("top_entities", "--lang de --type PERSON --limit 1")
T.ok(out:find("Baerbock", 1, true), "Baerbock leads the German coverage")

-- ---- co-occurrence -------------------------------------------------------------
out = run("cooccurrence", "--scope sentence --type PERSON --limit 100 --format csv")
local pairs_ = {}
for i, row in ipairs(C.csv_parse(out)) do if i > 1 then pairs_[row[4] .. "+" .. row[5]] = tonumber(row[3]) end end
T.ok((pairs_["annalena_baerbock+hakan_fidan"] or 0) >= 2, "Fidan and Baerbock share sentences")
T.ok((pairs_["olaf_scholz+vladimir_putin"] or 0) >= 2, "Scholz and Putin share sentences")

-- ---- timeline --------------------------------------------------------------------
out = run("timeline", "--entity-id olaf_scholz --format csv")
local days = csv_map(out, 3, 4)
T.ok((days["2024-11-15"] or 0) >= 3 and days["2024-11-10"] == 0, "Scholz peaks on the day of his call with Putin")
out = run("timeline", "--interval week")
T.ok(out:find("2024%-W45") or out:find("Mentions per week, 2024%-W45"), "weekly timeline from week 45")

-- ---- concordance -------------------------------------------------------------
out = run("concordance", "rusya --lang tr --limit 100 --format json")
local kw = C.json_decode(out)
local forms = {}
for i = 1, (kw and kw.n or 0) do forms[kw[i].hit] = true end
T.ok(forms["Rusya"] and forms["Rusya’nın"] and forms["Rusya'ya"], "hits keep their suffixes as written")
out = run("concordance", "--entity-id josep_borrell")
T.ok(out:find("Borrel ", 1, true) or out:find("Borrel\n", 1, true) or out:find("%sBorrel%s"), "the misspelt Borrel appears in context")

-- ---- sources and new entities --------------------------------------------------
out = run("sources", "--format csv")
local src = csv_map(out, 1, 2)
T.ok((src["Global Desk Today"] or 0) >= 4 and (src["ТАСС"] or 0) == 1, "articles per source, Cyrillic names included")
out = run("new_entities", "--since 2024-11-18 --format csv")
local fresh = csv_map(out, 2, 4)
T.ok(fresh.rio_de_janeiro == "2024-11-18" and fresh.hakan_fidan == nil,
  "Rio is new on 18 November, Fidan is not")
out = run("top_entities", "--rules scripts/reports/my_rules.lua --lang ru")
T.ok(out:find("Лавров", 1, true) or out:find("sergey_lavrov", 1, true), "--rules finds Cyrillic names in the Russian article")

cleanup()
T.done()
