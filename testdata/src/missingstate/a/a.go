package a

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand"
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"missingstate/stateutil"
)

var cfg = &oauth2.Config{}

func constantState(v string) string {
	return cfg.AuthCodeURL("state", oauth2.S256ChallengeOption(v)) // want `state passed to \(\*oauth2.Config\).AuthCodeURL is the constant "state", the same for every flow`
}

func emptyState(v string) string {
	return cfg.AuthCodeURL("", oauth2.S256ChallengeOption(v)) // want `state passed to \(\*oauth2.Config\).AuthCodeURL is empty`
}

func mathRandState(v string) string {
	st := strconv.Itoa(mrand.Int())
	return cfg.AuthCodeURL(st, oauth2.S256ChallengeOption(v)) // want `comes from math/rand.Int \(a.go:\d+\), which an attacker can guess`
}

func clockState(v string) string {
	return cfg.AuthCodeURL(stateutil.FromClock(), oauth2.S256ChallengeOption(v)) // want `comes from time.Now \(testdata/src/missingstate/stateutil/stateutil.go:\d+\)`
}

func shortState(v string) string {
	b := make([]byte, 8)
	crand.Read(b)
	return cfg.AuthCodeURL(hex.EncodeToString(b), oauth2.S256ChallengeOption(v)) // want `carries only 64 bits of randomness`
}

func handBuiltNoState(challenge string) string {
	q := url.Values{}
	q.Set("response_type", "code") // want `authorization request has no state parameter`
	q.Set("client_id", "id")
	q.Set("code_challenge", challenge)
	q.Set("code_challenge_method", "S256")
	return q.Encode()
}

func handBuiltConstState(challenge string) string {
	q := url.Values{
		"response_type":         {"code"},
		"state":                 {"xyz"}, // want `state passed to the state parameter is the constant "xyz"`
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
	}
	return q.Encode()
}

func formattedNoState(id, challenge string) string {
	return fmt.Sprintf("/authorize?response_type=code&client_id=%s&code_challenge=%s&code_challenge_method=S256", id, challenge) // want `authorization URL has no state parameter`
}

func callbackNoCheck(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("code")
	tok, err := cfg.Exchange(r.Context(), code, oauth2.VerifierOption("v")) // want `callback exchanges the authorization code without checking state`
	_, _ = tok, err
}

func routes(mux *http.ServeMux) {
	mux.HandleFunc("/cb", func(w http.ResponseWriter, r *http.Request) {
		cfg.Exchange(context.Background(), r.FormValue("code"), oauth2.VerifierOption("v")) // want `callback exchanges the authorization code without checking state`
	})
}

// Correct code and look-alikes.

func goodState(v string) string {
	return cfg.AuthCodeURL(crand.Text(), oauth2.S256ChallengeOption(v))
}

func uuidState(v string) string {
	return cfg.AuthCodeURL(uuid.NewString(), oauth2.S256ChallengeOption(v))
}

func bytesState(v string) string {
	var b [16]byte
	crand.Read(b[:])
	return cfg.AuthCodeURL(hex.EncodeToString(b[:]), oauth2.S256ChallengeOption(v))
}

func stateFromCaller(st, v string) string {
	return cfg.AuthCodeURL(st, oauth2.S256ChallengeOption(v))
}

func callbackChecks(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie("oauth_state")
	if err != nil || r.URL.Query().Get("state") != c.Value {
		http.Error(w, "bad state", http.StatusBadRequest)
		return
	}
	cfg.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption("v"))
}

func callbackDelegates(w http.ResponseWriter, r *http.Request) {
	if err := verifyCSRF(r); err != nil {
		return
	}
	cfg.Exchange(r.Context(), r.FormValue("code"), oauth2.VerifierOption("v"))
}

func verifyCSRF(r *http.Request) error { return nil }

// Not a redirect callback: the code comes from elsewhere.
func exchangeCode(ctx context.Context, code string) {
	cfg.Exchange(ctx, code, oauth2.VerifierOption("v"))
}

// "state" of something else entirely.
func address() string {
	q := url.Values{}
	q.Set("state", "CA")
	q.Set("city", "Oakland")
	return q.Encode()
}

// Random values used for other things.
func jitter() int { return mrand.Intn(100) }
