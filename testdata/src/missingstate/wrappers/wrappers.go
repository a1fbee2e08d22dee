// Package wrappers passes state through wrappers: the state is judged at
// the call that chooses it.
package wrappers

import (
	"context"
	"crypto/rand"
	"net/http"

	"example.com/authwrap"
	"golang.org/x/oauth2"
)

func constantState(a *authwrap.Auth, verifier string) string {
	return a.AuthURL("xyz", oauth2.S256ChallengeOption(verifier)) // want `state passed to AuthURL \(which uses it in \(\*oauth2.Config\).AuthCodeURL\) is the constant "xyz"`
}

// login is a wrapper of this package around another package's wrapper.
func login(a *authwrap.Auth, state, verifier string) string {
	return a.AuthURLPKCE(state, verifier)
}

func chainedConstant(a *authwrap.Auth, verifier string) string {
	return login(a, "", verifier) // want `state passed to login \(which uses it in \(\*oauth2.Config\).AuthCodeURL\) is empty`
}

func genericConstant(a *authwrap.Auth, verifier string) string {
	return authwrap.URL[int](a, "static", oauth2.S256ChallengeOption(verifier)) // want `state passed to URL .* is the constant "static"`
}

func freshState(a *authwrap.Auth, verifier string) string {
	return login(a, rand.Text(), verifier)
}

// callback redeems the code through a wrapper and never looks at state.
func callback(a *authwrap.Auth, verifier string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code := r.URL.Query().Get("code")
		a.RedeemWithVerifier(context.Background(), code, verifier) // want `callback exchanges the authorization code without checking state`
	}
}

func checkedCallback(a *authwrap.Auth, verifier string, want string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("state") != want {
			http.Error(w, "bad state", http.StatusBadRequest)
			return
		}
		a.RedeemWithVerifier(context.Background(), r.URL.Query().Get("code"), verifier)
	}
}

// redirectState reads state only to redirect to it afterwards.
func redirectState(a *authwrap.Auth, verifier string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		back := r.URL.Query().Get("state")
		a.RedeemWithVerifier(r.Context(), r.URL.Query().Get("code"), verifier) // want `callback exchanges the authorization code without checking state: it reads state but never compares it`
		http.Redirect(w, r, back, http.StatusFound)
	}
}

// delegatedState hands the state to code that may check it.
func delegatedState(a *authwrap.Auth, verifier string, sessions interface{ Take(string) bool }) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := r.URL.Query().Get("state")
		if !sessions.Take(st) {
			return
		}
		a.RedeemWithVerifier(r.Context(), r.URL.Query().Get("code"), verifier)
	}
}
