-- concordance.lua — keyword in context: every occurrence of a term (or of an
-- entity's mentions) with the original text around it, aligned on the hit.
-- Matching folds case, diacritics, Turkish I's and apostrophes, and a
-- suffix after an apostrophe stays with the hit ("Rusya’nın").
--
--   newsdesk run scripts/reports/concordance.lua rusya
--   newsdesk run scripts/reports/concordance.lua "kuzey kore" --lang tr --width 30
--   newsdesk run scripts/reports/concordance.lua --entity-id kim_jong_un --rules my_rules.lua
--
-- --help lists every option (dates, sources, languages, --rules FILE ...).
local A = require("newsdesk.analysis")
local report = require("newsdesk.report")

local o = require("newsdesk.args").parse(arg, A.options({
  usage = "newsdesk run scripts/reports/concordance.lua TERM [options]",
  about = "Keyword in context for a term or an entity.",
  { "entity-id", "string", meta = "ID", help = "show the mentions of this entity instead of a term" },
  { "width", "number", default = 40, help = "columns of context either side" },
}))
if not o then return end
local term = o[1]
if not term and not o.entity_id then
  error("concordance: give a TERM or --entity-id ID (--help lists the options)", 0)
end
if o.entity_id and not o.entity then o.entity = o.entity_id end

local recs = A.collect(A.open(o), o, { text = true })
local rows = A.concordance(recs, term, { entity = o.entity_id, width = o.width, limit = o.limit,
                                               date_format = o.date_format })
local r = report.new(rows, {
  "date", { key = "source", max = 18 },
  { key = "left", title = "", align = "right", max = o.width + 1 },
  { key = "hit", title = term or o.entity_id },
  { key = "right", title = "", max = o.width + 1 },
}, { title = string.format("“%s” in context: %d hits", term or o.entity_id, #rows) })

A.emit(r, o, { subtitle = string.format("%d articles searched. %s", #recs, A.describe(o)) })
