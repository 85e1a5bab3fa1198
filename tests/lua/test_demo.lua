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
