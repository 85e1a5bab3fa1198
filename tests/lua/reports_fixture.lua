-- reports_fixture.lua: run a report script in this process against a store
-- stand-in, capturing what it writes (not a test itself).
--   local R = dofile("tests/lua/reports_fixture.lua")
--   local store = R.fake_store(articles)          -- db:articles() over tables
--   local out, ok, err = R.run("scripts/reports/x.lua", {"--since", "..."}, store)
--   local rules = R.gazetteer({ {id=, type=, names={...}}, ... })  -- rules:scan stand-in
local A = require("newsdesk.analysis")
local R = {}

-- A rules object with :scan(s) yielding matches like newsdesk.rules does.
R.gazetteer = A.gazetteer

-- A store stand-in: db:articles(q) returns a generic-for triple over the
-- tables, like the store (q ignored: the filters decide in Lua).
function R.fake_store(list)
  return { articles = function(_, _q)
    local cursor = { i = 0 }
    return function(c, _ctl)
      assert(c == cursor, "iterated without its state")
      c.i = c.i + 1
      return list[c.i]
    end, cursor, nil
  end }
end

-- Plain articles with mentions found by rules (as db:tag would store).
function R.tagged(list, rules)
  for _, a in ipairs(list) do
    a.mentions = {}
    for _, fname in ipairs({ "title", "body" }) do
      for m in rules:scan(a[fname] or "") do
        m.field = fname
        a.mentions[#a.mentions + 1] = m
      end
    end
  end
  return list
end

-- Run script with argv and the global db set to store; → output, ok, err.
function R.run(script, argv, store)
  local saved_db, saved_arg = rawget(_G, "db"), rawget(_G, "arg")
  rawset(_G, "db", store)
  local a = { [0] = script }
  for i, v in ipairs(argv or {}) do a[i] = v end
  rawset(_G, "arg", a)
  local tmp = os.tmpname()
  local f = assert(io.open(tmp, "w"))
  local old = io.output()
  io.output(f)
  local ok, err = pcall(dofile, script)
  io.output(old)
  f:close()
  f = assert(io.open(tmp, "rb"))
  local out = f:read("a")
  f:close()
  os.remove(tmp)
  rawset(_G, "db", saved_db)
  rawset(_G, "arg", saved_arg)
  return out, ok, err
end

-- A fresh store file for a test: → path, cleanup() removing it (and its
-- WAL files).
function R.temp_store()
  local base = os.tmpname()
  local path = base .. ".db"
  local function cleanup()
    for _, sfx in ipairs({ "", "-wal", "-shm", "-journal" }) do os.remove(path .. sfx) end
    os.remove(base)
  end
  cleanup()
  return path, cleanup
end

-- A runner of report scripts through the program on the store at path:
-- run(script, args) → output, with a check (through harness T) that it
-- exited successfully.
function R.program_runner(T, path)
  local C = dofile("tests/lua/check_output.lua")
  return function(script, args)
    local out, ok = C.run(C.nd .. " run scripts/reports/" .. script .. ".lua --db " .. path .. " " .. (args or ""))
    T.ok(ok, script .. " " .. (args or "") .. " exits successfully" .. (ok and "" or (":\n" .. out)))
    return out
  end
end

-- CSV text → {[row[key_col]] = row[val_col] (a number when it is one)}.
function R.csv_map(out, key_col, val_col)
  local C = dofile("tests/lua/check_output.lua")
  local m = {}
  for i, row in ipairs(C.csv_parse(out)) do
    if i > 1 then m[row[key_col]] = tonumber(row[val_col]) or row[val_col] end
  end
  return m
end

-- A fixed gazetteer of the sample corpus (not the bundled packs).
R.ENTITIES = dofile("tests/data/reports/entities.lua")

-- The corpus's JSON Lines feed as plain article tables.
function R.wire_articles()
  local C = dofile("tests/lua/check_output.lua")
  local list = {}
  local n = 0
  for line in io.lines("scripts/corpus/wire_2024-11.jsonl") do
    n = n + 1
    local t = assert(C.json_decode(line))
    list[#list + 1] = { id = n, title = t.title, body = (t.body:gsub("<[^>]+>", "\n"):gsub("&quot;", '"')
                                                         :gsub("&#039;", "'"):gsub("&apos;", "'")),
                        date = t.published, source = t.source or t.site, lang = t.lang or t.language }
  end
  return list
end

return R
