// Package verifierexposed defines an Analyzer that reports PKCE code
// verifiers written where others can read them.
//
// # Analyzer verifierexposed
//
// verifierexposed: code verifier exposed outside the token request (PKCE007)
//
// The code verifier is the secret that proves a token request comes from
// the client that started the flow. The analyzer follows each verifier of
// the package — a value used as one (oauth2.VerifierOption,
// S256ChallengeOption, a code_verifier parameter, a verifier field) or made
// by a verifier API (oauth2.GenerateVerifier) — and what is made from it by
// formatting, concatenation, encoding or an error, and reports where it
// reaches a log (log, log/slog, fmt to standard output or error, zap,
// logrus, zerolog), an HTTP response (http.Error, a write, a JSON encoder
// or a template on the http.ResponseWriter), or the front channel (a parameter
// of the authorization request other than code_challenge, a redirect, the
// state). A helper that writes its parameter there — of this package, or
// of another through its ExposureFact — is reported where the verifier is
// passed to it. The challenge, hashes and
// lengths of the verifier, and the token request are not reported;
// oauth2.VerifierOption passed to AuthCodeURL is PKCE001's. Removing a
// log/slog key-value pair that carries the verifier is offered as a fix.
//
// The full rule text, with examples, is rules/PKCE007.md.
package verifierexposed
