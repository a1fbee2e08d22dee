// Package wrapped sends a verifier made once through a wrapper of another
// package (example.com/authwrap), whose call summary says it becomes the
// challenge.
package wrapped

import (
	crand "crypto/rand"
	"net/http"

	"example.com/authwrap"
	"golang.org/x/oauth2"
)

func Routes(mux *http.ServeMux, a *authwrap.Auth) {
	verifier := oauth2.GenerateVerifier()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, a.AuthURLPKCE(crand.Text(), verifier), http.StatusFound) // want `code verifier sent in AuthURLPKCE \(which uses it in oauth2.S256ChallengeOption\) is made once in Routes`
	})
}

func RoutesOK(mux *http.ServeMux, a *authwrap.Auth) {
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, a.AuthURLPKCE(crand.Text(), oauth2.GenerateVerifier()), http.StatusFound)
	})
}
