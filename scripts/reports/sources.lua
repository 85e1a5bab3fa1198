-- sources.lua — source comparison: how many articles and mentions each
-- source has, how many different entities it covers, its top entities, and
-- a source × entity table of who covers whom how much.
--
--   newsdesk run scripts/reports/sources.lua
--   newsdesk run scripts/reports/sources.lua --lang tr --entities 6
--   newsdesk run scripts/reports/sources.lua --output sources.html
--   newsdesk run scripts/reports/sources.lua --aliases my_aliases.lua --all
--
-- One source written several ways is one row: case, diacritics,
-- punctuation, a leading "The" and a trailing "Ajans(ı)", "Agency",
-- "Agentur", "Агентство" ... do not count, and the alias table
-- (scripts/lib/newsdesk/source_aliases.lua, extended with --aliases FILE)
-- joins abbreviations and translations ("AA", "Anadolu Ajansı").
-- Articles with no source and sources with no mentions are counted in a
-- note under the table; --all lists them as rows.
--
-- --help lists every option (dates, sources, languages, --rules FILE ...).
local A = require("newsdesk.analysis")
local report = require("newsdesk.report")

local o = require("newsdesk.args").parse(arg, A.options({
  usage = "newsdesk run scripts/reports/sources.lua [options]",
  about = "Which sources cover which entities, and how much.",
  { "entities", "number", default = 6, help = "entities in the source × entity table" },
  { "aliases", "list", meta = "FILE", help = "more source aliases: Lua returning {{\"Name\", \"other spelling\", ...}, ...}" },
  { "all", "flag", help = "also list articles with no source and sources with no mentions" },
}))
if not o then return end

local recs = A.collect(A.open(o), o)
local rows, matrix, info = A.sources(recs, { limit = o.limit, entities = o.entities, aliases = o.aliases, all = o.all })
info.all = o.all
local note = A.sources_note(info)
local r = report.new(rows, { { key = "source", max = 28 }, "articles", "mentions",
                             { key = "entities", title = "entities" },
                             { key = "top", title = "top entities", max = 60 },
                             { key = "spellings", title = "written as", max = 40 } },
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
  subtitle = string.format("%d articles. %s%s", #recs, A.describe(o), note and (" " .. note) or ""),
  terminal = function() return (note and note .. "\n\n" or "") .. cross:text() end,
  charts = function(doc)
    local items = {}
    for _, row in ipairs(rows) do items[#items + 1] = { row.source, row.articles } end
    doc:bars("Articles per source", items)
    doc:table(cross)
  end,
})
