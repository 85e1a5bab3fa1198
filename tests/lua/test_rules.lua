-- newsdesk.rules: loading rule files and gazetteers, scanning, explain,
-- accept callbacks, and the errors a bad rules file gets.
local T = dofile("tests/lua/harness.lua")
local R = newsdesk.rules
local D = "tests/data/rules/"

local function list(rules, text)
  local out = {}
  for m in rules:scan(text) do
    out[#out + 1] = m.text .. "/" .. m.type .. "/" .. m.id .. "/" .. m.suffix
  end
  return table.concat(out, "; ")
end

-- ---- building in code ------------------------------------------------------
local rules = R.new()
T.ok(tostring(rules):find("0 rules"), "a new rule set is empty")
rules:add{ type = "COUNTRY", id = "north_korea", names = { "Kuzey Kore", "North Korea", "KDHC", "Nordkorea" },
           iso = "KP" }
rules:add{ type = "PERSON", id = "kim_jong_un", names = { "Kim Jong Un" } }
local ms = {}
for m in rules:scan("Kuzey Kore’nin lideri Kim Jong-un'un açıklaması") do ms[#ms + 1] = m end
T.eq(#ms, 2, "scan finds both mentions")
T.eq({ ms[1].text, ms[1].start, ms[1].stop, ms[1].suffix, ms[1].id, ms[1].iso },
  { "Kuzey Kore’nin", 1, #"Kuzey Kore’nin", "nin", "north_korea", "KP" },
  "1-based inclusive offsets like string.find, suffix apart, attributes passed through")
local text = "Kuzey Kore’nin lideri Kim Jong-un'un açıklaması"
T.eq(text:sub(ms[2].start, ms[2].stop), "Kim Jong-un'un", "start/stop cut the mention out of the original")
T.eq(list(rules, "Talks with North Korea and NORTH KOREA's envoy"),
  "North Korea/COUNTRY/north_korea/; NORTH KOREA's/COUNTRY/north_korea/s", "English, any case, 's")
T.eq(list(rules, "Gespräche mit Nordkorea über KDHC-Raketen"),
  "Nordkorea/COUNTRY/north_korea/; KDHC/COUNTRY/north_korea/", "German text; hyphenated compound")

local noid = R.new():add{ type = "CITY", names = { "İstanbul", "Constantinople" } }
T.eq({ noid:matches("ISTANBUL'DA")[1].id, noid:matches("Constantinople")[1].id }, { "istanbul", "istanbul" },
  "without an id the entity's id is the fold key of its first name")
local glued = R.new():add{ type = "ORG", id = "acme", names = { "Acme" } }
  :add{ type = "CITY", id = "istanbul", names = { "İstanbul" } }
T.eq(#glued:matches("Acme™ ürünleri"), 1, "a name before a symbol that folds into letters (™ -> tm) is found")
T.eq(glued:matches("İSTANBUL⼙da toplantı")[1].id, "istanbul",
  "so is a name glued to a Kangxi radical, which folds into a CJK letter")

-- ---- patterns ----------------------------------------------------------------
local titles = R.new()
titles:add{ type = "PERSON", rule = "tr minister", pattern = {
  { "Dışişleri Bakanı", "Savunma Bakanı" }, { is = "cap", max = 4, mark = true, except = { "Cuma" } } } }
titles:add{ type = "ORG", rule = "tr org", pattern = {
  { is = "cap", min = 0, max = 5 }, { words = { "Bakanlığı", "Konseyi", "Birliği" } } } }
titles:add{ type = "PERSON", rule = "de minister", pattern = {
  { "Außenministerin", "Außenminister" }, { is = "cap", max = 3, mark = true } } }
T.eq(list(titles, "Savunma Bakanı Yaşar Güler'in açıklaması ve Dışişleri Bakanlığı"),
  "Yaşar Güler'in/PERSON/yasar guler/in; Dışişleri Bakanlığı/ORG/disisleri bakanligi/",
  "person after a title, organisation ending in Bakanlığı")
T.eq(list(titles, "Außenministerin Annalena Baerbock sagte am Montag"),
  "Annalena Baerbock/PERSON/annalena baerbock/", "German title pattern")
T.eq(list(titles, "Dışişleri Bakanı Hakan Fidan Cuma günü"), "Hakan Fidan/PERSON/hakan fidan/",
  "except= stops the capitalized run")

-- ---- explain -------------------------------------------------------------------
local ex = R.new()
ex:add{ type = "PLACE", rule = "places", suffixes = "tr", entities = {
  { id = "korea", names = { "Kore" } }, { id = "north_korea", names = { "Kuzey Kore" } },
  { id = "russia", names = { "Rusya" } } } }
local cands = ex:explain("Kuzey Koreye ve Rusyalaştırma")
local by = {}
for _, c in ipairs(cands) do by[c.text] = c end
T.eq(by["Kuzey Koreye"].status, "taken", "explain: the longest candidate is taken")
T.eq(by["Koreye"].status, "overlap", "explain: the shorter one is dropped")
T.ok(by["Koreye"].why:find("overlaps 'Kuzey Koreye'", 1, true) and by["Koreye"].why:find("longer"),
  "explain says which match won and why: " .. by["Koreye"].why)
T.eq(cands[by["Koreye"].by].text, "Kuzey Koreye", "explain: by points at the winner")
T.eq(by["Rusyalaştırma"].status, "bad suffix", "explain shows the rejected Turkish suffix")

-- ---- callbacks ---------------------------------------------------------------------
local seen_ctx
local cb = R.new()
cb:add{ type = "PLACE", id = "georgia", names = { "Georgia", "Gürcistan" },
  accept = function(m, ctx)
    seen_ctx = ctx
    if ctx.before[#ctx.before] == "President" then return { type = "PERSON", id = "george", extra = 1 } end
    if ctx.after[1] == "O'Keeffe" then return false end
    return true
  end }
T.eq(list(cb, "He flew to Georgia on Monday"), "Georgia/PLACE/georgia/", "accept=true keeps the match")
T.eq(seen_ctx.after, { "on", "Monday" }, "ctx.after holds the following tokens")
T.eq(seen_ctx.text, "He flew to Georgia on Monday", "ctx.text is the scanned text")
T.eq(list(cb, "a painting by Georgia O'Keeffe"), "", "accept=false drops the match")
local m1 = cb:matches("President Georgia spoke")[1]
T.eq({ m1.type, m1.id, m1.extra }, { "PERSON", "george", 1 }, "a returned table changes type, id, attributes")
local art = { title = "Gürcistan'da seçim", body = "Georgia votes" }
local got = {}
for m in cb:scan(art) do got[#got + 1] = m.field .. ":" .. m.text end
T.eq(got, { "title:Gürcistan'da", "body:Georgia" }, "scanning an article reports the field")
T.eq(cb:tally("President Georgia met Georgia's envoy; Georgia O'Keeffe"), { george = 1, georgia = 1 },
  "tally counts what scan takes, after accept functions changed or dropped matches")
T.eq(cb:tally(art), { georgia = 2 }, "tally of an article counts title and body")
T.eq(rules:tally("Kuzey Kore’nin, North Korea ve Kim Jong Un; KDHC"), { north_korea = 3, kim_jong_un = 1 },
  "tally counts the matches of every name per entity id, made in C")
T.eq(rules:tally(""), {}, "tally of an empty text is an empty table")

-- rules:each: the matches of scan as values, no table per match
local function each_list(r, x)
  local out = {}
  for s, e, id, ty, f in r:each(x) do out[#out + 1] = table.concat({ s, e, id, ty, f or "-" }, "|") end
  return out
end
local function scan_list_of(r, x)
  local out = {}
  for m in r:scan(x) do out[#out + 1] = table.concat({ m.start, m.stop, m.id, m.type, m.field or "-" }, "|") end
  return out
end
local dense = "Kuzey Kore’nin, North Korea ve Kim Jong Un; KDHC. Rusyaya ve Ankaralı heyet, Kuzey Koreden döndü."
T.eq(each_list(rules, dense), scan_list_of(rules, dense), "each gives start, stop, id, type of every match scan takes")
T.ok(#each_list(rules, dense) >= 4, "each finds the matches (not an empty list on both sides)")
T.eq(each_list(cb, "President Georgia met Georgia's envoy; Georgia O'Keeffe"),
  scan_list_of(cb, "President Georgia met Georgia's envoy; Georgia O'Keeffe"),
  "each after accept functions: the changed id, the dropped match left out")
T.eq(each_list(cb, art), { "1|13|georgia|PLACE|title", "1|7|georgia|PLACE|body" }, "each of an article gives the field")
T.eq(each_list(cb, art), scan_list_of(cb, art), "each of an article: what scan gives")
T.eq(each_list(rules, ""), {}, "each of an empty text gives nothing")
do
  local it = rules:each(dense)
  local s1 = it()
  for _ in rules:scan("Kim Jong Un") do end                 -- another scan with the same rule set
  local n = 1
  while it() do n = n + 1 end
  T.eq(n, #each_list(rules, dense), "an each loop survives another scan of its rule set inside it")
  T.ok(s1 ~= nil, "the loop had a first match")
end
T.raises(function() rules:each(42) end, "string or article", "each wants a string or an article")
T.raises(function() rules:tally(42) end, "string or article", "tally wants a string or an article")
cb:add{ type = "X", names = { "boom" }, accept = function() error("callback failed") end }
T.raises(function() cb:matches("boom") end, "callback failed", "an error in a callback propagates")
local selfclose = R.new()
selfclose:add{ type = "X", names = { "boom" }, accept = function() selfclose:close() return true end }
T.raises(function() selfclose:matches("boom") end, "closed during its own scan", "closing a rule set in its callback raises")

-- ---- loading files -----------------------------------------------------------------------
local g = assert(R.load{ D .. "gazetteer.tsv", D .. "gazetteer.csv" })
T.eq(list(g, "KDHC, Pyongyang ve Pjöngjang; Avrupa Birliği'nin ve AB'nin"),
  "KDHC/COUNTRY/north_korea/; Pyongyang/CITY/pyongyang/; Pjöngjang/CITY/pyongyang/; "
  .. "Avrupa Birliği'nin/ORG/eu/nin; AB'nin/ORG/eu/nin", "TSV and CSV gazetteers with name|name cells")
T.eq(g:matches("North Korea")[1].country, "KP", "extra gazetteer columns become attributes")
T.eq(g:matches("AB")[1].note, "union, of states", "CSV quoted cells")
local wg = assert(R.load(D .. "with_gazetteer.lua"))
local wm = wg:matches("Pyongyanga uçuş")[1]
T.eq(wm and { wm.id, wm.suffix, wm.source, wm.country }, { "pyongyang", "a", "tsv", "KP" },
  "a rules file reads a gazetteer beside it, with the rule's options and attributes")

local function bad(file, want, name)
  local r, msg, code = R.load(D .. file)
  T.ok(r == nil and code == "syntax" and msg:find(want, 1, true), name .. ": " .. tostring(msg))
end
bad("bad_empty_name.lua", "bad_empty_name.lua:5: empty name", "an empty name fails with file and line")
bad("bad_test.lua", "bad_test.lua:3: unknown token test 'capp'", "an unknown token test fails with file and line")
bad("bad_nothing.lua", "bad_nothing.lua:2: ", "a pattern that can match nothing fails")
bad("bad_nothing.lua", "can match nothing", "... and says so")
bad("bad_syntax.lua", "bad_syntax.lua:2:", "a Lua syntax error names file and line")
bad("bad.tsv", "bad.tsv:3: empty name", "a gazetteer row without a name names its line")
bad("bad_after_pack.lua", "bad_after_pack.lua:4: empty name", "line numbers stay right after an included pack")
bad("bad_gazetteer_path.lua", "bad_gazetteer_path.lua:3: gazetteer '../rules/gazetteer.tsv'",
  "a rules file cannot read a gazetteer outside its directory")
bad("bad_include.lua", "bad_include.lua:3: a rules file may include \"pack:NAME\" only", "a rules file cannot include file paths")
bad("bad_include_last.lua", "bad_include_last.lua:5: a rules file may include",
  "a path as the list's last element names its own line, not the closing brace's or a comment's")
bad("bad_helper.lua", "bad_helper.lua:13: empty name", "an entry a helper function builds names the line calling it")
bad("bad_local.lua", "bad_local.lua:2: empty name", "an entry kept in a local names the line that built it")
local bom = assert(R.load(D .. "bom.csv"))
T.eq(bom:matches("Die Lage in Kyjiw")[1].wiki, "Kyjiw", "a CSV with a byte-order mark and CRLF lines")
bad("bom.lua", "bom.lua:2: empty name", "a rules file with a byte-order mark keeps its line numbers")
-- gazetteers are read by the one CSV reader (core/csv.c): quoted cells may
-- hold line breaks, later lines keep their numbers, a TSV cell keeps its quotes
local function gaz(ext, text)
  local path = os.tmpname() .. ext
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  local r, msg, code = R.load(path)
  os.remove(path)
  return r, msg, code
end
local gq = assert(gaz(".csv", 'name,type,id,note\n"Kuzey Kore",COUNTRY,kp,"two\nlines"\n# a comment\n\nSeul,CITY,seoul,\n'))
T.eq({ gq:matches("Kuzey Kore")[1].note, gq:matches("Seul")[1].id }, { "two\nlines", "seoul" },
  "a CSV cell may hold a line break; comments and blank lines are skipped")
local _, gm = gaz(".csv", 'name,type,id\n"a\nb",X,ab\nSeul,,seoul\n')
T.ok(gm and gm:find(":4: missing type", 1, true), "line numbers count the lines inside quoted cells: " .. tostring(gm))
_, gm = gaz(".csv", 'name,type,id\nSeul,CITY,seoul\n"Ankara"x,CITY,ankara\n')
T.ok(gm and gm:find(":3: text after a closing quote", 1, true), "a broken CSV quote names its line: " .. tostring(gm))
_, gm = gaz(".csv", 'name,type,id\n"Ankara,CITY,ankara\n')
T.ok(gm and gm:find(":2: a quoted field never ends", 1, true), "an open CSV quote names its line: " .. tostring(gm))
local gt = assert(gaz(".tsv", 'Dwayne "The Rock" Johnson\tPERSON\trock\n'))
T.eq(gt:matches('Dwayne "The Rock" Johnson')[1] and gt:matches('Dwayne "The Rock" Johnson')[1].id, "rock",
  "TSV cells keep their quotes as written")
local r0, m0, c0 = R.load(D .. "missing.lua")
T.ok(r0 == nil and c0 == "io" and m0:find("missing.lua", 1, true), "a missing file is an io failure")
T.raises(function() R.new():add{ type = "X", pattern = { { is = "cap", opt = true } } } end,
  "can match nothing", "rules:add raises on a bad rule")
T.raises(function() R.new():add{ names = { "x" } } end, "rule has no type", "a rule needs a type")
T.raises(function() R.new():add{ type = "X", names = { "x" }, suffixes = "de" } end, "unknown suffixes",
  "only suffixes=\"tr\" is known")

-- rules files run in an empty environment
local envf = os.tmpname()
local f = assert(io.open(envf, "w"))
f:write("return { { type = 'X', names = { tostring(os) } } }\n")
f:close()
local re, me = R.load(envf)
os.remove(envf)
T.ok(re == nil and me:find("tostring"), "a rules file sees no globals: " .. tostring(me))

-- ---- the key ---------------------------------------------------------------------
local k1 = assert(R.load(D .. "seed_names.lua")):key()
local k2 = assert(R.load(D .. "seed_names.lua")):key()
T.eq(k1, k2, "the same rules give the same key")
T.ok(k1 ~= R.load{ D .. "seed_names.lua", { type = "X", names = { "y" } } }:key(), "another rule changes the key")
local c1 = R.new():add{ type = "X", names = { "y" }, accept = function() return true end }:key()
local c2 = R.new():add{ type = "X", names = { "y" }, accept = function() return false end }:key()
T.ok(c1 ~= c2, "the accept function is part of the key")
local closed = R.new()
closed:close()
T.raises(function() closed:scan("x") end, "closed rule set", "a closed rule set raises")
-- a character that folds into several tokens ("½" -> "1⁄2") is one token:
-- "3½ saat" is a number followed by "saat", and spans never overlap
do
  local r = R.new()
  r:add{ type = "DURATION", pattern = { { is = "number", mark = true }, "saat" } }
  local got = {}
  for m in r:scan("Toplantı 3½ saat sürdü, ardından ab⅙cd geldi.") do got[#got + 1] = m.text end
  T.eq(got, { "3½" }, "a vulgar fraction glued to a number stays one number token")
end

-- list items of a pattern element must be strings, named in the error
do
  local r = R.new()
  T.raises(function() r:add{ type = "X", pattern = { { words = { "a", 3 } } } } end,
    "pattern element 1: words must be strings", "a number among words is refused")
  T.raises(function() r:add{ type = "X", pattern = { { is = "cap", except = { "Bay", {} } } } } end,
    "pattern element 1: except must list strings", "a table among except is refused")
end

-- the scan's caches and shortcuts give the answers of the plain way
do
  local r = R.new()
  r:add{ type = "LOC", id = "ankara", names = { "Ankara" }, suffixes = "tr" }
  r:add{ type = "LOC", id = "ank", names = { "Ank" }, suffixes = "tr" }
  local t = "Ankaradan Ankaraya Ankaraxyz Ankaradan"
  local function ex(text)
    local o = {}
    for _, e in ipairs(r:explain(text)) do o[#o + 1] = e.text .. "=" .. e.status end
    return table.concat(o, " ")
  end
  local first = ex(t)
  T.eq(ex(t), first, "a Turkish suffix answer remembered from an earlier text is the same answer")
  T.ok(first:find("Ankaradan=taken", 1, true) and first:find("Ankaraxyz=bad suffix", 1, true),
    "remembered answers keep good and bad suffixes apart: " .. first)
  T.eq(r:tally(t), { ankara = 3 }, "tally of suffixed names")
  local many = {}
  for i = 1, 150 do many[i] = (i % 3 == 0) and "Ankaraya" or "Ankara" end
  T.eq(r:tally(table.concat(many, " ")), { ankara = 150 }, "tally of more matches than fit the C stack")
  local n = 0
  for m in r:scan(table.concat(many, " ")) do n = n + 1 end
  T.eq(n, 150, "scan takes what tally counts")
  local r2 = R.new()
  r2:add{ type = "A", id = "ab", names = { "Alpha Beta" } }
  r2:add{ type = "B", id = "abc", names = { "Alpha Beta Gamma" } }
  r2:add{ type = "C", id = "a", names = { "Alpha" } }
  local got = {}
  for _, e in ipairs(r2:explain("Alpha Beta Gamma and Alpha Beta")) do got[#got + 1] = e.id .. ":" .. e.start end
  T.eq(got, { "abc:1", "ab:1", "a:1", "ab:22", "a:22" },
    "candidates from one start come longest first, whatever order the walk found them in")
end

-- Edges of the scan's key stream and of where a name's original range is
-- looked up: one-byte names, names at the very start and end of a text,
-- non-ASCII first bytes, words mixing ASCII and two-byte letters, and the
-- partings that must still be found after long runs of Latin or Cyrillic.
do
  local r = R.new()
  r:add{ type = "X", id = "x", names = { "X" } }
  r:add{ type = "C", id = "cagri", names = { "Çağrı" } }
  r:add{ type = "C", id = "moskva", names = { "Москва" } }
  r:add{ type = "P", id = "sahin", names = { "İbrahim Şahin" }, suffixes = "tr" }
  r:add{ type = "G", id = "alpha", names = { "Αθήνα" } }
  local function spans(t)
    local out = {}
    for s, e, id in r:each(t) do out[#out + 1] = id .. "@" .. s .. "-" .. e end
    return table.concat(out, " ")
  end
  T.eq(spans("X"), "x@1-1", "a one-byte name that is the whole text")
  T.eq(spans("x y X"), "x@1-1 x@5-5", "one-byte names at the start and the end of a text")
  T.eq(spans("Xy xX X."), "x@7-7", "a one-byte name is not found inside a word")
  T.eq(spans("Çağrı"), "cagri@1-" .. #"Çağrı", "a name starting with a two-byte letter, the whole text")
  T.eq(spans("Bugün ÇAĞRI geldi"), "cagri@" .. (#"Bugün " + 1) .. "-" .. #"Bugün ÇAĞRI",
    "a non-ASCII first byte in the middle, any case")
  T.eq(spans("Çağrıcı"), "", "a name is not found at the start of a longer word of mixed letters")
  T.eq(spans("в Москве и Москва"), "moskva@" .. (#"в Москве и " + 1) .. "-" .. #"в Москве и Москва",
    "Cyrillic: the name at the end of the text, not the inflected word")
  T.eq(spans("İbrahim Şahin'in ve İBRAHİM ŞAHİN'e"),
    "sahin@1-" .. #"İbrahim Şahin'in" .. " sahin@" .. (#"İbrahim Şahin'in ve " + 1) .. "-" .. #"İbrahim Şahin'in ve İBRAHİM ŞAHİN'e",
    "a two-word name with two-byte letters and apostrophe suffixes, the last at the end of the text")
  T.eq(spans("İbrahim Şahinler"), "sahin@1-" .. #"İbrahim Şahinler", "a Turkish suffix without an apostrophe at the end")
  T.eq(spans("Αθήνα×Αθήνα"), "alpha@1-" .. #"Αθήνα" .. " alpha@" .. (#"Αθήνα×" + 1) .. "-" .. #"Αθήνα×Αθήνα",
    "a two-byte symbol (×) between Greek letters parts the words")
  local long = string.rep("Çağrı ", 3) .. "Çağrı\u{200B}Çağrı"
  T.eq(select(2, spans(long):gsub("cagri", "")), 5,
    "a zero-width space after a run of two-byte letters still parts the words")
  local arabic = "آرای" .. string.rep("ü", 9) .. "\u{061C}X"
  T.eq(spans(arabic), "x@" .. (#arabic) .. "-" .. #arabic, "U+061C after a run of two-byte letters parts the words")
  local empty = R.new()
  T.eq(empty:tally("Çağrı X"), {}, "an empty rule set counts nothing")
  local n = 0
  for _ in empty:each("Çağrı X") do n = n + 1 end
  T.eq(n, 0, "an empty rule set finds nothing")
end

T.done()
