-- a:find and a:match on store articles: the same results as a.body:find and
-- a.body:match for every pattern feature, whichever way the article reads
-- its body (beside a cursor, from db:get, after a.body was read), and nil
-- for an article without a body.
local T = dofile("tests/lua/harness.lua")

local db = newsdesk.open()
local bodies = {
  "Dışişleri Bakanı Hakan Fidan, Kim Yong-hyun ile 12 Kasım'da Ankara'da görüştü. (AA) [not: 2024]",
  "The ministers met in Brussels on Tuesday; talks (on trade) went on until 23:30.",
  "",
  "aaa bbb aaa x=1, y=22, z=333 ((nested) parens) $end",
  "Kim Yong-hyun\n\tKIM YONG-HYUN\0binary byte",
}
for i, b in ipairs(bodies) do
  assert(db:add { title = "t" .. i, body = b, url = "https://example.org/" .. i })
end

local finds = {
  { "Kim Yong-hyun", 1, true }, { "Kim Yong-hyun" }, { "Kim" , 5 }, { "a", -3 }, { "a", 0 }, { "", 1 },
  { "", 1000 }, { "x", 1000 }, { "(%d+)" }, { "%d+", 20 }, { "^Dış" }, { "^The" }, { "%$end$" },
  { "end$" }, { "(%a+)%s+(%a+)" }, { "()aaa()" }, { "(a+)(b*)%1" }, { "%b()" }, { "%f[%a]%a+" },
  { "[%w_]+=%d" }, { "[^%s]+" }, { "[a-c]+" }, { "%u%l+" }, { "(.-)(%.)" }, { ".-x" }, { "a?b" },
  { "%p" }, { "[%]]" }, { "%z" }, { "\0" }, { "(%w+)-(%w+)" }, { "Yong%-hyun" },
  { "(()a)" }, { "%s*$" }, { "[%a%d]*" }, { "%x+", 3 }, { "(h)(%1)" }, { "((%a)%2)" },
  { ".", -1 }, { "Ankara", 1, false }, { "(", 1, true }, { "%d", 1, true },
}
local n = 0
for a in db:articles() do
  for _, f in ipairs(finds) do
    local want = table.pack(a.body:find(f[1], f[2], f[3]))
    local got = table.pack(a:find(f[1], f[2], f[3]))
    T.eq(got, want, ("article %d: a:find(%q, %s, %s)"):format(a.id, f[1], f[2], f[3]))
    -- match ignores plain: "(" is an unfinished capture for both
    want = table.pack(pcall(string.match, a.body, f[1], f[2]))
    got = table.pack(pcall(a.match, a, f[1], f[2]))
    if not want[1] then want, got = { want[1], (want[2]:gsub("^.-: ", "")) }, { got[1], (tostring(got[2]):gsub("^.-: ", "")) } end
    T.eq(got, want, ("article %d: a:match(%q, %s)"):format(a.id, f[1], f[2]))
    n = n + 1
  end
end
T.eq(n, #bodies * #finds, "every article and pattern compared beside the cursor")

-- from db:get (no cursor), and after a.body made the string
local a = db:get(1)
T.eq(table.pack(a:find("(%u%l+) (%u%l+),")), table.pack(a.body:find("(%u%l+) (%u%l+),")), "db:get article: find")
T.eq(table.pack(a:match("(%d+) (%a+)")), table.pack(a.body:match("(%d+) (%a+)")), "cached body: match")
-- a cursor that moved on: the article still finds in its own body
local kept = {}
for x in db:articles() do kept[#kept + 1] = x end
T.eq({ kept[1]:find("Kim", 1, true) }, { bodies[1]:find("Kim", 1, true) }, "an article whose cursor moved on")
T.eq({ kept[4]:match("z=(%d+)") }, { "333" }, "and match on another one")
-- an article kept from the step before, searched while the cursor is on the
-- next row (and the body walk beside it moves back and forth), still finds
-- in its own text, as does the current one; each keeps its own fields
local prev, steps = nil, 0
for x in db:articles() do
  if prev then
    T.eq(prev.id + 1, x.id, "the kept article is still the one before, not the cursor's new row")
    T.eq({ prev:find("(%a+)") }, { bodies[prev.id]:find("(%a+)") }, ("the article before %d finds in its own body"):format(x.id))
    T.eq({ x:find("(%a+)") }, { bodies[x.id]:find("(%a+)") }, ("and article %d in its own, after it"):format(x.id))
    T.eq({ prev:find("a", -3, true) }, { bodies[prev.id]:find("a", -3, true) }, "a negative init counts from its own end")
    T.eq(prev.title, "t" .. prev.id, "the kept article keeps its own title")
    T.eq(prev.body, bodies[prev.id], "and its own body")
    steps = steps + 1
  end
  prev = x
end
T.eq(steps, #bodies - 1, "every pair of neighbours compared")
T.eq({ prev:find("Kim", 1, true) }, { bodies[#bodies]:find("Kim", 1, true) }, "the last article after the loop ended")
T.eq({ kept[2]:find("Brussels", 1, true) }, { 22, 29 }, "kept articles are unchanged by later loops")

-- plain search where the pattern's first byte is common: many false starts
-- (past the point where the search changes method), a match at the very
-- end, the whole text, a repeated prefix, a NUL
do
  local texts = {
    string.rep("a", 300) .. "ab",
    string.rep("Kim Yong ", 40) .. "Kim Yong-hyun",
    string.rep("ab", 100) .. "x" .. string.rep("ab", 100),
    "Kim Yong-hyun",
    string.rep("a\0", 50) .. "a\0b",
  }
  local needles = { "aab", "ab", "b", "Kim Yong-hyun", "Yong-", "abx", "xab", "bab", "a\0b", "\0", "zz",
    string.rep("a", 301), "a" }
  local plain = newsdesk.open()
  for i, t in ipairs(texts) do plain:add { title = "p" .. i, body = t, url = "https://example.org/p" .. i } end
  for x in plain:articles() do
    for _, nd in ipairs(needles) do
      for _, init in ipairs { 1, 2, 17, -3 } do
        T.eq(table.pack(x:find(nd, init, true)), table.pack(x.body:find(nd, init, true)),
          ("plain find of %q from %d in article %d"):format(nd, init, x.id))
      end
    end
  end
  plain:close()
end

-- init written as a string or a float, or given as nil (plain still read
-- after it): the positions string.find gives; an init that is no integer
-- raises what string.find raises
do
  local b = db:get(1).body
  for x in db:articles { limit = 1 } do
    for _, init in ipairs { "5", "-12", 5.0, -3.0, "0x10" } do
      T.eq(table.pack(x:find("a", init, true)), table.pack(b:find("a", init, true)),
        ("a:find with init %q (%s)"):format(tostring(init), math.type(init) or type(init)))
      T.eq(table.pack(x:match("(%a+)", init)), table.pack(b:match("(%a+)", init)),
        ("a:match with init %q"):format(tostring(init)))
    end
    T.eq(table.pack(x:find("(", nil, true)), table.pack(b:find("(", nil, true)), "init nil, then plain")
    for _, init in ipairs { 2.5, "x", {} } do
      local name = type(init) == "table" and "{}" or tostring(init)
      local reason = function(msg) return tostring(msg):match("%((.-)%)$") end
      local want = select(2, pcall(string.find, b, "a", init))
      local ok, got = pcall(x.find, x, "a", init)
      T.eq(ok, false, ("init %s raises"):format(name))
      T.eq(reason(got), reason(want), ("init %s: string.find's reason"):format(name))
    end
  end
end

-- the keys an article answers: find and match are the same functions on
-- every article; near misses and keys of other types are nil
do
  local f, m
  for x in db:articles() do
    f, m = f or x.find, m or x.match
    T.eq(rawequal(x.find, f) and rawequal(x.match, m), true, "one find and one match for every article")
    for _, k in ipairs { "fin", "findx", "Find", "matc", "matches", "", 1, true, 2.5 } do
      T.eq(x[k], nil, ("article[%q] is nil"):format(tostring(k)))
    end
    T.eq(x.title, "t" .. x.id, "and the fields are still there")
  end
end

-- no body
local id = db:add { title = "no body", url = "https://example.org/nobody" }
T.eq(db:get(id):find("x"), nil, "no body: find gives nil")
T.eq(db:get(id):match("x"), nil, "no body: match gives nil")

-- errors
T.raises(function() a:find() end, "bad argument #1 to 'find'", "a pattern is required")
T.raises(function() a:find("%") end, "malformed pattern", "a malformed pattern raises")
T.raises(function() a:match("(%d") end, "unfinished capture", "an unfinished capture raises")
T.raises(function() a:match("%2") end, "malformed pattern", "an invalid back-reference raises")
T.raises(function() a.find(nil, "x") end, "newsdesk.article expected", "find wants an article")
T.done()
