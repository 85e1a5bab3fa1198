-- top_entities.lua — the most mentioned entities (people, places,
-- organisations): overall, or per type, source, language, day or week.
--
--   newsdesk run scripts/reports/top_entities.lua --since 2024-11-01
--   newsdesk run scripts/reports/top_entities.lua --by source --limit 3
--   newsdesk run scripts/reports/top_entities.lua --rules my_rules.lua --output top.html
--
-- Mentions come from the store (after `newsdesk tag`), or from your own
-- rules file with --rules.  --help lists every option.
local A = require("newsdesk.analysis")
local report = require("newsdesk.report")

local o = require("newsdesk.args").parse(arg, A.options({
  usage = "newsdesk run scripts/reports/top_entities.lua [options]",
  about = "The most mentioned entities, overall or per group.",
  { "by", "string", help = "group by type, source, lang, day or week" },
}))
if not o then return end
local BY = { type = true, source = true, lang = true, day = true, week = true }
if o.by and not BY[o.by] then
  error(string.format("option --by: type, source, lang, day or week expected, got %q", o.by), 0)
end

local recs = A.collect(A.open(o), o)
local rows = A.top_entities(recs, { by = o.by, limit = o.limit })
local cols = {}
if o.by then cols[1] = { key = "group", title = o.by } end
cols[#cols + 1] = { key = "label", title = "entity" }
cols[#cols + 1] = { key = "entity", title = "id" }
if o.by ~= "type" then cols[#cols + 1] = "type" end
cols[#cols + 1] = "mentions"
cols[#cols + 1] = "articles"
for _, row in ipairs(rows) do          -- what found each name, once discovery did
  if row.found ~= "rules" then cols[#cols + 1] = { key = "found", title = "found by" }; break end
end
local title = "Top entities" .. (o.by and (" by " .. o.by) or "")
local r = report.new(rows, cols, { title = title })

local function items()
  local list = {}
  for _, row in ipairs(rows) do
    list[#list + 1] = { (o.by and (row.group .. " · ") or "") .. (row.label or row.entity), row.mentions }
  end
  return list
end

A.emit(r, o, {
  subtitle = string.format("%d articles. %s", #recs, A.describe(o)),
  terminal = function() return o.by and "" or report.bars(items(), { width = 30 }) end,
  charts = function(doc) doc:bars(title, items()) end,
})
