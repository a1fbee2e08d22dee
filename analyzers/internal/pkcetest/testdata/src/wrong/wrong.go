// Package wrong has expectations that do not hold.
package wrong

func BadOne() {} // want BadOne:"bad"

func f() {
	BadOne()  // no expectation: unexpected
	BadOne()  // want "call of something else"
	println() // want "never reported"
}
