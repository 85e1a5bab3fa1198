-- an entry kept in a local and listed by name
local kept = { type = "CITY", id = "kept",
  names = { "" } }
local fine = { type = "CITY", id = "fine", names = { "F" } }
return { fine, kept }
