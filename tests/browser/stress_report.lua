-- stress_report.lua OUT — an HTML report built to be hard to lay out, for
-- test_report_browser.sh: long labels in several scripts (CJK counts two
-- columns), twelve series over two months, counts in the hundred thousands,
-- a single point, grouped weekly bars, a 14 × 14 heatmap and a wide table.
local report = require("newsdesk.report")
local out = assert(arg[1], "usage: stress_report.lua OUT.html")

local names = { "Recep Tayyip Erdoğan", "Сергей Викторович Лавров", "金正恩", "Birleşmiş Milletler Güvenlik Konseyi",
                "Olaf Scholz", "Annalena Baerbock", "Kuzey Atlantik Antlaşması Örgütü", "Ursula von der Leyen",
                "Владимир Путин", "Antony Blinken", "Volodymyr Zelenskiy", "Ṣ̌ Combining-Marks Name" }
local days = {}
for d = 1, 30 do days[#days + 1] = string.format("2024-11-%02d", d) end
for d = 1, 31 do days[#days + 1] = string.format("2024-12-%02d", d) end
local series = {}
for i, name in ipairs(names) do
  local pts = {}
  for k, day in ipairs(days) do pts[#pts + 1] = { day, ((k * (i + 3)) % 17) * (i == 1 and 9000 or 1) } end
  series[i] = { name = name, points = pts }
end

local doc = report.document("Stress: long labels, many series, big numbers",
  { made = { { "Selection", "synthetic data for the browser test" } } })
local items = {}
for i, name in ipairs(names) do items[i] = { name .. (i % 3 == 0 and " — with a very long qualifier appended" or ""), 123456 // i } end
doc:bars("Long labels and big values", items)
doc:timeline("Twelve series, two months", series, { y_title = "mentions", x_title = "day" })
doc:timeline("Two series, one of them huge", { series[1], series[2] })
doc:timeline("A single point", { { name = "only", points = { { "2024-11-04", 1 } } } })
local weeks = {}
for i = 1, 4 do
  local pts = {}
  for w = 40, 52 do pts[#pts + 1] = { string.format("2024-W%02d", w), (w * i) % 7 } end
  weeks[i] = { name = names[i], points = pts }
end
doc:timeline("Grouped weekly bars", weeks, { style = "bars", x_title = "week" })
local labels, counts = {}, {}
for i = 1, 14 do labels[i] = names[(i - 1) % #names + 1] .. (i > 12 and " (ii)" or "") end
for i = 1, 14 do
  counts[i] = {}
  for j = 1, 14 do counts[i][j] = i == j and 0 or ((i * j) % 23) * 7 end
end
doc:matrix("A 14 × 14 heatmap with long names", labels, counts, { caption = "Synthetic counts." })
local rows = {}
for i, name in ipairs(names) do
  rows[i] = { date = days[i], source = name, text = string.rep(name .. " ", 8), n = i * 1000 }
end
doc:table(report.new(rows, { "date", { key = "source", nowrap = true }, "text", "n" }), "A wide table")
assert(doc:save(out))
