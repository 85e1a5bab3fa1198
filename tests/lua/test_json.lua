-- newsdesk.json, the one JSON encoder and decoder: round trips, the rule
-- for arrays and objects, the depth limit, deep and cyclic values (an error,
-- never a crash), sparse arrays, huge integers, integers vs floats, NaN and
-- infinities, invalid UTF-8, null, and that the store, the reports and the
-- module write a value the same way.
local T = dofile("tests/lua/harness.lua")
local json = require("newsdesk.json")
local report = require("newsdesk.report")

local enc, dec = json.encode, json.decode

-- ---- round trips --------------------------------------------------------------
local values = {
  "", "merhaba", "Dışişleri Bakanı’nın açıklaması", "Москва", "😀 emoji", "tab\t nl\n cr\r \"q\" \\ /",
  "\0nul\1ctl\31", "line\u{2028}sep\u{2029}", 0, 1, -1, 42, math.maxinteger, math.mininteger,
  0.5, -0.25, 0.1, 1e300, -1e-300, 2^53, 1.5e-7, true, false,
  { 1, 2, 3 }, { "a", { "b", { "c" } } }, { a = 1, b = { c = { d = "e" } } },
  { title = "Fidan", tags = { "tr", "dış politika" }, n = 3, score = 0.75, ok = true },
}
for i, v in ipairs(values) do
  local text = enc(v)
  local back = dec(text)
  T.eq(back, v, "round trip " .. i .. ": " .. text:sub(1, 40))
  if type(v) == "number" then
    T.eq(math.type(back), math.type(v), "round trip " .. i .. " keeps " .. math.type(v))
  end
end
T.eq(enc("ab\u{2028}"), '"ab\\u2028"', "U+2028 is escaped (safe inside <script>)")
T.eq(enc("\b\f\n\r\t\1"), '"\\u0008\\u000c\\n\\r\\t\\u0001"', "control characters are escaped")
T.eq(enc("a/b’c"), '"a/b’c"', "slash and non-ASCII text are written as they are")
T.eq(dec('"\\u00e7\\u0130\\ud83d\\udcf0 \\/\\b\\f"'), "çİ📰 /\b\f", "\\u escapes and surrogate pairs")
T.eq(dec(' \t\r\n{ "a" : [ 1 , 2 ] } \n'), { a = { 1, 2 } }, "whitespace around tokens")
T.eq(dec('{"a":1,"a":2}'), { a = 2 }, "a repeated key: the last one wins")

-- ---- integers and floats -------------------------------------------------------
T.eq(enc(2.0), "2.0", "a float stays a float: 2.0")
T.eq(enc(2), "2", "an integer stays an integer")
T.eq(enc(-0.0), "-0.0", "negative zero")
T.eq(enc(0.1), "0.1", "shortest text that reads back the same")
T.eq(enc(2^63), "9.2233720368547758e+18", "a float beyond the integers keeps its value")
T.eq(enc(math.maxinteger), "9223372036854775807", "the largest integer exactly")
T.eq(enc(math.mininteger), "-9223372036854775808", "the smallest integer exactly")
T.eq(math.type(dec("9223372036854775807")), "integer", "the largest integer reads as an integer")
T.eq(dec("9223372036854775807"), math.maxinteger, "and exactly")
T.eq(dec("-9223372036854775808"), math.mininteger, "the smallest integer reads exactly")
T.eq(math.type(dec("9223372036854775808")), "float", "one past the largest integer is a float")
T.eq(dec("12345678901234567890"), 1.2345678901234567e19, "a huge integer becomes the nearest float")
T.eq(dec(("1"):rep(100) .. ".5e-60"), tonumber(("1"):rep(100) .. ".5e-60"), "a number of any length is read")
T.eq(math.type(dec("2.0")), "float", "2.0 reads as a float")
T.eq(math.type(dec("1e2")), "float", "1e2 reads as a float")
T.eq(math.type(dec("-0")), "integer", "-0 reads as integer 0")

-- ---- the rule for arrays and objects --------------------------------------------
T.eq(enc({}), "{}", "the empty table is an object")
T.eq(enc({ tags = {} }), '{"tags":{}}', "{tags = {}} is {\"tags\":{}}")
T.eq(enc({ 1, 2, 3 }), "[1,2,3]", "keys 1..n: an array")
T.eq(enc({ 1, 2, x = 3 }), '{"1":1,"2":2,"x":3}', "keys 1..n and more: an object, integers as strings")
T.eq(enc({ 1, nil, 3 }), '{"1":1,"3":3}', "a sparse table is an object")
T.eq(enc({ [2] = "b", [3] = "c" }), '{"2":"b","3":"c"}', "keys not starting at 1: an object")
T.eq(enc({ [7] = "x", b = 1, a = 2, ["10"] = 3 }), '{"10":3,"7":"x","a":2,"b":1}', "object keys sorted bytewise")
T.eq(enc(json.array()), "[]", "json.array() is an empty array")
T.eq(enc({ tags = json.array({}) }), '{"tags":[]}', "a marked empty table is []")
T.eq(enc(json.array({ 1, nil, 3 })), "[1,null,3]", "a marked sparse array: holes are null")
T.eq(enc(json.array({ [3] = "c" })), '[null,null,"c"]', "a marked array runs to its largest key")
T.eq(enc(json.object({ "a", "b" })), '{"1":"a","2":"b"}', "json.object forces an object")
T.eq(enc(json.object()), "{}", "json.object() is an empty object")
local t = { 1, 2 }
T.ok(json.array(t) == t and json.array(t) == t, "json.array returns its table and may be called twice")
T.raises(function() json.object(t) end, "already has a metatable", "a table cannot be marked both ways")
T.raises(function() json.array(setmetatable({}, {})) end, "already has a metatable", "nor a table with another metatable")
T.eq(getmetatable(t), "newsdesk.json.array", "the marker metatable is protected")
T.raises(function() setmetatable(t, nil) end, "protected metatable", "and cannot be removed or changed")
T.raises(function() enc(json.array({ 1, x = 2 })) end, "cannot write a table marked as an array with a string key",
  "a marked array with a string key is an error")
T.raises(function() enc(json.array({ [2^40] = 1 })) end, "too sparse",
  "a marked array too sparse to write (2^40 nulls) is an error, not a memory blow-up")
T.raises(function() enc({ [1] = "a", ["1"] = "b" }) end, "both an integer key and the same number",
  "an integer key and the same key as a string cannot both be written")
T.raises(function() enc({ [true] = 1 }) end, "cannot write a table with a boolean key as JSON", "boolean keys")
T.raises(function() enc({ [1.5] = 1 }) end, "cannot write a table with a float key as JSON", "float keys")
T.eq(dec("[]"), {}, "[] reads as an empty table")
T.eq(enc(dec("[]")), "{}", "so [] comes back as {} (documented; wrap with json.array to keep it)")

-- __pairs is honoured: a proxy writes what it lists
local proxy = setmetatable({}, { __pairs = function() return next, { a = 1, b = { 2 } }, nil end })
T.eq(enc(proxy), '{"a":1,"b":[2]}', "a table with __pairs is read through it")

-- ---- null --------------------------------------------------------------------------
T.eq(enc(nil), "null", "nil is null")
T.eq(enc({ a = json.null, b = { json.null } }), '{"a":null,"b":[null]}', "json.null writes null inside tables")
T.eq(tostring(json.null), "null", "tostring(json.null)")
T.eq(dec('{"a":null,"b":1}'), { b = 1 }, "null fields are absent by default")
T.eq(dec('[1,null,3]'), { 1, nil, 3 }, "null in an array leaves a hole")
T.eq(dec('{"a":null}', { null = json.null }), { a = json.null }, "opts.null stands for null")
T.ok(dec("null", { null = json.null }) == json.null, "also at the top")
T.ok(report.null == json.null, "report.null is json.null")

-- ---- depth and the stack -------------------------------------------------------------
local function nest(n, key)
  local top = {}
  local c = top
  for _ = 1, n - 1 do
    local d = {}
    if key then c[key] = d else c[1] = d end
    c = d
  end
  return top
end
T.eq(json.max_depth, 64, "the documented limit")
T.ok(pcall(enc, nest(64, "a")), "64 nested tables are written")
T.raises(function() enc(nest(65, "a")) end, "cannot write JSON nesting deeper than 64 levels at value.a.a.a.a....",
  "65 are an error naming the limit and the path")
local ok, err = pcall(enc, nest(10000, "a"))
T.ok(not ok and err:find("nesting deeper than 64 levels", 1, true), "10,000 nested tables: an error, not a crash")
ok, err = pcall(enc, nest(10000))
T.ok(not ok and err:find("at value[1][1][1][1]...", 1, true), "array paths are written [i]: " .. tostring(err))
local cyc = { list = {} }
cyc.list[1] = cyc
T.raises(function() enc(cyc) end, "cannot write a table that contains itself as JSON at value.list[1]",
  "a cycle is named as such, with the path to the repeat")
T.ok(dec(string.rep("[", 64) .. string.rep("]", 64)), "64 nested arrays are read")
local v, msg, code = dec(string.rep("[", 65) .. string.rep("]", 65))
T.eq({ v, msg, code }, { nil, "json: nested too deeply (deeper than 64 levels) at byte 65", "syntax" },
  "65 are an error naming the byte")
v, msg = dec(string.rep('{"a":', 10000))
T.ok(v == nil and msg:find("nested too deeply", 1, true), "10,000 nested objects: an error, not a crash")
-- wide tables and deep ones inside a coroutine (a small Lua stack)
local wide = {}
for i = 1, 5000 do wide["k" .. i] = { i, { x = i } } end
T.eq(dec(enc(wide)), wide, "5,000 keys each with nested tables")
ok, v = coroutine.wrap(function() return pcall(function() return dec(enc(nest(64, "b"))) end) end)()
T.ok(ok and type(v) == "table", "the deepest allowed value round-trips inside a coroutine")
ok, err = coroutine.wrap(function() return pcall(enc, nest(10000, "b")) end)()
T.ok(not ok and err:find("nesting deeper", 1, true), "and too deep is an error there too")

-- ---- what cannot be written ----------------------------------------------------------
T.raises(function() enc({ items = { 1, 2, { f = print } } }) end, "cannot write a function as JSON at value.items[3].f",
  "a function, with its path")
T.raises(function() enc({ ["a b"] = coroutine.create(print) }) end, 'cannot write a thread as JSON at value["a b"]',
  "keys that are not names are quoted in the path")
T.raises(function() enc(io.stdout) end, "cannot write a FILE* as JSON", "userdata are named by their type")
T.raises(function() enc({ x = 0 / 0 }) end, "cannot write NaN as JSON at value.x", "NaN")
T.raises(function() enc({ x = -math.huge }) end, "cannot write an infinite number as JSON at value.x", "infinity")
T.raises(function() enc({ s = "ab\xffc" }) end, "cannot write a string with invalid UTF-8 (byte 3) as JSON at value.s",
  "invalid UTF-8 names the byte")
T.raises(function() enc({ ["k\xc3"] = 1 }) end, "cannot write a key with invalid UTF-8 (byte 2)", "in keys too")
T.raises(function() enc("\xed\xa0\x80") end, "invalid UTF-8", "an encoded surrogate is not UTF-8")
T.eq(enc({ s = "ab\xffc", k = { 0 / 0, math.huge } }, { repair = true }), '{"k":[null,null],"s":"ab\u{FFFD}c"}',
  "repair: U+FFFD and null instead")
T.eq(enc("\xe2\x82 \xff\xfe", { repair = true }), '"\u{FFFD} \u{FFFD}\u{FFFD}"',
  "repair: one U+FFFD per maximal invalid sequence, as newsdesk.text.repair")
T.raises(function() enc() end, "bad argument #1", "encode() needs a value")

-- ---- malformed text ----------------------------------------------------------------------
local bad = {
  { '{"a":1,}', "json: key expected at byte 8" },
  { "[1] x", "json: unexpected text after the value at byte 5" },
  { '{"a" 1}', "json: expected ':' at byte 6" },
  { "[1 2]", "json: expected ',' or ']' at byte 4" },
  { '{"a":01}', "json: expected ',' or '}' at byte 7" },
  { '"\\ud83d"', "json: lone UTF-16 surrogate in \\u escape at byte 8" },
  { '"\\x"', "json: invalid escape in string at byte 3" },
  { '"a\xffb"', "json: invalid UTF-8 in string at byte 3" },
  { '"a\nb"', "json: control character in string at byte 3" },
  { '"abc', "json: unterminated string at byte 5" },
  { "tru", "json: unexpected character at byte 1" },
  { "", "json: unexpected end of text at byte 1" },
  { "-", "json: invalid number at byte 2" },
  { "\xff", "json: unexpected character at byte 1" },
}
for _, c in ipairs(bad) do
  local r, m, k = dec(c[1])
  T.eq({ r, m, k }, { nil, c[2], "syntax" }, "malformed: " .. c[2])
end
T.raises(function() dec({}) end, "bad argument #1", "decode needs a string")

-- ---- one encoder: the store, the reports and the module agree ---------------------------
local db = newsdesk.open()
local meta = { tags = {}, list = { 1, 2 }, n = 2.0, big = math.maxinteger, s = "çİ" }
local id = db:add { title = "JSON", body = "bir", meta = meta }
local stored
for row in db:sql("SELECT meta FROM articles WHERE id = ?", id) do stored = row.meta end
T.eq(stored, enc(meta), "the store writes meta as newsdesk.json does")
T.eq(report.json_encode(meta), enc(meta), "so does newsdesk.report")
T.eq(db:get(id).meta, { tags = {}, list = { 1, 2 }, n = 2.0, big = math.maxinteger, s = "çİ" }, "meta reads back")
T.eq(math.type(db:get(id).meta.n), "float", "with its float a float")
T.raises(function() db:add { title = "x", meta = { 1, 2 } } end, "bad meta: meta must be a table with string keys",
  "meta that would be an array is refused")
T.raises(function() db:add { title = "x", meta = { a = { f = print } } } end, "bad meta: cannot write a function as JSON at meta.a.f",
  "the store names the path in meta")
db:close()

-- ---- objects: key order, integer keys, keys kept alive ---------------------------
do
  local many, want = {}, {}
  for i = 1, 40 do many["k" .. string.format("%02d", 41 - i)] = i end
  for i = 1, 40 do want[#want + 1] = string.format('"k%02d":%d', i, 41 - i) end
  T.eq(enc(many), "{" .. table.concat(want, ",") .. "}", "40 keys come out sorted bytewise")
  T.eq(enc({ b = 1, a = 2, ["é"] = 3, B = 4, [""] = 5 }), '{"":5,"B":4,"a":2,"b":1,"é":3}',
    "a few keys come out sorted bytewise (UTF-8 after ASCII)")
  T.eq(enc({ [10] = "x", [9] = "y", [-3] = "z", k = true }), '{"-3":"z","10":"x","9":"y","k":true}',
    "integer keys of an object are sorted as their decimal text")
  T.eq(enc({ n = math.mininteger, m = math.maxinteger, z = 0, neg = -70 }),
    '{"m":9223372036854775807,"n":-9223372036854775808,"neg":-70,"z":0}', "integers are written in full")
  -- a __pairs inside the object empties the object and collects garbage while
  -- the object is written: its keys stay readable to the end
  local parent = {}
  local child = setmetatable({}, { __pairs = function()
    for k in pairs(parent) do if k ~= "m" then parent[k] = nil end end
    collectgarbage()
    return next, { x = 1 }, nil
  end })
  parent[string.rep("a", 50) .. "1"] = 1
  parent.m = child
  parent[string.rep("z", 50) .. "2"] = 2
  local ok, out = pcall(enc, parent)
  T.ok(ok and out:find('"m":{"x":1}', 1, true) and out:find(string.rep("a", 50) .. '1":1', 1, true) ~= nil,
    "an object changed by a __pairs while it is written is written as it was listed")
end

T.done()
