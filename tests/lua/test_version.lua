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
-- the Debian package's version comes from debian/changelog: it must follow
local f = assert(io.open("debian/changelog"))
local first = f:read("l")
f:close()
T.eq(first:match("^newsdesk %(([^)]+)%)"), nd.version, "debian/changelog names the library's version")
-- `make rockspec` writes the versioned rockspec from the library's version
local rs = assert(io.open("newsdesk-scm-1.rockspec")):read("a")
T.ok(rs:find('\nversion = "scm%-1"\n') ~= nil, "the scm rockspec is the template make rockspec rewrites")
T.done()
