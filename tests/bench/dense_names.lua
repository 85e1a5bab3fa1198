-- dense_names.lua — bench_rules' dense case (tests/bench/bench_rules.c,
-- dense_build) as one Lua run, for instruction counts (valgrind
-- --tool=callgrind), which stay steady where seconds do not:
--
--   valgrind --tool=callgrind build/newsdesk tests/bench/dense_names.lua TEXT 100000 MODE
--
-- TEXT is a file of articles separated by "\n\n\n" (the bench corpus); the
-- names are its word pairs and triples in order of first appearance, one
-- entity each, no suffixes: a match every 30 bytes or so.  MODE: "scan" (a
-- Lua loop over rules:scan), "each" (a Lua loop over rules:each), "tally"
-- (rules:tally) or "none" (compile only: subtract it).
local path, n, mode = arg[1], tonumber(arg[2] or 100000), arg[3] or "scan"
local f = assert(io.open(path, "rb"))
local text = f:read("a")
f:close()
local seen, names, prev2, prev1, pstop = {}, {}, nil, nil, -1
local function add(s)
  local k = s:lower()
  if #names < n and not seen[k] then seen[k] = true; names[#names + 1] = s end
end
for a, w, b in text:gmatch("()([^%s%p%d]+)()") do
  if #names >= n then break end
  if a ~= pstop + 1 or text:sub(pstop, pstop) ~= " " then prev2, prev1 = nil, nil end
  if prev1 and #prev1 + #w > 6 then add(prev1 .. " " .. w) end
  if prev2 then add(prev2 .. " " .. prev1 .. " " .. w) end
  prev2, prev1, pstop = prev1, w, b
end
local ents = {}
for i, s in ipairs(names) do ents[i] = { id = "e" .. i, name = s } end
local rules = newsdesk.rules.new()
rules:add{ type = "MISC", rule = "dense", entities = ents }
local arts, pos = {}, 1
while pos <= #text do
  local e = text:find("\n\n\n", pos, true)
  arts[#arts + 1] = text:sub(pos, (e or #text + 1) - 1)
  pos = e and e + 3 or #text + 1
end
local m = 0
for i = 1, #arts do
  if mode == "scan" then
    for _ in rules:scan(arts[i]) do m = m + 1 end
  elseif mode == "each" then
    for _ in rules:each(arts[i]) do m = m + 1 end
  elseif mode == "tally" then
    for _, c in pairs(rules:tally(arts[i])) do m = m + c end
  end
end
print(("%s: %d matches in %d bytes of %d texts, %d names"):format(mode, m, #text, #arts, #names))
