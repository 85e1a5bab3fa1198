-- newsdesk.pretty: the prompt's printer.
local T = dofile("tests/lua/harness.lua")
local pretty = require "newsdesk.pretty"
local fmt = pretty.format

-- An article stand-in: what matters to the printer is the metatable name.
local function article(t)
  return setmetatable(t, { __name = "newsdesk.article" })
end

T.eq(fmt(42), "42", "integers")
T.eq(fmt(1.5), "1.5", "floats")
T.eq(fmt(nil), "nil", "nil")
T.eq(fmt("Ankara’da\n\"zirve\""), '"Ankara’da\\n\\"zirve\\""', "strings are quoted, escapes shown, UTF-8 kept")
T.eq(fmt({}), "{}", "empty table")
T.eq(fmt({ 1, 2, 3 }), "{1, 2, 3}", "a sequence on one line")
T.eq(fmt({ b = 2, a = 1, [10] = "x" }), '{[10] = "x", a = 1, b = 2}', "keys sorted, non-identifiers bracketed")
T.eq(fmt({ a = { b = { c = { d = 1 } } } }), "{a = {b = {c = {…}}}}", "nesting stops at depth 3")
T.eq(fmt({ a = { b = { c = { d = 1 } } } }, { depth = 5 }), "{a = {b = {c = {d = 1}}}}", "depth is an option")
local long = {}
for i = 1, 50 do long[i] = i end
T.ok(fmt(long, { width = 1000 }):match("29, 30, … 20 more}$"), "items beyond the limit are counted, not shown")
T.ok(fmt(long, { items = 5, width = 1000 }) == "{1, 2, 3, 4, 5, … 45 more}", "items is an option")
local cyc = {}
cyc.self = cyc
T.eq(fmt(cyc), "{self = <cycle>}", "cycles are marked")
local wide = {}
for i = 1, 8 do wide["key" .. i] = string.rep("v", 20) end
T.ok(fmt(wide, { width = 60 }):find("\n  key1 = ", 1, true), "a table wider than the width breaks over lines")
T.eq(fmt({ s = string.rep("é", 300) }, { string = 10 }):match("%((%d+) bytes%)"), "600",
     "long nested strings are cut and their length shown")

local a = article { id = 12, date = "2024-11-04T23:58:00+03:00", lang = "tr", source = "Ajans",
                    title = "Kuzey Kore’nin heyeti Moskova’da görüşmelere başladı" }
T.eq(fmt(a), "<article #12 2024-11-04T23:58 tr “Kuzey Kore’nin heyeti Moskova’da görüşmelere başladı” — Ajans>",
     "an article is one summary line")
T.ok(pretty.width(fmt(a, { width = 60 })) <= 60, "an article line fits the width")
T.ok(fmt(a, { width = 60 }):find("…”", 1, true), "a cut title ends in …")

local list = fmt({ a, article { id = 3, date = "2024-11-05", lang = "en", source = "Wire", title = "Talks" } })
T.eq(list, "id  date        lang  source  title\n" ..
           "--  ----------  ----  ------  ----------------------------------------\n" ..
           "12  2024-11-04  tr    Ajans   Kuzey Kore’nin heyeti Moskova’da görüşm…\n" ..
           " 3  2024-11-05  en    Wire    Talks",
     "a list of articles is a table: id, date, lang, source, title")

local rows = fmt({ { id = 1, name = "日本語", n = 2.5 }, { id = 22, name = "Öz", n = 10 } })
T.eq(rows, "id  n    name\n" ..
           "--  ---  ------\n" ..
           " 1  2.5  日本語\n" ..
           "22   10  Öz",
     "rows align by display width (wide characters count 2), numbers to the right")

local hits = fmt({ { article = a, score = -1.25, snippet = "[Kuzey Kore]’nin heyeti" } }, { width = 200 })
T.ok(hits:match("^id  date%s+lang  source  title%s+score  snippet\n"), "search results spread the article into columns")
T.ok(hits:find("-1.25  [Kuzey Kore]’nin heyeti", 1, true), "search results keep score and snippet")

local many = {}
for i = 1, 40 do many[i] = { id = i } end
T.ok(fmt(many):match("… 10 more rows %(40 in all%)$"), "long grids are cut at the item limit")
T.eq(fmt({ { id = 1, t = {} } }), "{{id = 1, t = {}}}", "rows with nested tables are not a grid")

T.done()
