return { "tests/data/hostile/rules/ping_a.lua" }
