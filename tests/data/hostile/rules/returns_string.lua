return "PLACE Ankara"
