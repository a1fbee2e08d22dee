package fix

import "strings"

func BadTwo() {} // want BadTwo:"bad"

func f() {
	BadTwo() // want "call of bad function BadTwo"
	_ = strings.ToUpper("x")
}
