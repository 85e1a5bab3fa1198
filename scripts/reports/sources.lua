-- sources.lua — source comparison: how many articles and mentions each
-- source has, how many different entities it covers, its top entities, and
-- a source × entity table of who covers whom how much.
--
--   newsdesk run scripts/reports/sources.lua
--   newsdesk run scripts/reports/sources.lua --lang tr --entities 6
--   newsdesk run scripts/reports/sources.lua --output sources.html
--
-- --help lists every option (dates, sources, languages, --rules FILE ...).
local A = require("newsdesk.analysis")
local report = require("newsdesk.report")

local o = require("newsdesk.args").parse(arg, A.options({
  usage = "newsdesk run scripts/reports/sources.lua [options]",
  about = "Which sources cover which entities, and how much.",
  { "entities", "number", default = 6, help = "entities in the source × entity table" },
}))
if not o then return end

local recs = A.collect(A.open(o), o)
local rows, matrix = A.sources(recs, { limit = o.limit, entities = o.entities })
local r = report.new(rows, { { key = "source", max = 28 }, "articles", "mentions",
                             { key = "entities", title = "entities" },
                             { key = "top", title = "top entities", max = 60 } },
                     { title = "Sources compared" })

-- source × entity counts as a second table
local cross_rows, cross_cols = {}, { { key = "source", max = 24 } }
for j, label in ipairs(matrix.labels) do
  cross_cols[#cross_cols + 1] = { key = "e" .. j, title = label, align = "right", max = 14 }
end
for i, src in ipairs(matrix.sources) do
  local row = { source = src }
  for j = 1, #matrix.labels do row["e" .. j] = matrix.counts[i][j] end
  cross_rows[#cross_rows + 1] = row
end
local cross = report.new(cross_rows, cross_cols, { title = "Mentions per source and entity" })

A.emit(r, o, {
  subtitle = string.format("%d articles. %s", #recs, A.describe(o)),
  terminal = function() return cross:text() end,
  charts = function(doc)
    local items = {}
    for _, row in ipairs(rows) do items[#items + 1] = { row.source, row.articles } end
    doc:bars("Articles per source", items)
    doc:table(cross)
  end,
})
