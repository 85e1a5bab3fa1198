-- The hostile ingest corpus through the Lua binding: ONE db:ingest call over
-- tests/data/hostile/ingest/ (see its MANIFEST) returns every problem with
-- its file and line in stats.errors, and stores every article the manifest
-- expects — a bad record never takes its neighbours with it.  The C test
-- tests/c/test_hostile_ingest.c checks the repairs and the big inputs.
local T = dofile("tests/lua/harness.lua")
local D = "tests/data/hostile/ingest/"
local db = assert(newsdesk.open())
local stats = assert(db:ingest({ D }, { batch = 3 }))

local function count(code)
  for row in db:sql("SELECT count(*) AS n FROM articles WHERE title LIKE ? || '-%'", code) do return row.n end
end

local function reported(file, line, words)
  for _, e in ipairs(stats.errors) do
    if e.file:sub(-#file) == file and (e.line or 0) == line then   -- nil: about the whole file
      local all = true
      for w in words:gmatch("%S+") do all = all and e.message:find(w, 1, true) ~= nil end
      if all then return true end
    end
  end
  return false
end

local expected = 0
for line in io.lines(D .. "MANIFEST") do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    local file, code, n, problems = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)")
    if n:sub(1, 1) ~= "!" then              -- "!" = a known defect (BUGS.md), checked in C
      T.eq(count(code), tonumber(n), file .. ": articles stored")
      expected = expected + tonumber(n)
    end
    if problems ~= "-" then
      for ln, words in problems:gmatch("(%d+):([^;]*)") do
        T.ok(reported(file, tonumber(ln), words), file .. ":" .. ln .. ": " .. words)
      end
    end
  end
end
T.ok(stats.added >= expected, "stats.added counts them (" .. stats.added .. " >= " .. expected .. ")")
for _, e in ipairs(stats.errors) do
  T.ok(e.file:find(D, 1, true) == 1 and e.message ~= "" and (e.line == nil or math.type(e.line) == "integer"),
    "problem names its file: " .. e.file .. ":" .. tostring(e.line) .. ": " .. e.message)
end
db:close()
T.done()
