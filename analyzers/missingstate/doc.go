// Package missingstate defines an Analyzer that reports authorization
// requests without a usable state, and redirect callbacks that do not check
// it.
//
// # Analyzer missingstate
//
// missingstate: missing, constant or guessable state (PKCE004)
//
// The state parameter binds the authorization response to the browser that
// started the flow; without it an attacker can log a victim into the
// attacker's account (login CSRF) or inject a code. The analyzer reports the
// state argument of AuthCodeURL, oauth2.SetAuthURLParam("state", …) and
// hand-built authorization requests when it is empty, constant, comes from
// math/rand, the clock or the process ID, or carries fewer than 128 bits
// of crypto/rand output (a version 4 UUID is accepted); hand-built
// authorization requests without state; and HTTP handlers that read the
// code from the redirect and call Exchange without ever looking at state,
// or that trust a state reader which, on some path, hands back the
// callback's own state instead of the value saved for the browser.
//
// The full rule text, with examples, is rules/PKCE004.md.
package missingstate
