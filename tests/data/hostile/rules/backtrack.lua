-- every element optional but the last: a pattern that could backtrack forever
local p = {}
for i = 1, 12 do p[#p + 1] = { is = "word", min = 0, max = 40 } end
p[#p + 1] = { is = "number" }
return { { type = "X", rule = "backtrack", pattern = p } }
