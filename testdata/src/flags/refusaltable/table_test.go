package refusaltable

import (
	"crypto/rand"
	"testing"

	"golang.org/x/oauth2"
)

// TestTable holds good and bad cases: each entry is judged by its own
// expectation field.
func TestTable(t *testing.T) {
	type tc struct {
		codeVerifier string
		wantErr      bool
	}
	for _, c := range []tc{
		{codeVerifier: "refused-fixture", wantErr: true},
		{codeVerifier: "accepted-constant", wantErr: false}, // want `code verifier used in field codeVerifier is the constant "accepted-constant"`
	} {
		err := send(cfg.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(c.codeVerifier)))
		if (err != nil) != c.wantErr {
			t.Fatalf("err = %v, want error %v", err, c.wantErr)
		}
	}
}
