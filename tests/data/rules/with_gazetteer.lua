-- a gazetteer beside this file, with options
return {
  { type = "PLACE", gazetteer = "gazetteer.tsv", suffixes = "tr", source = "tsv" },
}
