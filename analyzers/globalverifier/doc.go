// Package globalverifier defines an Analyzer that reports PKCE code
// verifiers kept in package-level storage.
//
// # Analyzer globalverifier
//
// globalverifier: code verifier in package-level storage (PKCE006)
//
// A verifier belongs to one authorization flow of one user. Kept in a
// package-level variable — a string, a map or sync.Map of verifiers, or a
// struct with a verifier field reachable from one — it is shared by every
// flow the process runs: concurrent logins overwrite or read each other's
// verifier, and one user's callback can redeem with another user's secret.
// The analyzer reports the package-level declaration of such a variable:
// one named as a verifier store whose type can hold one, one whose type
// reaches a struct field that holds a verifier, and one into which
// oauth2.GenerateVerifier output is stored or from which a value used as a
// verifier is read. Constants, error values, regular expressions,
// functions and ID-token verifier objects (*oidc.IDTokenVerifier) are not
// reported.
//
// The full rule text, with examples, is rules/PKCE006.md.
package globalverifier
