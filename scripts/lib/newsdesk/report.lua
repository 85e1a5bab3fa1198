-- newsdesk.report — tables and charts for analysts: terminal text aligned by
-- display width, CSV (RFC 4180), JSON, Markdown, and a self-contained HTML
-- document with inline SVG charts.
--
--   local report = require "newsdesk.report"
--   local r = report.new(rows, {"entity", {key="n", title="Mentions"}}, {title="Top"})
--   r:print()                      -- aligned on the terminal
--   io.write(r:csv())              -- or r:json(), r:markdown(), r:save("top.csv")
--   print(report.bars({{"Fidan", 12}, {"Lavrov", 7}}))
--   print(report.sparkline({1, 4, 2, 8}))
--   local doc = report.document("Week 46")
--   doc:table(r); doc:bars("Top entities", items); doc:timeline("Mentions", series)
--   doc:matrix("Co-occurrence", labels, counts); doc:save("week46.html")
local M = {}

-- ---- display width --------------------------------------------------------
-- Terminal columns and grapheme clusters come from the text layer, so CJK
-- counts two columns, combining marks none, and truncation never splits a
-- letter from its accent.

local text = require("newsdesk.text")
local json = require("newsdesk.json")
local width = text.width
M.width = width

local function units(s)
  local out = {}
  for g in text.graphemes(s) do out[#out + 1] = g end
  return out
end

-- Cut s to at most w columns, ending in "…" when something was cut.
function M.truncate(s, w)
  s = tostring(s)
  if width(s) <= w then return s end
  if w <= 0 then return "" end
  local acc, used = {}, 0
  for _, u in ipairs(units(s)) do
    local uw = width(u)
    if used + uw > w - 1 then break end
    acc[#acc + 1] = u
    used = used + uw
  end
  local cut = table.concat(acc)
  -- end at a word boundary when that keeps most of the room
  local at = cut:match("^.*()%s%S*$")
  if at and width(cut:sub(1, at - 1)) >= (w - 1) * 0.6 then cut = cut:sub(1, at - 1) end
  return (cut:gsub("%s+$", "")) .. "…"
end

local function pad(s, w, right)
  local fill = string.rep(" ", math.max(0, w - width(s)))
  if right then return fill .. s end
  return s .. fill
end
M.pad = pad

-- ---- cell values ----------------------------------------------------------

local function cell_text(v)
  if v == nil then return "" end
  if math.type(v) == "float" then
    if v ~= v or v == math.huge or v == -math.huge then return tostring(v) end
    if v == math.floor(v) and math.abs(v) < 1e15 then return string.format("%d", v) end
    return (string.format("%.3f", v):gsub("0+$", ""):gsub("%.$", ""))
  end
  if type(v) == "table" then
    local parts = {}
    for i = 1, #v do parts[i] = tostring(v[i]) end
    return table.concat(parts, ", ")
  end
  return (tostring(v):gsub("[\r\n\t]+", " "))
end

-- ---- JSON -----------------------------------------------------------------

-- s with every invalid UTF-8 sequence replaced by U+FFFD.
local function valid_utf8(s)
  if text.valid(s) then return s end
  return (text.repair(s))
end
M.valid_utf8 = valid_utf8

-- JSON is newsdesk.json's (one encoder and decoder for C and Lua; its rules
-- are in REFERENCE.md): reports write NaN and infinities as null and
-- invalid UTF-8 as U+FFFD (`repair`), and read null back as M.null.
local REPAIR = { repair = true }

-- A value that encodes as JSON null inside tables (where nil would vanish).
M.null = json.null

-- JSON text of a Lua value: tables with keys 1..n become arrays, others
-- objects with sorted keys; NaN and infinities become null.
function M.json_encode(v)
  return json.encode(v, REPAIR)
end

-- Decode JSON text → value (objects and arrays as tables, null as
-- report.null), or nil, "json: message at byte N".  For reading JSON Lines
-- and the JSON reports back in scripts.
function M.json_decode(s)
  local v, err = json.decode(s, { null = M.null })
  if err then return nil, err end
  return v
end

-- ---- report objects -------------------------------------------------------

local Report = {}
Report.__index = Report
Report.__name = "newsdesk.report"

-- Normalise a column spec: "key" or {key=, title=, align="left"|"right",
-- max=columns, format=function(v, row) → string, nowrap=true (HTML: the
-- cells never wrap)}.
local function norm_columns(cols, rows)
  local out = {}
  if not cols then
    local keys, seen = {}, {}
    for _, row in ipairs(rows) do
      for k in pairs(row) do
        if not seen[k] and type(k) == "string" then seen[k] = true; keys[#keys + 1] = k end
      end
    end
    table.sort(keys)
    cols = keys
  end
  for i, c in ipairs(cols) do
    if type(c) == "string" then c = { key = c } end
    if type(c) ~= "table" or c.key == nil then
      error(string.format("bad column #%d (string or {key=...} expected)", i), 3)
    end
    local col = { key = c.key, title = c.title or tostring(c.key), align = c.align,
                  max = c.max, format = c.format, nowrap = c.nowrap }
    if not col.align then
      col.align = "left"
      for _, row in ipairs(rows) do
        local v = row[c.key]
        if v ~= nil then
          if type(v) == "number" then col.align = "right" end
          break
        end
      end
    end
    out[i] = col
  end
  return out
end

-- report.new(rows[, columns][, opts]) → report.  rows: list of tables;
-- columns: list of keys or {key=, title=, align=, max=, format=}, default
-- every string key, sorted; opts.title: a caption.
function M.new(rows, columns, opts)
  if type(rows) ~= "table" then
    error("bad argument #1 to 'new' (table of rows expected, got " .. type(rows) .. ")", 2)
  end
  if columns ~= nil and type(columns) ~= "table" then
    error("bad argument #2 to 'new' (table of columns expected, got " .. type(columns) .. ")", 2)
  end
  local copy = {}
  for i, row in ipairs(rows) do
    if type(row) ~= "table" then
      error(string.format("bad argument #1 to 'new' (row %d is a %s, table expected)", i, type(row)), 2)
    end
    copy[i] = row
  end
  opts = opts or {}
  return setmetatable({ rows = copy, columns = norm_columns(columns, copy),
                        title = opts.title }, Report)
end

function Report:__len() return #self.rows end

-- The cell text of column col in row.
function Report:cell(row, col)
  local v = row[col.key]
  if col.format then return cell_text(col.format(v, row)) end
  return cell_text(v)
end

-- Aligned terminal text.  opts.max: widest cell in columns (default 40,
-- a column's own max wins); opts.width: the whole line's width limit; the
-- widest columns shrink until it fits.  opts.sep: between columns ("  ").
function Report:text(opts)
  opts = opts or {}
  local sep = opts.sep or "  "
  local cols, cells, widths = self.columns, {}, {}
  for j, col in ipairs(cols) do widths[j] = width(col.title) end
  for i, row in ipairs(self.rows) do
    cells[i] = {}
    for j, col in ipairs(cols) do
      local s = self:cell(row, col)
      local limit = col.max or opts.max or 40
      if width(s) > limit then s = M.truncate(s, limit) end
      cells[i][j] = s
      widths[j] = math.max(widths[j], width(s))
    end
  end
  if opts.width then
    local total = function()
      local t = #sep * (#cols - 1)
      for j = 1, #cols do t = t + widths[j] end
      return t
    end
    while total() > opts.width do
      local big = 1
      for j = 2, #cols do if widths[j] > widths[big] then big = j end end
      if widths[big] <= 4 then break end
      widths[big] = widths[big] - 1
    end
  end
  local lines = {}
  if self.title then lines[#lines + 1] = self.title end
  local function line(vals, rule)
    local parts = {}
    for j, col in ipairs(cols) do
      local s = vals[j]
      if width(s) > widths[j] then s = M.truncate(s, widths[j]) end
      parts[j] = rule and string.rep("─", widths[j]) or pad(s, widths[j], col.align == "right")
    end
    lines[#lines + 1] = (table.concat(parts, sep):gsub("%s+$", ""))
  end
  local titles = {}
  for j, col in ipairs(cols) do titles[j] = col.title end
  line(titles)
  line(titles, true)
  for i = 1, #cells do line(cells[i]) end
  return table.concat(lines, "\n") .. "\n"
end

-- Write the aligned text to file (default io.stdout).
function Report:print(file, opts)
  if type(file) == "table" and not io.type(file) then file, opts = nil, file end
  (file or io.stdout):write(self:text(opts))
end

local function csv_field(s)
  if s:find('[,"\r\n]') or s:find("^%s") or s:find("%s$") then
    return '"' .. s:gsub('"', '""') .. '"'
  end
  return s
end
M.csv_field = csv_field

-- RFC 4180 text: a header row, CRLF line ends, fields with commas, quotes,
-- line breaks or edge spaces quoted.  Cells keep their full text (no
-- truncation) and their line breaks.
function Report:csv()
  local out = {}
  local hdr = {}
  for j, col in ipairs(self.columns) do hdr[j] = csv_field(col.title) end
  out[1] = table.concat(hdr, ",")
  for _, row in ipairs(self.rows) do
    local f = {}
    for j, col in ipairs(self.columns) do
      local v = row[col.key]
      if col.format then v = col.format(v, row) end
      local s = type(v) == "string" and valid_utf8(v) or cell_text(v)
      f[j] = csv_field(s)
    end
    out[#out + 1] = table.concat(f, ",")
  end
  return table.concat(out, "\r\n") .. "\r\n"
end

-- A JSON array of objects, keys in column order (the column keys, values
-- as they are: numbers stay numbers).
function Report:json()
  local buf = { "[" }
  for i, row in ipairs(self.rows) do
    if i > 1 then buf[#buf + 1] = ",\n " end
    buf[#buf + 1] = "{"
    for j, col in ipairs(self.columns) do
      local v = row[col.key]
      if col.format then v = col.format(v, row) end
      if j > 1 then buf[#buf + 1] = "," end
      buf[#buf + 1] = json.encode(tostring(col.key), REPAIR)
      buf[#buf + 1] = ":"
      buf[#buf + 1] = json.encode(v, REPAIR)
    end
    buf[#buf + 1] = "}"
  end
  buf[#buf + 1] = "]\n"
  return table.concat(buf)
end

local function md_cell(s)
  return (s:gsub("\\", "\\\\"):gsub("|", "\\|"):gsub("[\r\n]+", " "))
end

-- A GitHub-style Markdown table (with the title as a heading if any).
function Report:markdown()
  local out = {}
  if self.title then out[#out + 1] = "### " .. md_cell(self.title) .. "\n" end
  local hdr, rule = {}, {}
  for j, col in ipairs(self.columns) do
    hdr[j] = md_cell(col.title)
    rule[j] = col.align == "right" and "---:" or "---"
  end
  out[#out + 1] = "| " .. table.concat(hdr, " | ") .. " |"
  out[#out + 1] = "| " .. table.concat(rule, " | ") .. " |"
  for _, row in ipairs(self.rows) do
    local f = {}
    for j, col in ipairs(self.columns) do f[j] = md_cell(self:cell(row, col)) end
    out[#out + 1] = "| " .. table.concat(f, " | ") .. " |"
  end
  return table.concat(out, "\n") .. "\n"
end

local function write_file(path, data)
  local f, err = io.open(path, "wb")
  if not f then return nil, err, "io" end
  local ok, werr = f:write(data)
  f:close()
  if not ok then return nil, werr, "io" end
  return path
end
M.write_file = write_file

local FORMATS = { csv = "csv", json = "json", md = "markdown", markdown = "markdown",
                  txt = "text", text = "text", html = "html", htm = "html" }

-- Save in the format named by fmt or by the path's extension
-- (csv, json, md, txt, html).  → path, or nil, message, "io".
function Report:save(path, fmt)
  fmt = fmt or path:match("%.(%w+)$")
  local kind = FORMATS[fmt or ""]
  if not kind then
    error("bad argument #2 to 'save' (format csv, json, md, txt or html expected, got "
          .. tostring(fmt) .. ")", 2)
  end
  if kind == "html" then
    local doc = M.document(self.title or "newsdesk report")
    doc:table(self)
    return write_file(path, doc:html())
  end
  return write_file(path, self[kind](self))
end

M.Report = Report

-- ---- terminal charts ------------------------------------------------------

local EIGHTHS = { "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█" }

-- A bar of value/max scaled to w columns, in eighth blocks.
local function bar(value, max, w)
  if max <= 0 or value <= 0 then return "" end
  local eighths = math.floor(value / max * w * 8 + 0.5)
  if eighths < 1 then eighths = 1 end
  local full = eighths // 8
  local rest = eighths % 8
  return string.rep("█", full) .. (rest > 0 and EIGHTHS[rest] or "")
end
M.bar = bar

-- Item i of a chart list: {label, value} or {label=, value=}.
local function item(it)
  if type(it) ~= "table" then error("chart item must be a table {label, value}", 3) end
  local label = it.label or it[1]
  local value = it.value or it[2] or 0
  return cell_text(label), tonumber(value) or 0
end

-- Horizontal bar chart text, one line per item:
-- "label   ████▌ 12".  opts.width: bar columns (default 40), opts.label:
-- widest label (default 24).
function M.bars(items, opts)
  opts = opts or {}
  local w = opts.width or 40
  local lw, max = 0, 0
  local labels, values = {}, {}
  for i, it in ipairs(items) do
    labels[i], values[i] = item(it)
    labels[i] = M.truncate(labels[i], opts.label or 24)
    lw = math.max(lw, width(labels[i]))
    max = math.max(max, values[i])
  end
  local lines = {}
  if opts.title then lines[1] = opts.title end
  for i = 1, #labels do
    lines[#lines + 1] = pad(labels[i], lw) .. "  " .. pad(bar(values[i], max, w), w) ..
                        " " .. cell_text(values[i])
  end
  return table.concat(lines, "\n") .. "\n"
end

local SPARKS = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" }

-- One character per value, ▁ (lowest) to █ (highest); zero stays "▁"
-- unless opts.blank_zero, which prints a space.
function M.sparkline(values, opts)
  opts = opts or {}
  local lo, hi = opts.min or 0, 0
  for _, v in ipairs(values) do hi = math.max(hi, v) end
  local out = {}
  for i, v in ipairs(values) do
    if v == 0 and opts.blank_zero then out[i] = " "
    elseif hi <= lo then out[i] = SPARKS[1]
    else
      local k = math.floor((v - lo) / (hi - lo) * 7 + 0.5) + 1
      out[i] = SPARKS[math.max(1, math.min(8, k))]
    end
  end
  return table.concat(out)
end

-- ---- HTML document --------------------------------------------------------

local HTML_ESC = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }
local function esc(s)
  return (valid_utf8(cell_text(s)):gsub("[&<>\"']", HTML_ESC))
end
M.escape_html = esc

-- Ten colours that stay apart for common colour-vision deficiencies and in
-- greyscale print (a blue, an orange, a green ... each dark enough for text).
local PALETTE = { "#2b6cb0", "#c05621", "#2f855a", "#b83280", "#6b46c1",
                  "#b7791f", "#00838f", "#c53030", "#4a5568", "#276749" }
local function colour(i) return PALETTE[(i - 1) % #PALETTE + 1] end

local CSS = [[
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a202c;background:#fff;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin:2rem 0 .4rem;border-bottom:1px solid #e2e8f0;padding-bottom:.2rem}
h3{font-size:1rem;margin:1rem 0 .3rem}
p.meta{color:#4a5568;margin-top:0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #e2e8f0;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f7fafc;white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.nowrap,td.date{white-space:nowrap}td.empty{color:#a0aec0}
svg{display:block;width:100%;height:auto;overflow:visible}svg text{fill:#2d3748;font-family:inherit}
svg .axis-title{fill:#4a5568}svg.narrow{display:none}
@media (max-width:47.99rem){svg.wide{display:none}svg.narrow{display:block}}svg .grid{stroke:#edf2f7}svg .axis{stroke:#a0aec0}
.legend{margin:.2rem 0 .4rem;font-size:.9rem}.legend span{display:inline-block;margin-right:1rem;white-space:nowrap}
.legend i{display:inline-block;width:1.2rem;height:.25rem;margin-right:.35rem;vertical-align:middle}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.5rem 1.2rem;margin-top:.6rem}
figure{margin:1rem 0}figcaption{color:#4a5568;font-size:.85rem;margin-top:.3rem}
footer.made{margin-top:3rem;border-top:1px solid #e2e8f0;color:#4a5568;font-size:.85rem}
footer.made h2{font-size:1rem;border:0;margin-top:1rem}
footer.made dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}footer.made dt{font-weight:600}footer.made dd{margin:0}
@media print{
body{margin:0;max-width:none;padding:0;font-size:10pt;color:#000}
h2{break-after:avoid}figure,tr,.multiples svg{break-inside:avoid}
.scroll{overflow:visible}svg text{fill:#000}th{background:#eee}
svg.wide{display:block}svg.narrow{display:none}
.multiples{grid-template-columns:repeat(3,1fr)}td.nowrap{white-space:normal}
@page{margin:1.5cm}
}
]]

local Doc = {}
Doc.__index = Doc
Doc.__name = "newsdesk.report.document"

-- report.document(title[, opts]) → a document to which sections are added in
-- order; doc:html() renders it, doc:save(path) writes it.  opts.subtitle: a
-- line under the title; opts.made: {{"Selection", "..."}, {"Rule sets",
-- "..."}, ...}, the "How this was made" footer, which always ends with the
-- time of the run (UTC) and the newsdesk version; doc:made(name, value)
-- adds a line later.
function M.document(title, opts)
  opts = opts or {}
  local made = {}
  for i, kv in ipairs(opts.made or {}) do made[i] = { kv[1], kv[2] } end
  return setmetatable({ title = title or "newsdesk report", subtitle = opts.subtitle,
                        parts = {}, charts = 0, made_lines = made }, Doc)
end

function Doc:add(html)
  self.parts[#self.parts + 1] = html
  return self
end

-- A line of the "How this was made" footer, e.g. doc:made("Query", "iran").
function Doc:made(name, value)
  self.made_lines[#self.made_lines + 1] = { name, value }
  return self
end

-- A heading and an optional paragraph.
function Doc:heading(title, paragraph)
  self:add("<h2>" .. esc(title) .. "</h2>")
  if paragraph then self:add("<p>" .. esc(paragraph) .. "</p>") end
  return self
end

-- A paragraph of plain text.
function Doc:text(s)
  return self:add("<p>" .. esc(s) .. "</p>")
end

-- Dates (2024-11-06, 2024-11-06T09:00, 2024-W45) never wrap in a cell.
local function looks_like_date(s)
  return s:find("^%d%d%d%d%-%d%d") ~= nil or s:find("^%d%d%d%d%-W%d%d") ~= nil
end

-- A report as an HTML table (cells escaped, full text, numbers right).
-- Every column gets a header (its key when its title is empty); dates never
-- wrap, nor (on screen; wide tables scroll) columns with nowrap=true; an
-- empty cell shows "—".
function Doc:table(r, title)
  local out = {}
  title = title or r.title
  if title then out[#out + 1] = "<h2>" .. esc(title) .. "</h2>" end
  out[#out + 1] = '<div class="scroll"><table class="report"><thead><tr>'
  for _, col in ipairs(r.columns) do
    local t = col.title ~= "" and col.title or tostring(col.key)
    out[#out + 1] = "<th>" .. esc(t) .. "</th>"
  end
  out[#out + 1] = "</tr></thead><tbody>"
  for _, row in ipairs(r.rows) do
    out[#out + 1] = "<tr>"
    for _, col in ipairs(r.columns) do
      local s = r:cell(row, col)
      local cls = {}
      if col.align == "right" then cls[#cls + 1] = "num" end
      if looks_like_date(s) then cls[#cls + 1] = "date"
      elseif col.nowrap then cls[#cls + 1] = "nowrap" end
      if s == "" then cls[#cls + 1] = "empty"; s = "—" end
      local attr = #cls > 0 and (' class="' .. table.concat(cls, " ") .. '"') or ""
      out[#out + 1] = "<td" .. attr .. ">" .. esc(s) .. "</td>"
    end
    out[#out + 1] = "</tr>"
  end
  out[#out + 1] = "</tbody></table></div>"
  return self:add(table.concat(out))
end

local function fmtn(x) return string.format("%.1f", x) end

-- Chart text is 12 px in the SVG's own units; its width is estimated from
-- the display columns (a CJK letter counts two) at 0.62 em a column, a
-- little wider than the average Latin letter so padding errs on the safe side.
local FONT = 12
local function text_w(s, fs) return width(s) * (fs or FONT) * 0.62 end

-- Axis ticks for 0..max in "nice" steps (1, 2, 5 × 10^k), about `want` of
-- them; when integer, the step is a whole number (counts never show 2.3).
-- → list of tick values, the top of the axis.
local function nice_ticks(max, want, integer)
  if not (max > 0) then max = 1 end
  local raw = max / (want or 5)
  local mag = 10 ^ math.floor(math.log(raw, 10))
  local step = 10 * mag
  for _, m in ipairs({ 1, 2, 5, 10 }) do
    if m * mag >= raw then step = m * mag; break end
  end
  if integer then step = math.max(1, math.floor(step + 0.5)) end
  local n = math.ceil(max / step - 1e-9)
  local ticks = {}
  for k = 0, n do ticks[#ticks + 1] = k * step end
  return ticks, n * step
end
M.nice_ticks = nice_ticks

local function all_integers(values)
  for _, v in ipairs(values) do
    if v ~= math.floor(v) then return false end
  end
  return true
end

local function svg_open(title, w, h, natural)
  -- width 100% of the column, scaled by the viewBox; `natural` charts
  -- (bars, matrix) never grow past their drawn size.
  return string.format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%"%s ' ..
                       'role="img" aria-label="%s" font-size="%d">',
                       math.ceil(w), math.ceil(h), natural and string.format(' style="max-width:%dpx"', math.ceil(w)) or "",
                       esc(title), FONT)
end

local function figure_open(self, kind, title)
  self.charts = self.charts + 1
  return { string.format('<figure class="chart" data-chart="%s" id="chart-%d">', kind, self.charts),
           "<h2>" .. esc(title) .. "</h2>" }
end

local function figure_close(out, caption)
  if caption then out[#out + 1] = "<figcaption>" .. esc(caption) .. "</figcaption>" end
  out[#out + 1] = "</figure>"
  return table.concat(out, "\n")
end

-- Horizontal bar chart of items {label, value} (largest first as given).
-- opts.caption, opts.color; the label column is as wide as the widest label
-- (at most 32 columns, longer ones end in "…").
function Doc:bars(title, items, opts)
  opts = opts or {}
  local n = #items
  local labels, values, max, vw = {}, {}, 0, 0
  for i, it in ipairs(items) do
    local label, v = item(it)
    labels[i], values[i] = label, v
    max = math.max(max, v)
    vw = math.max(vw, text_w(cell_text(v)))
  end
  local lw = 0
  for i = 1, n do lw = math.max(lw, text_w(M.truncate(labels[i], 32))) end
  lw = math.ceil(lw) + 10
  local bw, rowh = 460, 24
  local w, h = lw + bw + vw + 12, 8 + math.max(n, 1) * rowh
  local out = figure_open(self, "bars", title)
  out[#out + 1] = svg_open(title, w, h, true)
  for i = 1, n do
    local label, v = labels[i], values[i]
    local y = 4 + (i - 1) * rowh
    local len = max > 0 and v / max * bw or 0
    out[#out + 1] = string.format(
      '<g class="bar" data-label="%s" data-value="%s"><title>%s: %s</title>' ..
      '<text x="%d" y="%s" text-anchor="end">%s</text>' ..
      '<rect x="%d" y="%d" width="%s" height="%d" fill="%s"/>' ..
      '<text x="%s" y="%s">%s</text></g>',
      esc(label), esc(v), esc(label), esc(v),
      lw - 6, fmtn(y + rowh * 0.65), esc(M.truncate(label, 32)),
      lw, y + 3, fmtn(len), rowh - 6, opts.color or PALETTE[1],
      fmtn(lw + len + 4), fmtn(y + rowh * 0.65), esc(v))
  end
  out[#out + 1] = "</svg>"
  return self:add(figure_close(out, opts.caption))
end

-- Normalised timeline input: the sorted x values, the series as
-- {name=, pts={[x]=y}, total=}, the largest y, whether all y are whole.
local function timeline_data(series)
  local xs, seen, max, ys = {}, {}, 0, {}
  local norm = {}
  for si, s in ipairs(series) do
    local pts = {}
    local src = s.points or {}
    if #src > 0 then
      for _, p in ipairs(src) do pts[p.x or p[1]] = (pts[p.x or p[1]] or 0) + (p.y or p[2] or 0) end
    else
      for x, y in pairs(src) do pts[x] = y end
    end
    local total, spts = 0, {}
    for x, y in pairs(pts) do
      x = tostring(x)
      spts[x] = y
      if not seen[x] then seen[x] = true; xs[#xs + 1] = x end
      max = math.max(max, y)
      total = total + y
      ys[#ys + 1] = y
    end
    norm[si] = { name = s.name or ("series " .. si), pts = spts, total = total, color = colour(si) }
  end
  table.sort(xs)
  return xs, norm, max, all_integers(ys)
end

-- Draw the y axis (gridlines, tick labels, rotated title) and the x axis
-- line of a plot area.
local function draw_y_axis(out, f, ticks, top_val, title)
  for _, v in ipairs(ticks) do
    local y = f.top + f.ph - f.ph * v / top_val
    out[#out + 1] = string.format('<line class="grid" x1="%d" y1="%s" x2="%d" y2="%s"/>',
                                  f.left, fmtn(y), f.left + f.pw, fmtn(y))
    out[#out + 1] = string.format('<text class="tick" x="%d" y="%s" text-anchor="end">%s</text>',
                                  f.left - 5, fmtn(y + 4), esc(cell_text(v)))
  end
  out[#out + 1] = string.format('<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>',
                                f.left, f.top + f.ph, f.left + f.pw, f.top + f.ph)
  if title then
    local cy = f.top + f.ph / 2
    out[#out + 1] = string.format('<text class="axis-title" x="%d" y="%s" text-anchor="middle" transform="rotate(-90 %d %s)">%s</text>',
                                  11, fmtn(cy), 11, fmtn(cy), esc(title))
  end
end

-- The widest y tick label.
local function ticks_w(ticks)
  local w = 0
  for _, v in ipairs(ticks) do w = math.max(w, text_w(cell_text(v))) end
  return w
end

-- One small panel of a small-multiples timeline: one series on the shared
-- y scale, its name as the panel's title, first and last x under the axis.
local function panel(s, xs, top_val, integer, y_title)
  local few = { 0, top_val }
  if not integer or top_val % 2 == 0 then few = { 0, top_val / 2, top_val } end
  local left = math.ceil(ticks_w(few)) + 24
  local w, h = 260, 150
  local f = { left = left, top = 26, pw = w - left - 8, ph = 84 }
  f.step = f.pw / math.max(#xs, 1)
  local out = { svg_open(s.name, w, h, false) }
  -- the title, bold (about 10% wider), cut to the panel's width
  local suffix = " · " .. cell_text(s.total)
  local room = math.floor((w - 8 - 1.1 * text_w(suffix)) / (1.1 * FONT * 0.62))
  out[#out + 1] = string.format('<text class="panel-title" x="4" y="15" font-weight="600" fill="%s" style="fill:%s">%s</text>',
                                s.color, s.color, esc(M.truncate(s.name, math.max(room, 1)) .. suffix))
  draw_y_axis(out, f, few, top_val, y_title)
  local pts = {}
  for i, x in ipairs(xs) do
    local y = s.pts[x] or 0
    pts[#pts + 1] = fmtn(f.left + f.step * (i - 0.5)) .. "," .. fmtn(f.top + f.ph - f.ph * y / top_val)
  end
  out[#out + 1] = string.format('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>',
                                s.color, table.concat(pts, " "))
  if #xs > 0 then
    local by = f.top + f.ph + 15
    out[#out + 1] = string.format('<text class="tick" x="%d" y="%d">%s</text>', f.left, by, esc(xs[1]))
    if #xs > 1 then
      out[#out + 1] = string.format('<text class="tick" x="%d" y="%d" text-anchor="end">%s</text>',
                                    f.left + f.pw, by, esc(xs[#xs]))
    end
  end
  out[#out + 1] = "</svg>"
  return table.concat(out)
end

-- One SVG of the timeline's main chart, W units wide and ph high for the
-- plot: shared y ticks, x labels every k-th so that none overlaps the next,
-- lines (with each line's name at its end) or grouped bars.  Padding comes
-- from the widest tick, x label and end label, so nothing is clipped.
local function timeline_svg(title, xs, norm, ntop, ticks, top_val, opts, W, ph, class)
  local bars_style = opts.style == "bars"
  local label_cols = W >= 720 and 24 or 14      -- end labels: shorter on narrow screens
  local label_w = 0
  if not bars_style then
    for si = 1, ntop do label_w = math.max(label_w, text_w(M.truncate(norm[si].name, label_cols))) end
  end
  local xw = 0
  for _, x in ipairs(xs) do xw = math.max(xw, text_w(x)) end
  local left = math.ceil(ticks_w(ticks)) + 26
  local right = math.ceil(math.max(label_w + 14, xw / 2 + 4, 12))
  local pw = W - left - right
  local step = pw / math.max(#xs, 1)
  -- the first x label is centred on the first point: room for its half
  if xw / 2 > left + step / 2 - 2 then
    left = math.ceil(xw / 2 - step / 2 + 4)
    pw = W - left - right
    step = pw / math.max(#xs, 1)
  end
  local f = { left = left, top = 12, pw = pw, ph = ph, step = step }
  local H = f.top + ph + 46
  local out = { (svg_open(title, W, H, false):gsub("^<svg ", '<svg class="' .. class .. '" ')) }
  draw_y_axis(out, f, ticks, top_val, opts.y_title or "count")
  local every = math.max(1, math.ceil((xw + 10) / step))
  for i, x in ipairs(xs) do
    if (i - 1) % every == 0 then
      out[#out + 1] = string.format('<text class="tick" x="%s" y="%d" text-anchor="middle">%s</text>',
                                    fmtn(left + step * (i - 0.5)), f.top + ph + 16, esc(x))
    end
  end
  out[#out + 1] = string.format('<text class="axis-title" x="%s" y="%d" text-anchor="middle">%s</text>',
                                fmtn(left + pw / 2), H - 6, esc(opts.x_title or "date"))
  local ends = {}
  for si = 1, ntop do
    local s = norm[si]
    local pts = {}
    out[#out + 1] = string.format('<g class="series" data-series="%s">', esc(s.name))
    for i, x in ipairs(xs) do
      local y = s.pts[x] or 0
      local cx = left + step * (i - 0.5)
      local cy = f.top + ph - ph * y / top_val
      if bars_style then
        local bw = step * 0.8 / ntop
        local bx = left + step * (i - 1) + step * 0.1 + bw * (si - 1)
        out[#out + 1] = string.format(
          '<rect class="point" data-x="%s" data-y="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %s: %s</title></rect>',
          esc(x), esc(y), fmtn(bx), fmtn(cy), fmtn(bw), fmtn(f.top + ph - cy), s.color,
          esc(s.name), esc(x), esc(y))
      else
        pts[#pts + 1] = fmtn(cx) .. "," .. fmtn(cy)
        out[#out + 1] = string.format(
          '<circle class="point" data-x="%s" data-y="%s" cx="%s" cy="%s" r="3" fill="%s"><title>%s %s: %s</title></circle>',
          esc(x), esc(y), fmtn(cx), fmtn(cy), s.color, esc(s.name), esc(x), esc(y))
        if i == #xs then ends[#ends + 1] = { s = s, x = cx, y = cy } end
      end
    end
    if not bars_style and #pts > 1 then
      out[#out + 1] = string.format('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>',
                                    s.color, table.concat(pts, " "))
    end
    out[#out + 1] = "</g>"
  end
  -- direct labels at the line ends, pushed apart so that none overlaps
  table.sort(ends, function(a, b) return a.y < b.y end)
  local gap = FONT + 2
  for k = 2, #ends do ends[k].y = math.max(ends[k].y, ends[k - 1].y + gap) end
  local over = #ends > 0 and ends[#ends].y - (f.top + ph) or 0
  if over > 0 then for k = 1, #ends do ends[k].y = ends[k].y - over end end
  for k = 1, #ends do ends[k].y = math.max(ends[k].y, f.top + 4 + (k - 1) * gap) end
  for _, e in ipairs(ends) do
    out[#out + 1] = string.format('<text class="end-label" x="%s" y="%s" fill="%s" style="fill:%s">%s</text>',
                                  fmtn(e.x + 7), fmtn(e.y + 4), e.s.color, e.s.color, esc(M.truncate(e.s.name, label_cols)))
  end
  out[#out + 1] = "</svg>"
  return table.concat(out, "\n")
end

-- Timeline: series = {{name=, points={{x, y}, ...} or {[x]=y}}, ...}; x are
-- sortable strings (ISO dates or weeks).  opts.style "lines" (default) or
-- "bars" (grouped); opts.y_title (default "count") and opts.x_title
-- (default "date") name the axes; opts.caption.
-- Lines: the first opts.top (default 4) series share one chart, with a
-- legend and each line's name at its end; when there are more, every series
-- (up to opts.panels, default 12) also gets a small panel on a shared scale
-- below it.  Whole counts get whole ticks.  The main chart is drawn twice,
-- for wide and for narrow screens (CSS shows one), so that its text stays
-- readable at both.
function Doc:timeline(title, series, opts)
  opts = opts or {}
  local xs, norm, max, integer = timeline_data(series)
  local bars_style = opts.style == "bars"
  local ntop = bars_style and #norm or math.min(#norm, opts.top or 4)
  local ticks, top_val = nice_ticks(max, 5, integer)
  local out = figure_open(self, "timeline", title)
  local legend = { '<p class="legend">' }
  for si = 1, ntop do
    legend[#legend + 1] = string.format('<span><i style="background:%s"></i>%s</span>',
                                        norm[si].color, esc(norm[si].name))
  end
  legend[#legend + 1] = "</p>"
  out[#out + 1] = table.concat(legend)
  out[#out + 1] = timeline_svg(title, xs, norm, ntop, ticks, top_val, opts, 960, 260, "wide")
  out[#out + 1] = timeline_svg(title, xs, norm, ntop, ticks, top_val, opts, 520, 220, "narrow")
  local caption = opts.caption
  if not bars_style and #norm > ntop then
    local np = math.min(#norm, opts.panels or 12)
    local grid = { '<div class="multiples">' }
    for si = 1, np do grid[#grid + 1] = panel(norm[si], xs, top_val, integer, opts.y_title or "count") end
    grid[#grid + 1] = "</div>"
    out[#out + 1] = table.concat(grid, "\n")
    local note = string.format("The chart shows the top %d of %d series; the panels show %s on the same scale.",
                               ntop, #norm, np < #norm and ("the top " .. np) or "each")
    caption = caption and (caption .. " " .. note) or note
  end
  return self:add(figure_close(out, caption))
end

-- Co-occurrence matrix: labels = {"a", "b", ...}; counts[i][j] = number
-- (or counts[label_i][label_j]).  Darker cells = more; a legend of five
-- shades under the grid; opts.caption says what a number counts (default:
-- how often the row and the column occur together).
function Doc:matrix(title, labels, counts, opts)
  opts = opts or {}
  local n = #labels
  local cell = 36
  local function get(i, j)
    local row = counts[i] or counts[labels[i]] or {}
    return tonumber(row[j] or row[labels[j]]) or 0
  end
  local max, lw = 0, 0
  local short = {}
  for i = 1, n do
    for j = 1, n do max = math.max(max, get(i, j)) end
    short[i] = M.truncate(labels[i], 20)
    lw = math.max(lw, text_w(short[i]))
  end
  local diag = 0.7071
  local left = math.ceil(lw) + 10
  local top = math.ceil(lw * diag) + 14
  local grid_w = n * cell
  local right = math.max(10, math.ceil(lw * diag - cell / 2) + 6)
  local legend_h = 44
  local w = math.max(left + grid_w + right, left + 5 * 40 + 90)
  local h = top + grid_w + legend_h
  local color = opts.color or PALETTE[1]
  local function opacity(v)
    if v == 0 or max <= 0 then return 0.04 end
    return 0.12 + 0.88 * v / max
  end
  local out = figure_open(self, "matrix", title)
  out[#out + 1] = svg_open(title, w, h, true)
  for i = 1, n do
    local y = top + (i - 1) * cell + cell * 0.6
    out[#out + 1] = string.format('<text x="%d" y="%s" text-anchor="end">%s</text>',
                                  left - 6, fmtn(y), esc(short[i]))
    local x = left + (i - 1) * cell + cell * 0.5
    out[#out + 1] = string.format(
      '<text x="%s" y="%d" text-anchor="start" transform="rotate(-45 %s %d)">%s</text>',
      fmtn(x), top - 6, fmtn(x), top - 6, esc(short[i]))
  end
  for i = 1, n do
    for j = 1, n do
      local v = get(i, j)
      local op = opacity(v)
      local ink = op > 0.55 and "#fff" or "#1a202c"
      out[#out + 1] = string.format(
        '<g class="cell" data-row="%s" data-col="%s" data-value="%s"><title>%s × %s: %s</title>' ..
        '<rect x="%d" y="%d" width="%d" height="%d" fill="%s" fill-opacity="%s"/>%s</g>',
        esc(labels[i]), esc(labels[j]), esc(v), esc(labels[i]), esc(labels[j]), esc(v),
        left + (j - 1) * cell, top + (i - 1) * cell, cell - 2, cell - 2, color,
        string.format("%.2f", op),
        v > 0 and string.format('<text x="%s" y="%s" text-anchor="middle" font-size="13" style="fill:%s">%s</text>',
          fmtn(left + (j - 1) * cell + cell / 2 - 1), fmtn(top + (i - 1) * cell + cell * 0.62), ink, esc(v)) or "")
    end
  end
  -- the legend: five shades from 1 to the largest count
  local ly = top + grid_w + 12
  out[#out + 1] = string.format('<g class="legend"><text x="%d" y="%d" text-anchor="end">fewer</text>', left - 6, ly + 15)
  local steps = {}
  if max > 0 then
    for k = 1, 5 do
      local v = max * k / 5
      if all_integers({ max }) then v = math.max(1, math.floor(v + 0.5)) end
      if steps[#steps] ~= v then steps[#steps + 1] = v end
    end
  end
  for k, v in ipairs(steps) do
    local x = left + (k - 1) * 40
    out[#out + 1] = string.format('<rect x="%d" y="%d" width="38" height="20" fill="%s" fill-opacity="%.2f"/>' ..
                                  '<text x="%d" y="%d" text-anchor="middle" font-size="11" style="fill:%s">%s</text>',
                                  x, ly, color, opacity(v), x + 19, ly + 14,
                                  opacity(v) > 0.55 and "#fff" or "#1a202c", esc(cell_text(v)))
  end
  out[#out + 1] = string.format('<text x="%d" y="%d">more</text></g>', left + #steps * 40 + 6, ly + 15)
  out[#out + 1] = "</svg>"
  local caption = opts.caption or "Each number: how often the row entity and the column entity occur together; darker is more."
  return self:add(figure_close(out, caption))
end

-- The whole document: one self-contained HTML5 file (inline CSS and SVG,
-- no scripts, no network), ending in the "How this was made" footer.
function Doc:html()
  local out = {
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    "<title>" .. esc(self.title) .. "</title>",
    "<style>" .. CSS .. "</style>",
    "</head>",
    "<body>",
    "<h1>" .. esc(self.title) .. "</h1>",
  }
  if self.subtitle then out[#out + 1] = '<p class="meta">' .. esc(self.subtitle) .. "</p>" end
  for _, p in ipairs(self.parts) do out[#out + 1] = p end
  local nd_ok, nd = pcall(require, "newsdesk")
  local lines = { '<footer class="made"><h2>How this was made</h2><dl>' }
  for _, kv in ipairs(self.made_lines) do
    lines[#lines + 1] = "<dt>" .. esc(kv[1]) .. "</dt><dd>" .. esc(kv[2]) .. "</dd>"
  end
  lines[#lines + 1] = "<dt>Run at</dt><dd>" .. esc(os.date("!%Y-%m-%d %H:%M:%S UTC")) .. "</dd>"
  lines[#lines + 1] = "<dt>Made with</dt><dd>newsdesk" ..
                      (nd_ok and type(nd) == "table" and nd.version and (" " .. esc(nd.version)) or "") .. "</dd>"
  lines[#lines + 1] = "</dl></footer>"
  out[#out + 1] = table.concat(lines)
  out[#out + 1] = "</body>"
  out[#out + 1] = "</html>"
  return table.concat(out, "\n") .. "\n"
end

-- Write the document → path, or nil, message, "io".
function Doc:save(path)
  return write_file(path, self:html())
end

M.Document = Doc

return M
