return { "tests/data/hostile/rules/ping_b.lua" }
