package use

import (
	"testing"

	"ok/dep"
)

func TestF(t *testing.T) {
	dep.BadHelper() // want "call of bad function BadHelper"
}
