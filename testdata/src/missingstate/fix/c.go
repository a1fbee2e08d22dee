package fix

import (
	"net/http"
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

// Flow is one login: the state the callback compares, the verifier, and
// the authorization URL.
type Flow struct {
	State, Verifier, URL string
}

// No fix: the empty state is kept in the flow as well (the demo's
// agent/variants.go); changing only the request's state would make the
// callback's comparison reject every login.
func startEmpty(v string) *Flow {
	return &Flow{"", v, cfg.AuthCodeURL("", oauth2.S256ChallengeOption(v))} // want `is empty`
}

// No fix: the flow's State is left out, so it is "" too.
func startNamed(v string) *Flow {
	return &Flow{Verifier: v, URL: cfg.AuthCodeURL("", oauth2.S256ChallengeOption(v))} // want `is empty`
}

// No fix: the function compares the empty state.
func startChecked(v, got string) string {
	if got != "" {
		return ""
	}
	return cfg.AuthCodeURL("", oauth2.S256ChallengeOption(v)) // want `is empty`
}

func (f *Flow) callback(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("state") != f.State {
		http.Error(w, "bad state", http.StatusBadRequest)
		return
	}
	cfg.Exchange(r.Context(), r.FormValue("code"), oauth2.VerifierOption(f.Verifier))
}

// Fixed: the state is made in place and used nowhere else.
func startClock(v string) string {
	return cfg.AuthCodeURL(strconv.FormatInt(time.Now().Unix(), 10), oauth2.S256ChallengeOption(v)) // want `comes from time.Now`
}
