-- entries built by a helper, written over lines, kept in locals
local function place(id, names)
  return { type = "PLACE", id = id, names = names }
end
local kept = { type = "CITY", id = "kept",
  names = { "K" } }
return {
  place("a", { "A" }),
  place("b",
        { "B" }),
  { type = "CITY", id = "m",
    names = { "M" } },
  place("c", { "" }),
  kept,
}
