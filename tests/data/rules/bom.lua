return { { type = "CITY", id = "kyiv", names = { "Kiew" } },
  { type = "CITY", names = { "" } } }
