// Package plainmethod defines an Analyzer that reports the PKCE plain
// method: sent by a client, implied by leaving the method out, or accepted,
// defaulted to or advertised by a server.
//
// # Analyzer plainmethod
//
// plainmethod: code_challenge_method plain (PKCE002)
//
// With the plain method the challenge is the verifier itself, so anyone who
// sees the authorization request (browser history, logs, a malicious app on
// the device) can redeem the code. A client that sends code_challenge
// without code_challenge_method gets plain too: it is the default of RFC
// 7636 §4.3. The analyzer reports clients that send
// code_challenge_method=plain (oauth2.SetAuthURLParam, url.Values, maps,
// URL strings) or a code_challenge with no method, and servers that accept
// plain, default a missing method to plain, or list plain among their
// allowed or advertised methods (code_challenge_methods_supported). Plain
// enabled only behind an explicit operator setting is not reported, and
// neither is the string "plain" in a rejection or an error message.
//
// The full rule text, with examples, is rules/PKCE002.md.
package plainmethod
