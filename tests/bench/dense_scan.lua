-- dense_scan.lua — one dense entity scan, for instruction counts
-- (valgrind --tool=callgrind), which stay steady where seconds do not:
--
--   build/newsdesk scripts/scale/gen_corpus.lua 300 2000 > /tmp/c.jsonl
--   valgrind --tool=callgrind build/newsdesk tests/bench/dense_scan.lua /tmp/c.jsonl 20000 MODE
--
-- The names are the first NAMES distinct words of the bodies (and each
-- word with the next as a two-word name), with Turkish suffixes: a match
-- every 15 bytes or so.  MODE: "scan" (a Lua loop over rules:scan),
-- "tally" (rules:tally) or "none" (compile only: subtract it).
local path, names, mode = arg[1], tonumber(arg[2] or 20000), arg[3] or "scan"
local texts, words, seen = {}, {}, {}
for line in io.lines(path) do
  texts[#texts + 1] = line:sub(1, 1) == "{" and assert(newsdesk.json.decode(line)).body or line
end
for _, t in ipairs(texts) do
  for w in t:gmatch("[%a\128-\255][%w\128-\255]+") do
    if #w > 3 and utf8.len(w) and not seen[w] then seen[w] = true; words[#words + 1] = w end
  end
end
local r = newsdesk.rules.new()
for i = 1, math.min(names, #words - 1) do
  r:add{type = "LOC", id = "g" .. i, names = {words[i], words[i] .. " " .. words[i + 1]}, suffixes = "tr"}
end
local n, bytes = 0, 0
for _, t in ipairs(texts) do
  bytes = bytes + #t
  if mode == "scan" then
    for _ in r:scan(t) do n = n + 1 end
  elseif mode == "tally" then
    for _, c in pairs(r:tally(t)) do n = n + c end
  end
end
print(("%s: %d matches in %d bytes of %d texts, %d names"):format(mode, n, bytes, #texts, math.min(names, #words - 1)))
