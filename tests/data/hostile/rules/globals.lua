return { { type = "X", names = { io.open("/etc/passwd"):read("a") } } }
