return {
  { type = "PLACE" names = { "X" } },
}
