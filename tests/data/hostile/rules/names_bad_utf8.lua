return {
  { type = "PLACE", id = "broken", names = { "Ank\xC3ra", "\xED\xA0\x80", "Ä\0Z" } },
}
