// Package weakverifier defines an Analyzer that reports PKCE code verifiers
// an attacker can guess.
//
// # Analyzer weakverifier
//
// weakverifier: code verifier from a weak or short source (PKCE003)
//
// A code verifier is the one secret that makes a stolen authorization code
// worthless. The analyzer follows every value used as a verifier — the
// argument of oauth2.S256ChallengeOption, oauth2.VerifierOption or
// oauth2.S256ChallengeFromVerifier, a code_verifier form or query
// parameter, a struct field that holds a verifier — back through locals,
// helper functions (also in other packages, through facts), closures,
// struct fields, formatting and hashing to where it was made, and reports
// it when it is a constant, comes from math/rand, the clock, the process ID
// or a UUID, or carries fewer than 256 bits of crypto/rand output. The
// finding is placed where the weak value is used as a verifier and names
// the source.
//
// The full rule text, with examples, is rules/PKCE003.md.
package weakverifier
