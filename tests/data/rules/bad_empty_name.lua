-- a rule with an empty name on line 5
return {
  { type = "PLACE", id = "russia", names = { "Rusya", "Russia" } },

  { type = "PLACE", id = "ukraine", names = { "Ukrayna", "" } },
}
