// Package redirecturi defines an Analyzer that reports authorization
// endpoints that match a client's redirect_uri loosely, or not at all.
//
// # Analyzer redirecturi
//
// redirecturi: redirect URI not matched exactly (PKCE009)
//
// A code is worthless without its verifier only if it goes back to the
// client that asked for it. At each authorization endpoint the server
// model finds (a handler that reads redirect_uri with client_id or
// response_type and redirects), the analyzer follows the redirect_uri read
// from the request and reports:
//
//   - a comparison with the registered URIs by strings.HasPrefix,
//     HasSuffix, Contains or EqualFold, by a regular expression, by
//     path.Match or filepath.Match, or by host only (u.Host == r.Host);
//   - a redirect to it that no comparison precedes.
//
// Exact comparison (==, slices.Contains, a map or set lookup, a loop with
// ==), a comparison made by a function outside the package (a library's
// storage does the matching), and RFC 8252 §7.3 loopback redirects whose
// host is compared with 127.0.0.1 or [::1] are not reported.
//
// The full rule text, with examples, is rules/PKCE009.md.
package redirecturi
