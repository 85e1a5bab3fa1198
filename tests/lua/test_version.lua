-- The module's version agrees with the library's and the program's.
local T = dofile("tests/lua/harness.lua")
local nd = require("newsdesk")
T.ok(nd == newsdesk, "the program preloads the module as the global newsdesk")
T.eq(nd.version, string.format("%d.%d.%d", nd.version_major, nd.version_minor, nd.version_patch),
  "newsdesk.version matches its parts")
local build = os.getenv("BUILD") or "build"
local p = io.popen(build .. "/newsdesk --version")
local line = p:read("l")
p:close()
T.eq(line, "newsdesk " .. nd.version, "newsdesk --version prints the same version")
T.done()
