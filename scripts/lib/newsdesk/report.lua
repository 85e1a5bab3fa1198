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
-- max=columns, format=function(v, row) → string}.
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
                  max = c.max, format = c.format }
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

local PALETTE = { "#2b6cb0", "#c05621", "#2f855a", "#b83280", "#6b46c1",
                  "#b7791f", "#00838f", "#c53030", "#4a5568", "#276749" }

local CSS = [[
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a202c;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #e2e8f0;padding-bottom:.2rem}
p.meta{color:#4a5568;margin-top:0}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #e2e8f0;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f7fafc}td.num{text-align:right;font-variant-numeric:tabular-nums}
svg{max-width:100%;height:auto;font-size:12px}svg text{fill:#2d3748}
.legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
figure{margin:1rem 0}figcaption{color:#4a5568;font-size:.85rem}
]]

local Doc = {}
Doc.__index = Doc
Doc.__name = "newsdesk.report.document"

-- report.document(title[, {subtitle=}]) → a document to which sections are
-- added in order; doc:html() renders it, doc:save(path) writes it.
function M.document(title, opts)
  opts = opts or {}
  return setmetatable({ title = title or "newsdesk report", subtitle = opts.subtitle,
                        parts = {}, charts = 0 }, Doc)
end

function Doc:add(html)
  self.parts[#self.parts + 1] = html
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

-- A report as an HTML table (cells escaped, full text, numbers right).
function Doc:table(r, title)
  local out = {}
  title = title or r.title
  if title then out[#out + 1] = "<h2>" .. esc(title) .. "</h2>" end
  out[#out + 1] = '<table class="report"><thead><tr>'
  for _, col in ipairs(r.columns) do out[#out + 1] = "<th>" .. esc(col.title) .. "</th>" end
  out[#out + 1] = "</tr></thead><tbody>"
  for _, row in ipairs(r.rows) do
    out[#out + 1] = "<tr>"
    for _, col in ipairs(r.columns) do
      local cls = col.align == "right" and ' class="num"' or ""
      out[#out + 1] = "<td" .. cls .. ">" .. esc(r:cell(row, col)) .. "</td>"
    end
    out[#out + 1] = "</tr>"
  end
  out[#out + 1] = "</tbody></table>"
  return self:add(table.concat(out))
end

local function fmtn(x) return string.format("%.1f", x) end

local function chart_open(self, kind, title, w, h)
  self.charts = self.charts + 1
  return { string.format('<figure class="chart" data-chart="%s" id="chart-%d">', kind, self.charts),
           "<h2>" .. esc(title) .. "</h2>",
           string.format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">',
                         w, h, w, h, esc(title)) }
end

local function chart_close(out, caption)
  out[#out + 1] = "</svg>"
  if caption then out[#out + 1] = "<figcaption>" .. esc(caption) .. "</figcaption>" end
  out[#out + 1] = "</figure>"
  return table.concat(out, "\n")
end

-- Horizontal bar chart of items {label, value} (largest first as given).
function Doc:bars(title, items, opts)
  opts = opts or {}
  local n = #items
  local lw, bw, rowh = 190, 420, 22
  local w, h = lw + bw + 70, 20 + n * rowh
  local max = 0
  for _, it in ipairs(items) do local _, v = item(it); max = math.max(max, v) end
  local out = chart_open(self, "bars", title, w, h)
  for i, it in ipairs(items) do
    local label, v = item(it)
    local y = 10 + (i - 1) * rowh
    local len = max > 0 and v / max * bw or 0
    out[#out + 1] = string.format(
      '<g class="bar" data-label="%s" data-value="%s"><title>%s: %s</title>' ..
      '<text x="%d" y="%s" text-anchor="end">%s</text>' ..
      '<rect x="%d" y="%d" width="%s" height="%d" fill="%s"/>' ..
      '<text x="%s" y="%s">%s</text></g>',
      esc(label), esc(v), esc(label), esc(v),
      lw - 6, fmtn(y + rowh * 0.65), esc(M.truncate(label, 28)),
      lw, y + 2, fmtn(len), rowh - 6, opts.color or PALETTE[1],
      fmtn(lw + len + 4), fmtn(y + rowh * 0.65), esc(v))
  end
  return self:add(chart_close(out, opts.caption))
end

-- Timeline: series = {{name=, points={{x, y}, ...} or {[x]=y}}, ...}; x are
-- sortable strings (ISO dates or weeks).  opts.style "lines" (default) or
-- "bars" (grouped).
function Doc:timeline(title, series, opts)
  opts = opts or {}
  local xs, seen, max = {}, {}, 0
  local norm = {}
  for si, s in ipairs(series) do
    local pts = {}
    local src = s.points or {}
    if #src > 0 then
      for _, p in ipairs(src) do pts[p.x or p[1]] = (pts[p.x or p[1]] or 0) + (p.y or p[2] or 0) end
    else
      for x, y in pairs(src) do pts[x] = y end
    end
    for x, y in pairs(pts) do
      x = tostring(x)
      if not seen[x] then seen[x] = true; xs[#xs + 1] = x end
      max = math.max(max, y)
    end
    norm[si] = { name = s.name or ("series " .. si), pts = pts }
  end
  table.sort(xs)
  local left, top, pw, ph = 40, 10, 640, 200
  local w, h = left + pw + 20, top + ph + 60
  local out = chart_open(self, "timeline", title, w, h)
  max = max > 0 and max or 1
  local nx = math.max(#xs, 1)
  local step = pw / nx
  -- axes and gridlines
  out[#out + 1] = string.format('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#a0aec0"/>',
                                left, top + ph, left + pw, top + ph)
  out[#out + 1] = string.format('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#a0aec0"/>',
                                left, top, left, top + ph)
  for k = 0, 4 do
    local v = max * k / 4
    local y = top + ph - ph * k / 4
    out[#out + 1] = string.format('<text x="%d" y="%s" text-anchor="end">%s</text>',
                                  left - 4, fmtn(y + 4), esc(cell_text(math.floor(v * 10 + 0.5) / 10)))
  end
  local every = math.max(1, math.ceil(#xs / 12))
  for i, x in ipairs(xs) do
    if (i - 1) % every == 0 then
      local cx = left + step * (i - 0.5)
      out[#out + 1] = string.format(
        '<text x="%s" y="%d" text-anchor="end" transform="rotate(-40 %s %d)">%s</text>',
        fmtn(cx), top + ph + 14, fmtn(cx), top + ph + 14, esc(x))
    end
  end
  local bars_style = opts.style == "bars"
  for si, s in ipairs(norm) do
    local color = PALETTE[(si - 1) % #PALETTE + 1]
    local pts = {}
    out[#out + 1] = string.format('<g class="series" data-series="%s">', esc(s.name))
    for i, x in ipairs(xs) do
      local y = s.pts[x] or 0
      local cx = left + step * (i - 0.5)
      local cy = top + ph - ph * y / max
      if bars_style then
        local bw = step * 0.8 / #norm
        local bx = left + step * (i - 1) + step * 0.1 + bw * (si - 1)
        out[#out + 1] = string.format(
          '<rect class="point" data-x="%s" data-y="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %s: %s</title></rect>',
          esc(x), esc(y), fmtn(bx), fmtn(cy), fmtn(bw), fmtn(top + ph - cy), color,
          esc(s.name), esc(x), esc(y))
      else
        pts[#pts + 1] = fmtn(cx) .. "," .. fmtn(cy)
        out[#out + 1] = string.format(
          '<circle class="point" data-x="%s" data-y="%s" cx="%s" cy="%s" r="3" fill="%s"><title>%s %s: %s</title></circle>',
          esc(x), esc(y), fmtn(cx), fmtn(cy), color, esc(s.name), esc(x), esc(y))
      end
    end
    if not bars_style and #pts > 1 then
      out[#out + 1] = string.format('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>',
                                    color, table.concat(pts, " "))
    end
    out[#out + 1] = "</g>"
  end
  local html = chart_close(out, opts.caption)
  local legend = { '<p class="legend">' }
  for si, s in ipairs(norm) do
    legend[#legend + 1] = string.format('<span><i style="background:%s"></i>%s</span>',
                                        PALETTE[(si - 1) % #PALETTE + 1], esc(s.name))
  end
  legend[#legend + 1] = "</p>"
  return self:add(html .. "\n" .. table.concat(legend))
end

-- Co-occurrence matrix: labels = {"a", "b", ...}; counts[i][j] = number
-- (or counts[label_i][label_j]).  Darker cells = more.
function Doc:matrix(title, labels, counts, opts)
  opts = opts or {}
  local n = #labels
  local cell, lw = 30, 170
  local w, h = lw + n * cell + 10, lw + n * cell + 10
  local function get(i, j)
    local row = counts[i] or counts[labels[i]] or {}
    return tonumber(row[j] or row[labels[j]]) or 0
  end
  local max = 0
  for i = 1, n do for j = 1, n do max = math.max(max, get(i, j)) end end
  local out = chart_open(self, "matrix", title, w, h)
  for i, l in ipairs(labels) do
    local y = lw + (i - 1) * cell + cell * 0.65
    out[#out + 1] = string.format('<text x="%d" y="%s" text-anchor="end">%s</text>',
                                  lw - 6, fmtn(y), esc(M.truncate(l, 24)))
    local x = lw + (i - 1) * cell + cell * 0.6
    out[#out + 1] = string.format(
      '<text x="%s" y="%d" text-anchor="start" transform="rotate(-60 %s %d)">%s</text>',
      fmtn(x), lw - 6, fmtn(x), lw - 6, esc(M.truncate(l, 24)))
  end
  for i = 1, n do
    for j = 1, n do
      local v = get(i, j)
      local op = max > 0 and (0.08 + 0.92 * v / max) or 0
      if v == 0 then op = 0.03 end
      out[#out + 1] = string.format(
        '<g class="cell" data-row="%s" data-col="%s" data-value="%s"><title>%s × %s: %s</title>' ..
        '<rect x="%d" y="%d" width="%d" height="%d" fill="%s" fill-opacity="%s"/>%s</g>',
        esc(labels[i]), esc(labels[j]), esc(v), esc(labels[i]), esc(labels[j]), esc(v),
        lw + (j - 1) * cell, lw + (i - 1) * cell, cell - 1, cell - 1, opts.color or PALETTE[1],
        string.format("%.2f", op),
        v > 0 and string.format('<text x="%s" y="%s" text-anchor="middle" font-size="10">%s</text>',
          fmtn(lw + (j - 1) * cell + cell / 2), fmtn(lw + (i - 1) * cell + cell * 0.62), esc(v)) or "")
    end
  end
  return self:add(chart_close(out, opts.caption))
end

-- The whole document: one self-contained HTML5 file (inline CSS and SVG,
-- no scripts, no network).
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
  out[#out + 1] = '<p class="meta">Made with newsdesk.</p>'
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
