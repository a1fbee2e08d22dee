// Package timingcompare defines an Analyzer that reports PKCE verifiers and
// challenges compared in non-constant time.
//
// # Analyzer timingcompare
//
// timingcompare: verifier or challenge compared in non-constant time (PKCE005)
//
// ==, !=, bytes.Equal, strings.EqualFold and strings.Compare stop at the
// first differing byte, so the time a server takes to refuse a guess tells
// how much of it was right. The analyzer reports such comparisons when an
// operand is a code verifier or code challenge — read from the
// code_verifier or code_challenge request parameter, computed with
// oauth2.S256ChallengeFromVerifier, or held in a string or byte slice named
// so — and suggests crypto/subtle.ConstantTimeCompare. Comparisons with
// constants (emptiness, method names), lengths and other parameters such as
// grant_type are not reported. State comparisons are not reported unless
// -timingcompare.state is set: an attacker cannot time them from a victim's
// browser. Neither are a test function's own assertions (with -test): they
// compare values the test made.
//
// The full rule text, with examples, is rules/PKCE005.md.
package timingcompare
