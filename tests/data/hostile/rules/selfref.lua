local t = { type = "X" }
t.names = t
return { t }
