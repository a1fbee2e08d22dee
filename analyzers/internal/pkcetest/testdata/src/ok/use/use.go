// Package use calls dep's marked function: the fact crosses packages.
package use

import "ok/dep"

func f() {
	dep.BadHelper() // want "call of bad function BadHelper"
	dep.Fine()
	// want +1 "call of bad function BadHelper"
	dep.BadHelper()
}
