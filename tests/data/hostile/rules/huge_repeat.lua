return {
  { type = "X", rule = "huge", pattern = { { is = "word", min = 1, max = 2000000000 }, "son" } },
}
