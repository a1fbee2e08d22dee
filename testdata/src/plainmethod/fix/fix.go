package fix

import (
	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

// A challenge visibly S256(v) gets its method: S256ChallengeOption(v).
func noMethod(state, verifier string) string {
	return cfg.AuthCodeURL(state, oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(verifier))) // want `code_challenge is sent without code_challenge_method`
}

type session struct{ Verifier string }

func noMethodField(s *session) string {
	return cfg.AuthCodeURL("",
		oauth2.AccessTypeOffline,
		oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(s.Verifier)), // want `code_challenge is sent without code_challenge_method`
	)
}

// plain with the challenge built in place from v: one S256ChallengeOption.
func plainMethod(state, verifier string) string {
	return cfg.AuthCodeURL(state,
		oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(verifier)),
		oauth2.SetAuthURLParam("code_challenge_method", "plain")) // want `code_challenge_method plain sends the verifier itself`
}

func plainMethodFirst(state, verifier string) string {
	return cfg.AuthCodeURL(state, oauth2.SetAuthURLParam("code_challenge_method", "plain"), oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(verifier))) // want `code_challenge_method plain sends the verifier itself`
}

// No fix: the challenge is not visibly S256(v). It may be the verifier
// itself or a hash made by hand; hashing it again could break the exchange.
func plainRawChallenge(state, verifier string) string {
	return cfg.AuthCodeURL(state,
		oauth2.SetAuthURLParam("code_challenge", verifier),
		oauth2.SetAuthURLParam("code_challenge_method", "plain")) // want `code_challenge_method plain sends the verifier itself`
}

func noMethodHandHash(state, challenge string) string {
	return cfg.AuthCodeURL(state, oauth2.SetAuthURLParam("code_challenge", challenge)) // want `code_challenge is sent without code_challenge_method`
}

// No fix: the option is not passed to AuthCodeURL directly; the slice may
// be used elsewhere.
func noMethodSlice(state, verifier string) string {
	opts := []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(verifier))} // want `code_challenge is sent without code_challenge_method`
	return cfg.AuthCodeURL(state, opts...)
}
