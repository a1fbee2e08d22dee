// Package dep declares a function the test analyzer marks with a fact.
package dep

import "strings"

func BadHelper() string { return strings.ToUpper("x") } // want BadHelper:"bad"

func Fine() {}
