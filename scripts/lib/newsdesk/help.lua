-- newsdesk.help — the API reference (REFERENCE.md, embedded in the library
-- as the module "newsdesk.reference") as data, for the REPL's help(x) and
-- for tests.
--
--   local help = require "newsdesk.help"
--   help.docs["db:search"]      --> "db:search(query [, opts]) → list of hits — Full-text search, …"
--   help.examples["db:search"]  --> the example code
--   help.types["newsdesk.store"] --> "db"   (metatable name → receiver)
--   print(help.text("newsdesk.report.new"))
local M = {}

-- The name a signature documents: "db:search(query)" → "db:search",
-- "`newsdesk.filters.until(day)`" → "newsdesk.filters.until".
local function name_of(signature)
  return signature:match("^([%w_%.:]+)")
end

-- Parse reference Markdown → {docs=, examples=, entries=, types=,
-- overview=, internal=}.  entries are in file order: {name=, signature=,
-- returns=, line=, example=, section=}.
function M.parse(md)
  local data = { docs = {}, examples = {}, entries = {}, types = {}, internal = {}, overview = "" }
  local lines = {}
  for l in (md .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
  local section, i = nil, 1
  local overview = {}
  local comment = false        -- inside <!-- ... -->: notes for developers
  while i <= #lines do
    local l = lines[i]
    if comment or l:match("^<!%-%-") then
      comment = not l:match("%-%->%s*$")
      l = "#"                  -- neither overview nor an entry
    end
    local sec = l:match("^## (.+)$")
    if sec then section = sec:gsub("`", "") end
    -- the object types table: | `db` | `newsdesk.store` | ... |
    local recv, mt = l:match("^| `([%w_]+)` | `([%w_%.]+)` |")
    if recv then data.types[mt] = recv end
    if l:match("^Internal modules") then
      local j = i
      while lines[j] and lines[j] ~= "" do
        for name in lines[j]:gmatch("`(newsdesk[%w_%.%*]*)`") do data.internal[#data.internal + 1] = name end
        j = j + 1
      end
    end
    local sig, returns = l:match("^### `(.-)`%s*(.*)$")
    if sig then
      local e = { name = name_of(sig), signature = sig, returns = returns, section = section }
      i = i + 1
      while lines[i] and lines[i] == "" do i = i + 1 end
      if lines[i] and not lines[i]:match("^```") and not lines[i]:match("^#") then
        e.line = lines[i]
        i = i + 1
      end
      while lines[i] and lines[i] == "" do i = i + 1 end
      if lines[i] and lines[i]:match("^```") then
        local code = {}
        i = i + 1
        while lines[i] and not lines[i]:match("^```") do code[#code + 1] = lines[i]; i = i + 1 end
        e.example = table.concat(code, "\n")
      end
      local head = sig .. (returns ~= "" and (" " .. returns) or "")
      data.docs[e.name] = head .. (e.line and (" — " .. e.line) or "")
      data.examples[e.name] = e.example
      data.entries[#data.entries + 1] = e
    elseif not section and not l:match("^#") then
      overview[#overview + 1] = l
    end
    i = i + 1
  end
  local modules, internal = {}, {}
  for _, name in ipairs(data.internal) do internal[name] = true end
  for _, e in ipairs(data.entries) do
    local mod = e.name:match("^(.*)%.[%w_]+$") or e.name:match("^([%w_]+):")
    if mod and not modules[mod] and not internal[mod] then modules[mod] = true; modules[#modules + 1] = mod end
  end
  overview[#overview + 1] = "help(x) for a function, module or object: help(newsdesk.text), help(\"db:search\")."
  overview[#overview + 1] = "Modules and objects: " .. table.concat(modules, ", ")
  data.overview = table.concat(overview, "\n"):gsub("^\n+", ""):gsub("\n\n\n+", "\n\n")
  return data
end

local data = M.parse(require("newsdesk.reference"))
M.docs, M.examples, M.entries, M.types, M.internal, M.overview =
  data.docs, data.examples, data.entries, data.types, data.internal, data.overview

local by_name = {}
for _, e in ipairs(M.entries) do by_name[e.name] = e end

-- The reference entry of name ("db:search", "newsdesk.report.new"), or nil.
function M.lookup(name)
  return by_name[name] or by_name["newsdesk." .. tostring(name)]
end

-- Signature, description and example of name as one text, or nil.
function M.text(name)
  local e = M.lookup(name)
  if not e then return nil end
  local out = { e.signature .. (e.returns ~= "" and (" " .. e.returns) or "") }
  if e.line then out[#out + 1] = "  " .. e.line end
  if e.example then out[#out + 1] = "  example: " .. e.example:gsub("\n", "\n           ") end
  return table.concat(out, "\n")
end

return M
