-- a rules file that never finishes
while true do end
