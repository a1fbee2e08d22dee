// Package client has two findings on lines with non-ASCII text before the
// finding's column: one suppressed in source, one not.
package client

import "net/url"

var état, codeVerifier = "prêt→😀", "" //pkcevet:ignore PKCE006 single-user CLI: one login at a time — vérifié

// AuthURL builds an authorization request with no code_challenge: PKCE001.
func AuthURL(state string) string {
	q := url.Values{"scope": {"profil→😀"}, "response_type": {"code"}, "client_id": {"cli"}, "state": {state}}
	return "https://as.example/authorize?" + q.Encode() + état + codeVerifier
}
