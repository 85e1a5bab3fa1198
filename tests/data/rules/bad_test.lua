return {
  { type = "PLACE", id = "x", names = { "X" } },
  { type = "PERSON", rule = "bad",
    pattern = { "Bakan", { is = "capp", mark = true } } },
}
