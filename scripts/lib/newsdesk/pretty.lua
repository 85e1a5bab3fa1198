-- newsdesk.pretty: readable text for any Lua value, used by the prompt.
--
--   local pretty = require "newsdesk.pretty"
--   print(pretty.format(v[, opts]))     -- one value
--   pretty.print(...)                    -- each value on its own line(s)
--
-- Tables nest up to opts.depth levels and show at most opts.items entries
-- each; an article object is one summary line; a list of articles, or of
-- rows (tables of plain values, such as db:sql results or rule matches), is
-- shown as a table whose columns are aligned by display width (wide and
-- combining characters counted through newsdesk.text.width).
local M = {}

-- depth: table levels shown; items: entries per table and rows per grid;
-- width: columns of the output; string: longest nested string shown.
M.defaults = { depth = 3, items = 30, width = 100, string = 200, column = 40 }

local char_pattern = "[%z\1-\127\194-\244][\128-\191]*"

local text_width
-- Display width of s in terminal columns.
local function width(s)
  if text_width == nil then
    local ok, text = pcall(require, "newsdesk.text")
    text_width = ok and type(text) == "table" and text.width or false
  end
  if text_width then
    local ok, w = pcall(text_width, s)
    if ok and type(w) == "number" then return w end
  end
  return utf8.len(s) or #s
end
M.width = width

-- s cut to at most w columns, ending in "…" when cut.
local function fit(s, w)
  if width(s) <= w then return s end
  local out, used = {}, 0
  for ch in s:gmatch(char_pattern) do
    local cw = width(ch)
    if used + cw > w - 1 then break end
    out[#out + 1] = ch
    used = used + cw
  end
  return table.concat(out) .. "…"
end
M.fit = fit

local function pad(s, w, right)
  local gap = string.rep(" ", math.max(0, w - width(s)))
  return right and gap .. s or s .. gap
end

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }
local function quote(s, limit)
  local cut = ""
  if limit and #s > limit then
    local n = utf8.offset(s, (utf8.len(s:sub(1, limit)) or limit)) or limit
    cut = string.format("… (%d bytes)", #s)
    s = s:sub(1, n - 1)
  end
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or string.format("\\%03d", c:byte())
  end) .. '"' .. cut
end

local function typename(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__name") or nil
end

local function is_article(v)
  return typename(v) == "newsdesk.article"
end

local function field(v, k)
  local ok, x = pcall(function() return v[k] end)
  if ok then return x end
end

local function oneline(s)
  return (tostring(s):gsub("%s+", " "))
end

-- "#12 2024-11-04 tr “Title” — source"
function M.article(a, w)
  w = w or M.defaults.width
  local parts = {}
  local id = field(a, "id")
  parts[#parts + 1] = "#" .. tostring(id or "?")
  local date = field(a, "date")
  if date then parts[#parts + 1] = tostring(date):sub(1, 16) end
  local lang = field(a, "lang")
  if lang then parts[#parts + 1] = tostring(lang) end
  local head = "<article " .. table.concat(parts, " ") .. " "
  local src = field(a, "source")
  local tail = src and (" — " .. oneline(src)) .. ">" or ">"
  local title = oneline(field(a, "title") or "")
  local room = math.max(10, w - width(head) - width(tail) - 2)
  return head .. "“" .. fit(title, room) .. "”" .. tail
end

local function is_scalar(x)
  local t = type(x)
  return t == "string" or t == "number" or t == "boolean"
end

local article_columns = { "id", "date", "lang", "source", "title" }

-- The cells of a row-like table as {key = plain value}, with an article
-- field spread into its id, date, lang, source and title; nil when t is not
-- a row (a table of plain values, or of plain values and one article, as
-- db:search returns).  New keys are appended to order.
local function row_cells(t, keys, order)
  if type(t) ~= "table" or getmetatable(t) then return nil end
  local cells, n = {}, 0
  local function add(k, x)
    cells[k] = x
    if not keys[k] then keys[k] = true; order[#order + 1] = k end
  end
  for k, x in pairs(t) do
    if type(k) ~= "string" then return nil end
    if is_article(x) then
      for _, f in ipairs(article_columns) do
        local v = field(x, f)
        if f == "date" and v then v = tostring(v):sub(1, 10) end
        if v ~= nil and cells[f] == nil then add(f, v) end
      end
    elseif is_scalar(x) then
      add(k, x)
    else
      return nil
    end
    n = n + 1
  end
  return n > 0 and cells or nil
end

local function sequence_len(t)
  local n = #t
  if n == 0 then return 0 end
  local count = 0
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return 0 end
    count = count + 1
  end
  return count == n and n or 0
end

local preferred = { id = 1, date = 2, type = 3, lang = 3, source = 4, title = 5,
                    entity = 5, text = 6, start = 7, stop = 8, field = 9, rule = 10,
                    score = 11, snippet = 12 }

-- A grid for a list of articles or rows; nil if v is not such a list.
local function grid(v, o)
  local n = sequence_len(v)
  if n == 0 then return nil end
  local rows, cols = {}, nil
  if is_article(v[1]) then
    cols = article_columns
    for i = 1, n do
      if not is_article(v[i]) then return nil end
      if i <= o.items then
        local r = {}
        for _, f in ipairs(cols) do r[f] = field(v[i], f) end
        if r.date then r.date = tostring(r.date):sub(1, 10) end
        rows[i] = r
      end
    end
  else
    local keys = {}
    cols = {}
    for i = 1, n do
      local r = row_cells(v[i], keys, cols)
      if not r then return nil end
      rows[i] = r
    end
    table.sort(cols, function(a, b)
      local pa, pb = preferred[a] or 50, preferred[b] or 50
      if pa ~= pb then return pa < pb end
      return a < b
    end)
  end
  local shown = math.min(n, o.items)
  local cells, widths, numeric = {}, {}, {}
  for c, name in ipairs(cols) do widths[c] = width(name); numeric[c] = true end
  for i = 1, shown do
    local row = {}
    for c, name in ipairs(cols) do
      local x = rows[i][name]
      if x ~= nil and type(x) ~= "number" then numeric[c] = false end
      local s = x == nil and "" or math.type(x) == "float" and string.format("%.4g", x) or oneline(x)
      row[c] = s
      widths[c] = math.max(widths[c], width(s))
    end
    cells[i] = row
  end
  -- cap every column, then give the last one what is left of the width
  local total = 0
  for c = 1, #cols do
    widths[c] = math.min(widths[c], o.column)
    total = total + widths[c] + 2
  end
  local last = #cols
  local room = o.width - (total - widths[last] - 2)
  if room > 10 and room < widths[last] then widths[last] = room end
  local function line(row, header)
    local out = {}
    for c = 1, #cols do
      local s = fit(row[c], widths[c])
      out[c] = pad(s, widths[c], numeric[c] and not header)
    end
    return (table.concat(out, "  "):gsub("%s+$", ""))
  end
  local lines = { line(cols, true) }
  local rule = {}
  for c = 1, #cols do rule[c] = string.rep("-", widths[c]) end
  lines[2] = table.concat(rule, "  ")
  for i = 1, shown do lines[#lines + 1] = line(cells[i]) end
  if n > shown then lines[#lines + 1] = string.format("… %d more rows (%d in all)", n - shown, n) end
  return table.concat(lines, "\n")
end

local function key_text(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") then return k end
  return "[" .. (type(k) == "string" and quote(k) or tostring(k)) .. "]"
end

local function sorted_keys(t)
  local n = sequence_len(t)
  if n == 0 then n = #t end
  local keys = {}
  for k in pairs(t) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "number" or ta == "string" then return a < b end
    return tostring(a) < tostring(b)
  end)
  return n, keys
end

local format

local function format_table(t, o, depth, seen, indent)
  if seen[t] then return "<cycle>" end
  if depth >= o.depth then
    return next(t) == nil and "{}" or "{…}"
  end
  seen[t] = true
  local n, keys = sorted_keys(t)
  local parts, shown = {}, 0
  local total = n + #keys
  for i = 1, n do
    if shown >= o.items then break end
    parts[#parts + 1] = format(t[i], o, depth + 1, seen, indent .. "  ")
    shown = shown + 1
  end
  for _, k in ipairs(keys) do
    if shown >= o.items then break end
    parts[#parts + 1] = key_text(k) .. " = " .. format(t[k], o, depth + 1, seen, indent .. "  ")
    shown = shown + 1
  end
  if total > shown then parts[#parts + 1] = string.format("… %d more", total - shown) end
  seen[t] = nil
  if #parts == 0 then return "{}" end
  local flat = "{" .. table.concat(parts, ", ") .. "}"
  if not flat:find("\n", 1, true) and width(flat) + #indent <= o.width then return flat end
  return "{\n" .. indent .. "  " .. table.concat(parts, ",\n" .. indent .. "  ") .. "\n" .. indent .. "}"
end

function format(v, o, depth, seen, indent)
  local t = type(v)
  if t == "string" then return quote(v, depth > 0 and o.string or nil) end
  if is_article(v) then return M.article(v, o.width - #indent) end
  if t == "table" then
    local mt = getmetatable(v)
    if mt and mt.__tostring then return tostring(v) end
    return format_table(v, o, depth, seen, indent)
  end
  if t == "number" or t == "boolean" or t == "nil" then return tostring(v) end
  local ok, s = pcall(tostring, v)
  return ok and s or "<" .. t .. ">"
end

local function options(opts)
  local o = {}
  for k, x in pairs(M.defaults) do o[k] = x end
  if opts then for k, x in pairs(opts) do o[k] = x end end
  return o
end

-- Text for v; opts override M.defaults field by field.
function M.format(v, opts)
  local o = options(opts)
  if type(v) == "table" and not getmetatable(v) then
    local g = grid(v, o)
    if g then return g end
  end
  return format(v, o, 0, {}, "")
end

-- Print each argument, formatted, on its own line(s).
function M.print(...)
  for i = 1, select("#", ...) do
    print(M.format((select(i, ...))))
  end
end

return M
