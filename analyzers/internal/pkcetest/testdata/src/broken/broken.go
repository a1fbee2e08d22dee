package broken

var x int = "s"
