return {
  { type = "PLACE", id = "ok", names = { "Ankara" } },
  { type = "PLACE", gazetteer = "../rules/gazetteer.tsv" },
}
