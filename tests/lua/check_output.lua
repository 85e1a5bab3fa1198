-- check_output.lua: small independent checkers the toolkit tests use to
-- judge report output (not a test itself).
--   local C = dofile("tests/lua/check_output.lua")
--   C.json_decode(s) → value or nil, message       (strict RFC 8259 subset)
--   C.tags_balanced(html) → true or nil, message   (XML-ish tag balance)
--   C.csv_parse(s) → rows (lists of fields)        (RFC 4180)
--   C.run(cmd) → output, exit-ok                   (a command's stdout)
local C = {}

-- ---- JSON -----------------------------------------------------------------
function C.json_decode(s)
  local pos = 1
  local function fail(msg) error({ msg = msg .. " at byte " .. pos }) end
  local function ws() pos = s:find("[^ \t\r\n]", pos) or #s + 1 end
  local value
  local function str()
    pos = pos + 1
    local out = {}
    while true do
      local c = s:sub(pos, pos)
      if c == "" then fail("unterminated string") end
      if c == '"' then pos = pos + 1; break end
      if c:byte() < 0x20 then fail("control character in string") end
      if c == "\\" then
        local e = s:sub(pos + 1, pos + 1)
        local simple = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
        if simple[e] then out[#out + 1] = simple[e]; pos = pos + 2
        elseif e == "u" then
          local hex = s:sub(pos + 2, pos + 5)
          if not hex:match("^%x%x%x%x$") then fail("bad \\u escape") end
          local cp = tonumber(hex, 16)
          pos = pos + 6
          if cp >= 0xD800 and cp <= 0xDBFF then
            local lo = s:match("^\\u(%x%x%x%x)", pos)
            if not lo then fail("lone surrogate") end
            cp = 0x10000 + (cp - 0xD800) * 0x400 + (tonumber(lo, 16) - 0xDC00)
            pos = pos + 6
          end
          out[#out + 1] = utf8.char(cp)
        else fail("bad escape") end
      else
        out[#out + 1] = c; pos = pos + 1
      end
    end
    local r = table.concat(out)
    if not utf8.len(r) then fail("invalid UTF-8 in string") end
    return r
  end
  function value()
    ws()
    local c = s:sub(pos, pos)
    if c == "{" then
      pos = pos + 1; local t = {}
      ws()
      if s:sub(pos, pos) == "}" then pos = pos + 1; return t end
      while true do
        ws()
        if s:sub(pos, pos) ~= '"' then fail("object key expected") end
        local k = str(); ws()
        if s:sub(pos, pos) ~= ":" then fail("':' expected") end
        pos = pos + 1
        t[k] = value(); ws()
        local d = s:sub(pos, pos); pos = pos + 1
        if d == "}" then return t end
        if d ~= "," then fail("',' or '}' expected") end
      end
    elseif c == "[" then
      pos = pos + 1; local t = { n = 0 }
      ws()
      if s:sub(pos, pos) == "]" then pos = pos + 1; return t end
      while true do
        t.n = t.n + 1
        t[t.n] = value(); ws()
        local d = s:sub(pos, pos); pos = pos + 1
        if d == "]" then return t end
        if d ~= "," then fail("',' or ']' expected") end
      end
    elseif c == '"' then return str()
    elseif s:find("^true", pos) then pos = pos + 4; return true
    elseif s:find("^false", pos) then pos = pos + 5; return false
    elseif s:find("^null", pos) then pos = pos + 4; return C.null
    else
      local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
      if not num or num == "" or num == "-" then fail("value expected") end
      if s:match("^-?0%d", pos) then fail("leading zero") end
      pos = pos + #num
      return tonumber(num) or fail("bad number")
    end
  end
  local ok, v = pcall(function()
    local r = value(); ws()
    if pos <= #s then fail("trailing text") end
    return r
  end)
  if ok then return v end
  if type(v) == "table" then return nil, v.msg end
  error(v, 0)
end
C.null = setmetatable({}, { __tostring = function() return "null" end })

-- ---- HTML tag balance -----------------------------------------------------
local VOID = { meta = true, br = true, img = true, hr = true, input = true, link = true }
function C.tags_balanced(html)
  local stack, pos = {}, 1
  html = html:gsub("<!DOCTYPE[^>]*>", "", 1)
  while true do
    local a, b, close, name, rest = html:find("<(/?)([%a][%w:-]*)([^>]*)>", pos)
    if not a then break end
    local between = html:sub(pos, a - 1)
    if between:find("<") then return nil, "stray '<' near byte " .. pos end
    if between:find("&[^%a#]") or between:find("&$") then return nil, "unescaped '&' near byte " .. pos end
    name = name:lower()
    if close == "/" then
      local top = table.remove(stack)
      if top ~= name then
        return nil, string.format("</%s> closes <%s> near byte %d", name, tostring(top), a)
      end
    elseif not rest:find("/%s*$") and not VOID[name] then
      stack[#stack + 1] = name
    end
    -- attribute values must not hold raw '<' or unescaped quotes
    if rest:find("<") then return nil, "'<' inside a tag near byte " .. a end
    pos = b + 1
  end
  if html:find("<", pos) then return nil, "stray '<' at the end" end
  if #stack > 0 then return nil, "unclosed <" .. stack[#stack] .. ">" end
  return true
end

-- ---- CSV ------------------------------------------------------------------
function C.csv_parse(s)
  local rows, row, field, i, n = {}, {}, {}, 1, #s
  local quoted = false
  while i <= n do
    local c = s:sub(i, i)
    if quoted then
      if c == '"' then
        if s:sub(i + 1, i + 1) == '"' then field[#field + 1] = '"'; i = i + 1
        else quoted = false end
      else field[#field + 1] = c end
    elseif c == '"' then quoted = true
    elseif c == "," then row[#row + 1] = table.concat(field); field = {}
    elseif c == "\r" and s:sub(i + 1, i + 1) == "\n" then
      row[#row + 1] = table.concat(field); field = {}
      rows[#rows + 1] = row; row = {}; i = i + 1
    else field[#field + 1] = c end
    i = i + 1
  end
  if #field > 0 or #row > 0 then row[#row + 1] = table.concat(field); rows[#rows + 1] = row end
  return rows
end

-- ---- running the program --------------------------------------------------
function C.run(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("a")
  local ok = p:close()
  return out, ok
end

C.nd = (os.getenv("BUILD") or "build") .. "/newsdesk"

return C
