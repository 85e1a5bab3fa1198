-- `make demo` (build/newsdesk run scripts/demo.lua) runs to the end, shows
-- a top-entities table and a timeline, and writes a well-formed HTML report
-- with its charts.
local T = dofile("tests/lua/harness.lua")
local C = dofile("tests/lua/check_output.lua")

local out, ok = C.run(C.nd .. " run scripts/demo.lua")
T.ok(ok, "the demo exits successfully" .. (ok and "" or (":\n" .. out)))
local files, added, near = out:match("(%d+) files: (%d+) articles added, %d+ exact duplicates, (%d+) near%-duplicates")
T.ok(files and tonumber(added) >= 30 and tonumber(near) >= 2,
  "the demo ingests the corpus: 30+ articles, near-duplicates found (" .. tostring(added) .. ", " .. tostring(near) .. ")")
T.ok(out:find("languages: de %d+, en %d+, ru %d+, tr %d+"), "four languages in the store")
T.ok(out:find("tagged %d+ articles, %d+ mentions"), "the demo tags with the bundled rule packs")
T.ok(out:find("4. Top entities", 1, true) and out:find("entity%s+type%s+mentions%s+articles"),
  "the demo prints a top-entities table")
T.ok(out:find("5. Mentions per day, 2024%-11%-%d%d – 2024%-11%-%d%d"), "the demo prints a timeline over November 2024")
T.ok(out:find("[▁▂▃▄▅▆▇█]"), "the timeline has sparklines")
local path = out:match("wrote (%S+%.html)")
T.eq(path, "build/demo-report.html", "the demo tells where the HTML report is")
local f = path and io.open(path, "rb")
local html = f and f:read("a") or ""
if f then f:close() end
local okb, err = C.tags_balanced(html)
T.ok(okb, "the HTML report is well-formed: " .. tostring(err))
local kinds = {}
for k in html:gmatch('data%-chart="(%a+)"') do kinds[#kinds + 1] = k end
T.eq(kinds, { "bars", "timeline", "matrix" }, "top entities, timeline and co-occurrence charts")
local top = out:match("4%. Top entities\n[^\n]*\n[^\n]*\n[^\n]*\n([^\n]+)")
local label, n = (top or ""):match("^(.-)%s%s+%u+%s+(%d+)")
T.ok(label and html:find('data-label="' .. label .. '" data-value="' .. n .. '"', 1, true),
  "the HTML bar chart shows the same leader as the terminal table (" .. tostring(label) .. ")")

-- issue 16: the top-entities table speaks one language, holds no junk
-- organisations, and shows names discovery found beside the packs'
-- entities, each row marked with what found it
local nd = require("newsdesk")
local A = require("newsdesk.analysis")
local rows = {}
local tbl = out:match("4%. Top entities\n[^\n]*\n[^\n]*\n[^\n]*\n(.-)\n\n") or ""
for line in tbl:gmatch("[^\n]+") do
  local lab, ty, m, a, found = line:match("^(.-)%s%s+(%u+)%s+(%d+)%s+(%d+)%s%s+(%S+)$")
  if lab then rows[#rows + 1] = { label = lab, type = ty, found = found } end
end
T.ok(#rows >= 10, "the top-entities table has its rows (" .. #rows .. ")")
local found_by = {}
for _, r in ipairs(rows) do found_by[r.found] = (found_by[r.found] or 0) + 1 end
T.ok((found_by.discovery or 0) >= 3, "at least three rows are names only discovery found, marked \"discovery\"")
T.ok((found_by.rules or 0) + (found_by["rules+discovery"] or 0) >= 5, "... beside the packs' entities, marked \"rules\"")
-- one language: no row is labelled with a pack entity's name in another
-- language (Moscow, Russland, Россия), and every pack label is Turkish
local tr_label, other = {}, {}
for _, labels in pairs(A.pack_labels()) do
  for lang, l in pairs(labels) do
    if lang == "tr" then tr_label[l] = true else other[l] = true end
  end
end
for _, r in ipairs(rows) do
  T.ok(tr_label[r.label] or not other[r.label], "row \"" .. r.label .. "\" is labelled in Turkish, the corpus's main language")
  T.ok(not r.label:find("[\208\209]"), "row \"" .. r.label .. "\" is not in Cyrillic")
end
-- no junk organisation: an ORG row is a capitalised name, never a bare
-- head word of a title pattern ("ajansı", "birliği", "Partisi")
local cues = require("newsdesk.discover_cues")
local heads = {}
for _, sec in pairs(cues) do
  for _, w in ipairs(type(sec) == "table" and type(sec.head) == "table" and sec.head.ORG or {}) do
    heads[nd.text.fold(w)] = true
  end
end
for _, r in ipairs(rows) do
  if r.type == "ORG" then
    local first = r.label:match(utf8.charpattern)
    T.ok(first:find("%d") or nd.text.lower(first) ~= first, "ORG \"" .. r.label .. "\" starts with a capital or a digit")
    T.ok(not heads[nd.text.fold(r.label)], "ORG \"" .. r.label .. "\" is no bare head word")
  end
end

-- the README's walkthrough quotes what the demo prints
local readme = assert(io.open("README.md")):read("a")
local rfiles, rarts = readme:match("corpus in `scripts/corpus` %((%d+) files holding (%d+) diplomacy articles")
T.eq({ rfiles, rarts }, { files, added }, "the README gives the files and articles the demo reports")
local langs = {}
for lang, k in (out:match("languages: ([^\n]+)") or ""):gmatch("(%a%a) (%d+)") do langs[lang] = k end
local rl = readme:match("— (%d+ Turkish, %d+ English, %d+ German, %d+ Russian) —") or ""
T.eq(rl, string.format("%s Turkish, %s English, %s German, %s Russian", tostring(langs.tr), tostring(langs.en),
  tostring(langs.de), tostring(langs.ru)), "... and the languages")
local rnear = readme:match("and (%d+) republished near%-duplicates")
T.eq(rnear, near, "... and the near-duplicates")
T.ok(not out:find("U%.S[^.]") and not html:find(">U%.S<"), "no label cut to \"U.S\"")

-- what an analyst reads off the report (issue 21)
local empty_th = 0
for _ in html:gmatch("<th></th>") do empty_th = empty_th + 1 end
T.eq(empty_th, 0, "every table column of the report has a header")
T.ok(html:find("<th>before</th><th>hit</th><th>after</th>", 1, true), "the concordance names its context columns")
T.ok(html:find('<td class="date">2024%-11%-%d%d</td>'), "concordance dates do not wrap")
T.ok(html:find('class="axis%-title"[^>]*>mentions</text>') and html:find('class="axis%-title"[^>]*>day of publication</text>'),
  "the timeline's axes have titles")
T.ok(html:find("<figcaption>Each number counts the articles that mention both", 1, true),
  "the heatmap says what its numbers count")
T.ok(html:find("<dt>Rule sets</dt><dd>pack:leaders, ", 1, true) and html:find("<dt>Run at</dt>", 1, true),
  "the footer says how the report was made")
T.done()
