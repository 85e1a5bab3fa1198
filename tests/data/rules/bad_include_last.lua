-- a path as the last element, after a commented copy
return {
  "pack:countries",
  -- "/etc/passwd"
  "/etc/passwd"
}
