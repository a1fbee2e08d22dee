package agent

import (
	"math/rand"
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

// ExtraWeakVerifier starts a flow with a math/rand verifier.
func (a *Agent) ExtraWeakVerifier() string {
	return a.cfg.AuthCodeURL("xyz", oauth2.S256ChallengeOption(strconv.Itoa(rand.Int())))
}

// ExtraClockState starts a flow with a clock state.
func (a *Agent) ExtraClockState() string {
	return a.cfg.AuthCodeURL(strconv.FormatInt(time.Now().UnixNano(), 10), oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
}
