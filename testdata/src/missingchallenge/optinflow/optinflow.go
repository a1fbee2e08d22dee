// Package optinflow runs the code flow of a relying party it is given: it
// adds a challenge only when that party was built with PKCE on.
package optinflow

import "missingchallenge/optin"

// Login passes its relying party on to optin.AuthURL.
func Login[T any](rp optin.RelyingParty, state string) string { // want Login:`pkceGate\(0\)`
	return optin.AuthURL(rp, state, "verifier")
}
