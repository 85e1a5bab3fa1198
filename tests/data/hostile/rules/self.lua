return { "tests/data/hostile/rules/self.lua" }
