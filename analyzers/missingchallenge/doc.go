// Package missingchallenge defines an Analyzer that reports authorization
// code flows without PKCE.
//
// # Analyzer missingchallenge
//
// missingchallenge: authorization code flow without PKCE (PKCE001)
//
// Without a code_challenge in the authorization request and the matching
// code_verifier in the token request, an intercepted authorization code can
// be redeemed by whoever holds it. The analyzer reports
// (*oauth2.Config).AuthCodeURL calls that pass no S256ChallengeOption (or
// code_challenge parameter), Exchange calls that pass no VerifierOption,
// VerifierOption passed to AuthCodeURL (the secret then travels on the
// front channel while no challenge is sent), hand-built authorization
// requests (url.Values, maps, URL strings and format strings with
// response_type=code) without code_challenge, hand-built token requests
// (grant_type=authorization_code) without code_verifier, servers that let
// a code flow continue when the request carries no code_challenge or
// redeem a code when the token request carries no code_verifier,
// authorization endpoints that issue codes with no PKCE at all, and client
// libraries whose constructors leave PKCE off unless the caller opts in.
//
// Calls whose options come from code the analyzer cannot see (a slice built
// by a helper) are not reported.
//
// The full rule text, with examples, is rules/PKCE001.md.
package missingchallenge
