-- cooccurrence.lua — which entities appear together: pairs in the same
-- article (default) or in the same sentence, with counts; the HTML output
-- adds a co-occurrence matrix.
--
--   newsdesk run scripts/reports/cooccurrence.lua
--   newsdesk run scripts/reports/cooccurrence.lua --scope sentence --type PERSON
--   newsdesk run scripts/reports/cooccurrence.lua --output pairs.html
--
-- --help lists every option (dates, sources, languages, --rules FILE ...).
local A = require("newsdesk.analysis")
local report = require("newsdesk.report")

local o = require("newsdesk.args").parse(arg, A.options({
  usage = "newsdesk run scripts/reports/cooccurrence.lua [options]",
  about = "Pairs of entities mentioned together, with counts.",
  { "scope", "string", default = "article", help = "article or sentence" },
}))
if not o then return end
if o.scope ~= "article" and o.scope ~= "sentence" then
  error(string.format("option --scope: article or sentence expected, got %q", o.scope), 0)
end

local recs = A.collect(A.open(o), o, { text = o.scope == "sentence" })
local rows, matrix = A.cooccurrence(recs, { scope = o.scope, limit = o.limit })
local r = report.new(rows, {
  { key = "a_label", title = "entity" }, { key = "b_label", title = "with" },
  { key = "count", title = o.scope == "sentence" and "sentences" or "articles" },
  { key = "a", title = "entity id" }, { key = "b", title = "with id" },
}, { title = "Entities mentioned together (same " .. o.scope .. ")" })

A.emit(r, o, {
  subtitle = string.format("%d articles. %s", #recs, A.describe(o)),
  charts = function(doc)
    doc:matrix("Co-occurrence (same " .. o.scope .. ")", matrix.labels, matrix.counts,
      { caption = "Each number counts the " .. (o.scope == "sentence" and "sentences" or "articles") ..
                  " that mention both the row and the column entity; darker is more." })
  end,
})
