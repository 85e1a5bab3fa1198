-- newsdesk.report: terminal alignment by display width, truncation, CSV,
-- JSON, Markdown, terminal charts and the HTML document.
local T = dofile("tests/lua/harness.lua")
local C = dofile("tests/lua/check_output.lua")
local report = require("newsdesk.report")

T.ok(newsdesk.report == report, "newsdesk.report is the embedded module")

-- ---- display width --------------------------------------------------------
T.eq(report.width("Ankara"), 6, "ASCII is one column per letter")
T.eq(report.width("Güney Kore'nin"), 14, "Turkish letters are one column")
T.eq(report.width("Лавров"), 6, "Cyrillic is one column per letter")
T.eq(report.width("金正恩"), 6, "CJK ideographs are two columns")
T.eq(report.width("e\u{301}"), 1, "a combining accent takes no column")

-- ---- alignment with mixed scripts ----------------------------------------
local rows = {
  { name = "Hakan Fidan", country = "Türkiye", n = 42 },
  { name = "Сергей Лавров", country = "Россия", n = 7 },
  { name = "金正恩", country = "조선", n = 1234 },
  { name = "عبد الفتاح السيسي", country = "مصر", n = 3 },
  { name = "İlham Əliyev", country = "Azərbaycan", n = 15 },
}
local r = report.new(rows, { { key = "name", title = "Entity" }, "country",
                            { key = "n", title = "Mentions" } })
local out = r:text()
local lines = {}
for l in out:gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
T.eq(#lines, 7, "header, rule and one line per row")

-- The column of the first byte of a field = display width of what precedes it.
local function col_of(line, field)
  local at = line:find(field, 1, true)
  return at and report.width(line:sub(1, at - 1))
end
local c2 = col_of(lines[1], "country")
local ok2 = true
for i, row in ipairs(rows) do
  if col_of(lines[i + 2], row.country) ~= c2 then ok2 = false end
end
T.ok(c2 and ok2, "the second column starts at the same display column on every line")
local ends = {}
for i = 1, #lines do
  if i ~= 2 then ends[#ends + 1] = report.width(lines[i]) end
end
T.eq(ends, { ends[1], ends[1], ends[1], ends[1], ends[1], ends[1] },
  "right-aligned numbers end at the same display column on every line")
T.ok(lines[5]:find("  1234$") ~= nil, "numbers are right-aligned")
T.ok(lines[2]:find("─", 1, true) and lines[2]:gsub("─", ""):find("^ +$") ~= nil, "a rule of box-drawing dashes under the header")

-- ---- truncation ----------------------------------------------------------
T.eq(report.truncate("Birleşmiş Milletler Güvenlik Konseyi", 12), "Birleşmiş…",
  "long text is cut at a word's letters and ends with an ellipsis")
T.eq(report.width(report.truncate("中华人民共和国外交部", 7)), 7, "wide characters are never split: width fits")
T.eq(report.truncate("中华人民共和国外交部", 7), "中华人…", "CJK truncation keeps whole characters")
T.eq(report.truncate("Ankara", 10), "Ankara", "short text is unchanged")
T.eq(report.truncate("Cafe\u{301} de Flore", 5), "Cafe\u{301}…",
  "a letter keeps its combining accent when truncated")
local long = report.new({ { t = string.rep("Kuzey Kore’nin ", 10) } }, { { key = "t", max = 20 } })
local tl = long:text()
T.ok(tl:find("…", 1, true) and report.width(tl:match("\n[^\n]*\n([^\n]*)\n$")) <= 20,
  "a column max limits the cell width")
local narrow = r:text({ width = 30 })
local widest = 0
for l in narrow:gmatch("[^\n]+") do widest = math.max(widest, report.width(l)) end
T.ok(widest <= 30, "opts.width shrinks the widest columns to fit")

-- ---- CSV -----------------------------------------------------------------
local tricky = {
  { a = 'He said "hello"', b = "one, two", c = "line1\nline2", d = 3 },
  { a = " padded", b = "plain", c = "Kim Jong Un’un", d = 4.5 },
}
local cr = report.new(tricky, { "a", "b", "c", "d" })
local csv = cr:csv()
T.eq(csv:sub(1, 9), "a,b,c,d\r\n", "header row ends in CRLF")
T.ok(csv:find('"He said ""hello"""', 1, true), "quotes are doubled inside a quoted field")
T.ok(csv:find('"one, two"', 1, true), "a field with a comma is quoted")
T.ok(csv:find('"line1\nline2"', 1, true), "a line break stays inside a quoted field")
T.ok(csv:find('" padded"', 1, true), "leading space is protected by quotes")
T.eq(C.csv_parse(csv), {
  { "a", "b", "c", "d" },
  { 'He said "hello"', "one, two", "line1\nline2", "3" },
  { " padded", "plain", "Kim Jong Un’un", "4.5" },
}, "an RFC 4180 reader gets the original values back")

-- ---- JSON ----------------------------------------------------------------
local jrows = {
  { s = 'quote " backslash \\ tab\t nl\n ctl\1', n = 1, f = 0.25, b = true },
  { s = "Türkiye’nin \u{2028} sonu", n = -2, f = math.huge, b = false },
  { s = "bad \xff byte", n = 0 },
}
local json = report.new(jrows, { "s", "n", "f", "b" }):json()
local v, err = C.json_decode(json)
T.ok(v, "report JSON decodes: " .. tostring(err))
if v then
  T.eq(v[1].s, 'quote " backslash \\ tab\t nl\n ctl\1', "escapes round-trip")
  T.eq(v[2].s, "Türkiye’nin \u{2028} sonu", "non-ASCII text round-trips")
  T.eq(v[1].n, 1, "numbers stay numbers")
  T.eq(v[1].f, 0.25, "floats keep their value")
  T.eq(v[2].f, C.null, "infinity becomes null")
  T.eq(v[3].b, C.null, "a missing cell becomes null")
  T.eq(v[3].s, "bad \u{FFFD} byte", "invalid UTF-8 is replaced, keeping JSON valid")
end
T.ok(json:find('"s":', 1, true) < json:find('"n":', 1, true), "keys follow column order")
T.ok(C.json_decode(report.json_encode({ a = { 1, 2, { b = "x" } }, e = {} })), "json_encode nests")
T.raises(function() local t = {}; t.self = t; report.json_encode(t) end, "contains itself",
  "a cycle is an error, not a hang")

local back = report.json_decode(json)
T.eq(back and back[2].s, "Türkiye’nin \u{2028} sonu", "report.json_decode reads report JSON back")
T.eq(report.json_decode('{"a":[1,2.5,"\\u00e7\\ud83d\\ude00"],"b":null}'),
  { a = { 1, 2.5, "ç😀" }, b = report.null }, "json_decode: numbers, escapes, surrogate pairs, null")
local nope, jerr = report.json_decode('{"a":1,}')
T.ok(nope == nil and jerr:find("json: key expected at byte 8", 1, true), "json_decode names the byte of an error")
-- The wording is newsdesk.json's now, shared with `newsdesk map`: report.lua
-- had its own decoder that said "text after the value".
T.eq(select(2, report.json_decode('[1] x')), "json: unexpected text after the value at byte 5", "trailing text is an error")

-- ---- Markdown ------------------------------------------------------------
local md = report.new({ { k = "a|b", n = 2 } }, { "k", { key = "n", title = "Count" } },
                      { title = "Pipes" }):markdown()
T.ok(md:find("### Pipes", 1, true), "the title becomes a heading")
T.ok(md:find("| k | Count |\n| --- | ---: |", 1, true), "numbers are right-aligned in Markdown")
T.ok(md:find("| a\\|b | 2 |", 1, true), "pipes inside cells are escaped")

-- ---- errors --------------------------------------------------------------
T.raises(function() report.new("rows") end, "bad argument #1 to 'new'", "rows must be a table")
T.raises(function() report.new({ 1 }) end, "row 1 is a number", "each row must be a table")
T.raises(function() r:save("x.xlsx") end, "format csv, json, md, txt or html", "unknown format is named")

-- ---- terminal charts -----------------------------------------------------
local bars = report.bars({ { "Fidan", 10 }, { "Лавров", 5 }, { label = "金正恩", value = 1 } }, { width = 10 })
local bl = {}
for l in bars:gmatch("[^\n]+") do bl[#bl + 1] = l end
T.ok(bl[1]:find("██████████ 10", 1, true), "the largest value fills the bar width")
T.ok(bl[2]:find("█████ ", 1, true) and not bl[2]:find("██████", 1, true), "half the value, half the bar")
T.ok(bl[3]:find("^金正恩%s+█%s+1$"), "a small value still shows a block")
T.eq(report.width(bl[1]:match("^(.-)█")), report.width(bl[3]:match("^(.-)[▏▎▍▌▋▊▉█]")),
  "bars start at the same column after labels in different scripts")
T.eq(report.sparkline({ 0, 1, 2, 3, 4, 5, 6, 7 }), "▁▂▃▄▅▆▇█", "sparkline spans the eight levels")
T.eq(report.sparkline({ 0, 4, 0 }, { blank_zero = true }), " █ ", "blank_zero leaves gaps")
T.eq(report.sparkline({ 2, 2 }), "██", "equal values are full height")

-- ---- HTML ----------------------------------------------------------------
local doc = report.document("Haftalık <rapor> & özet", { subtitle = "04–10 Kasım 2024" })
doc:table(report.new(rows, { "name", "country", "n" }, { title = "Top entities" }))
doc:bars("Top entities", { { "Hakan Fidan", 42 }, { "<script>alert(1)</script>", 7 } })
doc:timeline("Mentions per day", {
  { name = "Fidan", points = { { "2024-11-04", 3 }, { "2024-11-05", 1 } } },
  { name = "Lavrov", points = { ["2024-11-05"] = 4, ["2024-11-06"] = 2 } },
})
doc:timeline("Mentions per week", { { name = "Putin", points = { { "2024-W45", 6 } } } }, { style = "bars" })
doc:matrix("Co-occurrence", { "Fidan", "Lavrov" }, { { 0, 2 }, { 2, 0 } })
local html = doc:html()
local okb, berr = C.tags_balanced(html)
T.ok(okb, "HTML tags balance: " .. tostring(berr))
T.ok(html:find("^<!DOCTYPE html>"), "an HTML5 document")
T.ok(html:find('<meta charset="utf-8"/>', 1, true), "declares UTF-8")
T.ok(not html:find("<script", 1, true), "no script element, even from data")
T.ok(html:find("&lt;script&gt;alert(1)&lt;/script&gt;", 1, true), "data text is escaped")
T.ok(html:find("<title>Haftalık &lt;rapor&gt; &amp; özet</title>", 1, true), "the title is escaped")
T.ok(not html:find("src=", 1, true) and not html:find("href=", 1, true) and not html:find("url(", 1, true)
     and not html:find("@import", 1, true), "no network resources")
local kinds = {}
for k in html:gmatch('data%-chart="(%a+)"') do kinds[#kinds + 1] = k end
T.eq(kinds, { "bars", "timeline", "timeline", "matrix" }, "every chart is present, in order")
T.ok(html:find('data-label="Hakan Fidan" data-value="42"', 1, true), "bar data point present")
T.ok(html:find('data-x="2024-11-05" data-y="4"', 1, true), "timeline data point present")
T.ok(html:find('data-x="2024-11-06" data-y="0"', 1, true), "a missing day is drawn as zero")
T.ok(html:find("<polyline", 1, true), "line timeline draws a polyline")
T.ok(html:find('<rect class="point" data-x="2024-W45" data-y="6"', 1, true), "bar timeline draws rects")
T.ok(html:find('data-row="Fidan" data-col="Lavrov" data-value="2"', 1, true), "matrix cell present")
T.ok(html:find("<td>Сергей Лавров</td>", 1, true) and html:find('<td class="num">1234</td>', 1, true),
  "the table keeps every row")

-- ---- what an analyst reads off the charts (issue 21) -----------------------
T.eq(report.nice_ticks(9, 5, true), { 0, 2, 4, 6, 8, 10 }, "whole counts get whole ticks up to a round top")
T.eq(select(2, report.nice_ticks(9, 5, true)), 10, "the axis top is the last tick")
T.eq(report.nice_ticks(3, 5, true), { 0, 1, 2, 3 }, "small counts step by one, never 0.6")
T.eq(report.nice_ticks(0.9, 3, false), { 0, 0.5, 1 }, "fractions may step by a fraction")
local function tick_labels(h)
  local t = {}
  for v in h:gmatch('<text class="tick" x="[%d.]+" y="[%d.]+" text%-anchor="end">([^<]*)</text>') do t[#t + 1] = v end
  return t
end
local series6 = {}
for i, name in ipairs({ "Rusya", "Ukrayna", "Erdoğan", "Kuzey Kore", "Putin", "Baerbock" }) do
  series6[i] = { name = name, points = { { "2024-11-04", i % 3 }, { "2024-11-05", 9 - i }, { "2024-11-06", i } } }
end
local d2 = report.document("Axes")
d2:timeline("Mentions per day", series6, { y_title = "mentions", x_title = "day" })
local h2 = d2:html()
local ticks = tick_labels(h2)
T.ok(#ticks > 0, "the timeline has y tick labels")
local fractional = {}
for _, v in ipairs(ticks) do if v:find("[.,]") then fractional[#fractional + 1] = v end end
T.eq(fractional, {}, "no fractional tick for whole counts")
T.ok(h2:find('class="axis%-title"[^>]*>mentions</text>') and h2:find('class="axis%-title"[^>]*>day</text>'),
  "both axes carry their titles")
local legend = h2:match('<p class="legend">(.-)</p>') or ""
T.ok(legend:find("Rusya", 1, true) and legend:find("Kuzey Kore", 1, true) and not legend:find("Putin", 1, true),
  "the legend names the lines the main chart draws (the top 4)")
T.ok(h2:find('class="end%-label"[^>]*>Rusya</text>'), "a line is labelled at its end")
local panels = 0
for _ in h2:gmatch('class="panel%-title"') do panels = panels + 1 end
T.eq(panels, 6, "six series: six small multiples, one per series")
T.ok(h2:find("top 4 of 6 series", 1, true), "the caption says the main chart shows only the top series")
T.ok(h2:find('<svg class="wide"[^>]*width="100%%"') and h2:find('viewBox="0 0 960 ', 1, true),
  "the main chart fills the column (viewBox, width 100%)")
T.ok(h2:find("@media print", 1, true), "the style sheet has print rules")
T.ok(h2:find("<h2>How this was made</h2>", 1, true) and h2:find("<dt>Run at</dt><dd>%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d UTC</dd>"),
  "the footer says when the report was made")
-- the first x label is not clipped: its half fits left of the first point
local first_x = tonumber(h2:match('<svg class="wide".-<text class="tick" x="([%d.]+)" y="[%d.]+" text%-anchor="middle">2024%-11%-04<'))
T.ok(first_x and first_x >= report.width("2024-11-04") * 12 * 0.62 / 2, "the first date label has room for its left half")

local d3 = report.document("Matrix", { made = { { "Rule sets", "pack:leaders" } } })
d3:matrix("Together", { "Fidan", "Lavrov", "Blinken" }, { { 0, 2, 5 }, { 2, 0, 1 }, { 5, 1, 0 } },
  { caption = "Each number counts the articles that mention both." })
local h3 = d3:html()
T.ok(h3:find("<figcaption>Each number counts the articles that mention both.</figcaption>", 1, true),
  "the heatmap says what its numbers count")
T.ok(h3:find('<g class="legend">.*>fewer</text>.*>5</text>.*>more</text></g>'), "the heatmap has a legend up to its largest count")
T.ok(h3:find("<dt>Rule sets</dt><dd>pack:leaders</dd>", 1, true), "the footer lists the rule sets given")
local top_pad = tonumber(h3:match('<svg [^>]*viewBox="0 0 %d+ (%d+)"'))
T.ok(top_pad and top_pad < 3 * 36 + 44 + 60, "no tall empty band above a heatmap with short labels")

local d4 = report.document("Context")
d4:table(report.new({ { date = "2024-11-06", source = "Kuzey Postası Ajans", left = "ve", hit = "Kuzey Kore", right = "ile" },
                      { date = "2024-11-07", left = "x", hit = "Kuzey Kore", right = "y" } },
  { "date", { key = "source", nowrap = true }, { key = "left", title = "", align = "right" }, "hit", { key = "right", title = "" } }))
local h4 = d4:html()
T.ok(not h4:find("<th></th>", 1, true) and h4:find("<th>left</th>", 1, true), "every column has a header")
T.ok(h4:find('<td class="date">2024-11-06</td>', 1, true), "a date does not wrap")
T.ok(h4:find('<td class="nowrap">Kuzey Postası Ajans</td>', 1, true), "a nowrap column does not wrap")
T.ok(h4:find('<td class="nowrap empty">—</td>', 1, true), "an empty cell shows a dash, not nothing")
T.ok(h4:find("td.nowrap,td.date{white-space:nowrap}", 1, true), "the nowrap and date classes stop wrapping")

-- ---- save ----------------------------------------------------------------
local tmp = os.tmpname()
for _, ext in ipairs({ "csv", "json", "md", "txt", "html" }) do
  local path = tmp .. "." .. ext
  T.eq(r:save(path), path, "save as ." .. ext)
  local f = io.open(path, "rb")
  local data = f:read("a")
  f:close()
  os.remove(path)
  local want = ({ csv = r:csv(), json = r:json(), md = r:markdown(), txt = r:text() })[ext]
  if want then T.eq(data, want, "." .. ext .. " file holds the " .. ext .. " text")
  else T.ok(C.tags_balanced(data) and data:find("<table", 1, true), ".html file holds a table") end
end
os.remove(tmp)
local okw, werr, code = r:save("/nonexistent-dir/x.csv")
T.ok(okw == nil and werr:find("nonexistent") and code == "io", "an unwritable path returns nil, message, io")

T.done()
