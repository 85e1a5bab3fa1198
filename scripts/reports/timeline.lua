-- timeline.lua — mentions per entity per day or per week, as sparklines in
-- the terminal or a line/bar chart in HTML.
--
--   newsdesk run scripts/reports/timeline.lua                    (the 5 most mentioned)
--   newsdesk run scripts/reports/timeline.lua --entity-id hakan_fidan --entity-id sergey_lavrov
--   newsdesk run scripts/reports/timeline.lua --interval week --output timeline.html
--
-- --help lists every option (dates, sources, languages, --rules FILE ...).
local A = require("newsdesk.analysis")
local report = require("newsdesk.report")

local o = require("newsdesk.args").parse(arg, A.options({
  usage = "newsdesk run scripts/reports/timeline.lua [options]",
  about = "Mentions per entity per day or week.",
  { "interval", "string", default = "day", help = "day or week" },
  { "entity-id", "list", meta = "ID", help = "entities to show (default: the --top most mentioned)" },
  { "top", "number", default = 5, help = "how many entities when none is named" },
  { "chart", "string", default = "lines", help = "HTML chart style: lines or bars" },
}))
if not o then return end
if o.interval ~= "day" and o.interval ~= "week" then
  error(string.format("option --interval: day or week expected, got %q", o.interval), 0)
end

local recs = A.collect(A.open(o), o)
local series, xs = A.timeline(recs, { interval = o.interval, entities = o.entity_id, top = o.top })

-- one row per entity: total, peak, and a sparkline over the intervals
local rows = {}
for _, s in ipairs(series) do
  local values, total, peak, peak_x = {}, 0, 0, ""
  for i, p in ipairs(s.points) do
    values[i] = p[2]
    total = total + p[2]
    if p[2] > peak then peak, peak_x = p[2], p[1] end
  end
  rows[#rows + 1] = { entity = s.name, id = s.id, total = total, peak = peak_x,
                      trend = report.sparkline(values) }
end
local title = string.format("Mentions per %s, %s – %s", o.interval, xs[1] or "…", xs[#xs] or "…")
local r = report.new(rows, { "entity", "id", "total", { key = "peak", title = "busiest " .. o.interval },
                             { key = "trend", title = "trend", max = 120 } }, { title = title })

-- the long form (entity, interval, mentions) for CSV/JSON
if o.format == "csv" or o.format == "json" or (o.output and o.output:match("%.[cj]s[vo]n?$")) then
  local long = {}
  for _, s in ipairs(series) do
    for _, p in ipairs(s.points) do
      long[#long + 1] = { entity = s.id, label = s.name, [o.interval] = p[1], mentions = p[2] }
    end
  end
  r = report.new(long, { "entity", "label", o.interval, "mentions" }, { title = title })
end

A.emit(r, o, {
  subtitle = string.format("%d articles. %s", #recs, A.describe(o)),
  charts = function(doc) doc:timeline(title, series, { style = o.chart, y_title = "mentions",
                                                        x_title = o.interval }) end,
})
