package fixwrong

func BadThree() {} // want BadThree:"bad"

func f() {
	BadThree() // want "call of bad function BadThree"
}
