-- newsdesk.shards: several stores read as one, without merging them (one
-- store per month, per desk, per machine).  Every store is opened
-- read-only through newsdesk.open, so a sandboxed script reaches only the
-- files the sandbox lets it open, and nothing is ever written.
--
--   local shards = newsdesk.shards.open{ "2024-10.db", "2024-11.db" }
--   for _, hit in ipairs(shards:search("kuzey kore", {limit = 10})) do
--     print(hit.store, hit.article.id, hit.score, hit.snippet)
--   end
--
-- search asks every store for its best `limit` hits and keeps the best
-- `limit` of all, by each store's own bm25 score (comparable when the
-- stores hold alike articles, as months of one archive do; for one ranking
-- over everything, `newsdesk merge` the stores).  An article stored in
-- several shards (the same folded text: the same hash) is listed once,
-- where it scores best.  Near-duplicates are only known within a store.
local newsdesk = require "newsdesk"

local M = {}

local Set = { __name = "newsdesk.shards" }
Set.__index = Set

-- the sets this module made (a sandbox hands scripts copies of metatables,
-- so getmetatable cannot tell)
local made = setmetatable({}, { __mode = "k" })

local function check(self)
  if not made[self] then error("bad self: a newsdesk.shards value expected", 3) end
  if not self.dbs then error("attempt to use closed shards", 3) end
end

-- newsdesk.shards.open(paths) -> shards | nil, message, code
-- Opens every path read-only (a missing file or one that is not a store
-- fails the call, naming it; the stores opened so far are closed).
function M.open(paths)
  if type(paths) == "string" then paths = { paths } end
  if type(paths) ~= "table" or #paths == 0 then
    error("bad argument #1 to 'open' (list of store paths expected)", 2)
  end
  local self = setmetatable({ dbs = {}, paths = {} }, Set)
  made[self] = true
  for i, path in ipairs(paths) do
    if type(path) ~= "string" then error(("bad argument #1 to 'open' (paths[%d] is not a string)"):format(i), 2) end
    local db, msg, code = newsdesk.open(path, { readonly = true })
    if not db then
      self:close()
      return nil, path .. ": " .. tostring(msg), code
    end
    self.dbs[i], self.paths[i] = db, path
  end
  return self
end

-- shards:search(query [, opts]) -> list of {article=, score=, snippet=, store=}
-- | nil, message, code.  opts as db:search (limit default 20).
function Set:search(query, opts)
  check(self)
  local limit = opts and opts.limit or 20
  local all = {}
  for i, db in ipairs(self.dbs) do
    local hits, msg, code = db:search(query, opts)
    if not hits then return nil, msg, code end
    for rank, h in ipairs(hits) do
      h.store, h.rank_in_store, h.shard = self.paths[i], rank, i
      all[#all + 1] = h
    end
  end
  table.sort(all, function(a, b)
    if a.score ~= b.score then return a.score < b.score end      -- bm25: lower is better
    if a.shard ~= b.shard then return a.shard < b.shard end
    return a.rank_in_store < b.rank_in_store
  end)
  local out, seen = {}, {}
  for _, h in ipairs(all) do
    local hash = h.article.hash
    if not seen[hash] then
      seen[hash] = true
      h.rank_in_store, h.shard = nil, nil
      out[#out + 1] = h
      if #out >= limit then break end
    end
  end
  return out
end

-- shards:count([q]) -> integer: the sum of db:count(q) over the stores.
function Set:count(q)
  check(self)
  local n = 0
  for _, db in ipairs(self.dbs) do n = n + db:count(q) end
  return n
end

-- shards:articles([q]) -> iterator of article, store path: store after
-- store, each in the order q asks for.
function Set:articles(q)
  check(self)
  local i, f, s, var = 0, nil, nil, nil
  return function()
    while true do
      if f then
        var = f(s, var)
        if var ~= nil then return var, self.paths[i] end
      end
      i = i + 1
      if not self.dbs or i > #self.dbs then return nil end
      f, s, var = self.dbs[i]:articles(q)
    end
  end
end

-- shards:close(): closes every store; harmless twice.
function Set:close()
  for _, db in ipairs(self.dbs or {}) do db:close() end
  self.dbs = nil
end
Set.__close = Set.close

M._set = Set     -- the metatable, for help() and the reference test

return M
