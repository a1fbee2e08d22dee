// Package codereplay defines an Analyzer that reports token endpoints
// that let an authorization code be redeemed twice or late.
//
// # Analyzer codereplay
//
// codereplay: authorization code redeemable twice or late (PKCE010)
//
// An authorization code is a one-time credential: PKCE makes a stolen
// code worthless only if it can be redeemed once, soon, and not retried
// after a failed verifier check. At each token endpoint the server model
// finds (a handler that reads the code of a token request and answers it),
// the analyzer looks up how the code is fetched from the stored grants — a
// map index, sync.Map.Load, a store method, a SQL query — and reports:
//
//   - a lookup after which nothing deletes the code, marks it used or takes
//     it atomically (delete, LoadAndDelete, GetDel, a Delete…,
//     Invalidate…, Consume… or Revoke… method, DELETE or UPDATE … used);
//   - a grant whose expiry is never compared with the clock on the
//     redemption path, or an in-memory grant with no expiry at all;
//   - a failed code_verifier check that returns before the code is
//     deleted, so the code can be tried again.
//
// A store behind an interface whose implementations are not in the
// package is left to them, unless -codereplay.strict is set; libraries
// that own the lifecycle (fosite, zitadel's op) call methods such as
// InvalidateAuthorizeCodeSession and are not reported.
//
// The full rule text, with examples, is rules/PKCE010.md.
package codereplay
