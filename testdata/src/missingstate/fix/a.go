package fix

import (
	"net/http"
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

// A literal or in-place state becomes rand.Text(), with crypto/rand
// imported.
func constant(v string) string {
	return cfg.AuthCodeURL("xyzzy", oauth2.S256ChallengeOption(v)) // want `state passed to \(\*oauth2.Config\).AuthCodeURL is the constant "xyzzy"`
}

func empty(v string) string {
	return cfg.AuthCodeURL("", oauth2.S256ChallengeOption(v)) // want `state passed to \(\*oauth2.Config\).AuthCodeURL is empty`
}

func clock(v string) string {
	return cfg.AuthCodeURL(strconv.FormatInt(time.Now().UnixNano(), 36), oauth2.S256ChallengeOption(v)) // want `comes from time.Now`
}

// No fix: the state in a variable is what the callback compares.
func held(v string) string {
	state := strconv.FormatInt(time.Now().Unix(), 10)
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(v)) // want `comes from time.Now`
}

// No fix: the callback compares the same literal.
func login(v string) string {
	return cfg.AuthCodeURL("fixed-state", oauth2.S256ChallengeOption(v)) // want `is the constant "fixed-state"`
}

func callback(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("state") != "fixed-state" {
		http.Error(w, "bad state", http.StatusBadRequest)
		return
	}
	cfg.Exchange(r.Context(), r.FormValue("code"), oauth2.VerifierOption(r.FormValue("v")))
}
