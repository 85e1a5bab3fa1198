-- new_entities.lua — new-entity alerts: entities whose first mention in the
-- store falls inside a date window (default: the last 7 days of the data),
-- with where they were first seen and how often since.
--
--   newsdesk run scripts/reports/new_entities.lua --since 2024-11-18
--   newsdesk run scripts/reports/new_entities.lua --since 2024-11-11 --until 2024-11-17 --type PERSON
--   newsdesk run scripts/reports/new_entities.lua --rules my_rules.lua --format csv
--
-- The window is --since/--until; everything before it counts as "seen".
-- --help lists every option (sources, languages, --rules FILE ...).
local A = require("newsdesk.analysis")
local report = require("newsdesk.report")

local o = require("newsdesk.args").parse(arg, A.options({
  usage = "newsdesk run scripts/reports/new_entities.lua [--since DAY] [--until DAY] [options]",
  about = "Entities first seen inside a date window.",
  { "days", "number", default = 7, help = "window length when --since is not given" },
}))
if not o then return end

-- the history before the window matters: collect without the date window
local since, until_ = o.since, o["until"]
o.since, o["until"] = nil, nil
local recs = A.collect(A.open(o), o)
if not since then
  local last
  for _, r in ipairs(recs) do if r.day and (not last or r.day > last) then last = r.day end end
  if last then
    local y, m, d = last:match("^(%d+)-(%d+)-(%d+)")
    since = os.date("%Y-%m-%d", os.time({ year = tonumber(y), month = tonumber(m),
                                         day = tonumber(d) - (o.days - 1), hour = 12 }))
  end
end
if until_ then
  local kept = {}
  for _, r in ipairs(recs) do if not r.day or r.day <= until_ then kept[#kept + 1] = r end end
  recs = kept
end
o.since, o["until"] = since, until_

local rows = A.take(A.new_entities(recs, since, until_), o.limit)
for _, row in ipairs(rows) do row.first_seen = A.format_date(row.first_date or row.first_seen, o.date_format) end
local r = report.new(rows, { { key = "label", title = "entity" }, { key = "entity", title = "id" }, "type",
                             { key = "first_seen", title = "first seen" },
                             { key = "first_source", title = "first source", max = 24 },
                             "mentions", "articles" },
                     { title = string.format("New entities %s – %s: %d", since or "…", until_ or "…", #rows) })

A.emit(r, o, {
  subtitle = string.format("%d articles in the history. %s", #recs, A.describe(o)),
  charts = function(doc)
    local items = {}
    for _, row in ipairs(rows) do items[#items + 1] = { row.label or row.entity, row.mentions } end
    doc:bars("Mentions of new entities in the window", items)
  end,
})
