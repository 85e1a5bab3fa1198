-- Every report script run as an analyst runs it (`newsdesk run
-- scripts/reports/X.lua --db FILE`) on a real store: the corpus's JSON Lines
-- feed added with db:add and tagged with db:tag and the fixed gazetteer
-- (tests/data/reports/entities.lua).
local T = dofile("tests/lua/harness.lua")
local C = dofile("tests/lua/check_output.lua")
local R = dofile("tests/lua/reports_fixture.lua")

local path, cleanup = R.temp_store()

local db = assert(newsdesk.open(path))
db:transaction(function()
  for _, a in ipairs(R.wire_articles()) do
    a.id = nil
    db:add(a)
  end
  -- a republished copy with a small edit: stored as a near-duplicate
  local copy = R.wire_articles()[2]
  copy.id, copy.source = nil, "Copy Desk"
  copy.body = copy.body .. " (republished)"
  db:add(copy)
end)
T.eq(db:count(), 8, "eight articles in the store")
db:tag(assert(newsdesk.rules.load("tests/data/reports/entities.lua")))
local stored = 0
for a in db:articles() do stored = stored + #a:mentions() end
T.ok(stored > 40, "db:tag stored the mentions (" .. stored .. ")")
db:close()

local run = R.program_runner(T, path)
local csv_col = R.csv_map

-- top entities: stored mentions, near-duplicates left out unless --dups
local n = csv_col(run("top_entities", "--limit 50 --format csv"), 2, 4)
T.eq({ n.ukraine, n.antonio_guterres, n.sergey_lavrov }, { 5, 4, 3 }, "stored mentions are counted")
n = csv_col(run("top_entities", "--limit 50 --format csv --dups"), 2, 4)
T.eq(n.sergey_lavrov, 6, "--dups counts the republished copy too")
local out = run("top_entities", "--by lang --limit 1")
T.ok(out:find("de%s+Macron") and out:find("tr%s+Erdoğan"), "--by lang")
n = csv_col(run("top_entities", "--since 2024-11-20 --until 2024-11-21 --format csv"), 2, 4)
T.eq({ n.antonio_guterres, n.sergey_lavrov }, { 3, nil }, "a date window through the store")
n = csv_col(run("top_entities", "--match pyongyang --format csv"), 2, 4)
T.eq(n, {}, "a query matching nothing gives an empty table")
n = csv_col(run("top_entities", "--match kremlin --format csv"), 2, 4)
T.eq(n.vladimir_putin, 1, "a full-text query selects the articles")

-- co-occurrence by sentence uses the stored offsets
local pairs_ = {}
for i, row in ipairs(C.csv_parse(run("cooccurrence", "--scope sentence --limit 100 --format csv"))) do
  if i > 1 then pairs_[row[4] .. "+" .. row[5]] = tonumber(row[3]) end
end
T.eq(pairs_["emmanuel_macron+olaf_scholz"], 2, "Macron and Scholz share two sentences")
T.eq(pairs_["g20+lula"], nil, "G20 and Lula do not share a sentence")

-- timeline
local days = csv_col(run("timeline", "--entity-id antonio_guterres --format csv"), 3, 4)
T.eq({ days["2024-11-21"], days["2024-11-24"], days["2024-11-22"] }, { 3, 1, 0 }, "Guterres per day")

-- concordance: original text around stored mentions and around a term
local kw = C.json_decode(run("concordance", "--entity-id russia --format json"))
T.ok(kw and kw.n == 3 and kw[2].left:find("Kuzey Kore ile $") and kw[2].hit == "Rusya",
  "entity concordance from stored offsets")
kw = C.json_decode(run("concordance", "\"kuzey kore\" --format json"))
T.ok(kw and kw.n == 2 and kw[1].hit == "Kuzey Kore", "term concordance")

-- sources and new entities
local src = csv_col(run("sources", "--format csv --dups"), 1, 3)
T.eq({ src["Meridian Wire Service"], src["Copy Desk"] }, { 10, 10 }, "mentions per source")
local fresh = csv_col(run("new_entities", "--since 2024-11-20 --format csv"), 2, 4)
T.eq({ fresh.xi_jinping, fresh.russia }, { "2024-11-20", nil }, "new entities in a window")
out = run("new_entities", "--since 2024-11-20 --format html")
T.ok(C.tags_balanced(out) and out:find('data-chart="bars"', 1, true), "HTML output through the program")

-- mistakes are explained
out = C.run(C.nd .. " run scripts/reports/top_entities.lua --db " .. path .. ".missing.db")
T.ok(out:find("no store at " .. path .. ".missing.db", 1, true), "a missing store is named")
out = C.run(C.nd .. " run scripts/reports/timeline.lua --db " .. path .. " --interval month")
T.ok(out:find("option --interval: day or week expected", 1, true), "a bad option value is named")

cleanup()
T.done()
