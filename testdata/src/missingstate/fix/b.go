package fix

import (
	"math/rand"
	"strconv"

	"golang.org/x/oauth2"
)

// math/rand holds the name rand: crypto/rand comes in as crand, and
// math/rand, used only by the state, goes.
func mathRand(v string) string {
	return cfg.AuthCodeURL(strconv.Itoa(rand.Int()), oauth2.S256ChallengeOption(v)) // want `comes from math/rand.Int`
}

func alsoStrconv() string { return strconv.Itoa(1) }
