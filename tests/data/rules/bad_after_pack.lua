-- includes a pack, then a bad rule
return {
  "pack:countries",
  { type = "CITY", id = "x",
    names = { "" } },
}
