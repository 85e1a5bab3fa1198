-- reports_fixture.lua: run a report script in this process against a store
-- stand-in, capturing what it writes (not a test itself).
--   local R = dofile("tests/lua/reports_fixture.lua")
--   local store = R.fake_store(articles)          -- db:articles() over tables
--   local out, ok, err = R.run("scripts/reports/x.lua", {"--since", "..."}, store)
--   local rules = R.gazetteer({ {id=, type=, names={...}}, ... })  -- rules:scan stand-in
local A = require("newsdesk.analysis")
local R = {}

-- A rules object with :scan(s) yielding matches like newsdesk.rules does,
-- found by whole-word folded matching of the names.
function R.gazetteer(entries)
  return { scan = function(_, s)
    local found = {}
    for _, e in ipairs(entries) do
      for _, name in ipairs(e.names) do
        for _, h in ipairs(A.find_term(s, name)) do
          local text = s:sub(h[1], h[2])
          local suffix = text:match("['’]([^'’]+)$")
          found[#found + 1] = { id = e.id, type = e.type, text = text, start = h[1], stop = h[2],
                                suffix = suffix or "", rule = e.id }
        end
      end
    end
    -- overlaps: the longest match wins
    table.sort(found, function(a, b)
      if a.start ~= b.start then return a.start < b.start end
      return a.stop > b.stop
    end)
    local kept, last = {}, 0
    for _, m in ipairs(found) do
      if m.start > last then kept[#kept + 1] = m; last = m.stop end
    end
    local i = 0
    return function() i = i + 1; return kept[i] end
  end }
end

-- A store stand-in: db:articles(q) iterates the tables (q ignored: the
-- filters decide in Lua).
function R.fake_store(list)
  return { articles = function(_, _q)
    local i = 0
    return function() i = i + 1; return list[i] end
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

-- The entities of the sample corpus, for stand-in rules.
R.ENTITIES = {
  { id = "hakan_fidan", type = "PERSON", names = { "Hakan Fidan", "Fidan", "Хакан Фидан", "Фидан" } },
  { id = "sergey_lavrov", type = "PERSON", names = { "Sergey Lavrov", "Sergei Lavrov", "Sergej Lawrow", "Lavrov", "Lawrow", "Лавров" } },
  { id = "vladimir_putin", type = "PERSON", names = { "Vladimir Putin", "Wladimir Putin", "Putin", "Путин" } },
  { id = "recep_tayyip_erdogan", type = "PERSON", names = { "Recep Tayyip Erdoğan", "Tayyip Erdogan", "Erdoğan", "Erdogan" } },
  { id = "volodymyr_zelensky", type = "PERSON", names = { "Volodimir Zelenskiy", "Zelenskiy", "Selenskyj", "Zelensky" } },
  { id = "olaf_scholz", type = "PERSON", names = { "Olaf Scholz", "Scholz" } },
  { id = "emmanuel_macron", type = "PERSON", names = { "Emmanuel Macron", "Macron" } },
  { id = "antonio_guterres", type = "PERSON", names = { "António Guterres", "Guterres" } },
  { id = "ilham_aliyev", type = "PERSON", names = { "İlham Aliyev", "Ilham Aliyev", "Aliyev" } },
  { id = "xi_jinping", type = "PERSON", names = { "Xi Jinping", "Şi Cinping" } },
  { id = "lula", type = "PERSON", names = { "Luiz Inácio Lula da Silva", "Lula" } },
  { id = "cho_tae_yul", type = "PERSON", names = { "Cho Tae-yul" } },
  { id = "andrii_sybiha", type = "PERSON", names = { "Andrii Sybiha", "Sybiha" } },
  { id = "russia", type = "LOC", names = { "Rusya", "Russia", "Russland", "Россия" } },
  { id = "north_korea", type = "LOC", names = { "Kuzey Kore", "North Korea", "Nordkorea" } },
  { id = "ukraine", type = "LOC", names = { "Ukrayna", "Ukraine" } },
  { id = "baku", type = "LOC", names = { "Bakü", "Baku" } },
  { id = "cop29", type = "ORG", names = { "COP29" } },
  { id = "g20", type = "ORG", names = { "G20" } },
  { id = "un", type = "ORG", names = { "BM", "UN", "Birleşmiş Milletler", "United Nations" } },
}

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
