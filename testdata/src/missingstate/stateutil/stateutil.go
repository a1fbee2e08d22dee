// Package stateutil makes state values; only their use is judged.
package stateutil

import (
	"fmt"
	"time"
)

// FromClock is guessable.
func FromClock() string { return fmt.Sprint(time.Now().UnixNano()) }
