// Package good type-checks and has one finding.
package good

// codeVerifier is shared by every login in the process: PKCE006.
var codeVerifier string

// Remember keeps the verifier of the current login.
func Remember(v string) { codeVerifier = v }

// Verifier is the verifier of the last login.
func Verifier() string { return codeVerifier }
