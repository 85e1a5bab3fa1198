return {
  "pack:countries",
  "/etc/passwd",
}
