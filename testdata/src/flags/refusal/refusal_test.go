package refusal

import (
	"testing"

	"golang.org/x/oauth2"
)

// TestRefusesBadState sends a deliberately bad request and expects an
// error: a fixture, not a mistake.
func TestRefusesBadState(t *testing.T) {
	u := cfg.AuthCodeURL("bad", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
	if err := send(u); err == nil {
		t.Fatal("want the request refused")
	}
}

// TestFlow runs the flow a client would, with a constant state.
func TestFlow(t *testing.T) {
	u := cfg.AuthCodeURL("fixed-state", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())) // want `state passed to \(\*oauth2.Config\).AuthCodeURL is the constant "fixed-state"`
	if u == "" {
		t.Log("empty URL")
	}
}
