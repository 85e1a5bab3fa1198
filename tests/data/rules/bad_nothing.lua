-- every element optional
return { { type = "ORG", pattern = { { is = "cap", opt = true, max = 3 } } } }
