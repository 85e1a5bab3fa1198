-- Rule pack "world": every bundled pack at once.  A "pack:NAME" string in a
-- rules list loads that pack, so an analyst's own file can start the same way:
--   return { "pack:world", { type = "PERSON", id = "...", names = { ... } } }
return { "pack:countries", "pack:organisations", "pack:leaders", "pack:turkey", "pack:titles" }
