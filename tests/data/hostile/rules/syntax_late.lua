return {
  { type = "PLACE", id = "ankara", names = { "Ankara" } },
  { type = "PLACE", id = "izmir", names = { "İzmir" } },
  { type = "PLACE", id = "bursa", names = { "Bursa" } ,
  { type = "PLACE", id = "van", names = { "Van" } },
}
