package client

import (
	"encoding/json"
	"fmt"
	"net/url"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

const methodPlain = "plain"

func sendsPlain(state, verifier string) string {
	return cfg.AuthCodeURL(state,
		oauth2.SetAuthURLParam("code_challenge", verifier),
		oauth2.SetAuthURLParam("code_challenge_method", "plain")) // want `code_challenge_method plain sends the verifier itself`
}

func sendsPlainConst(state, verifier string) string {
	return cfg.AuthCodeURL(state,
		oauth2.SetAuthURLParam("code_challenge", verifier),
		oauth2.SetAuthURLParam("code_challenge_method", methodPlain)) // want `code_challenge_method plain sends the verifier itself`
}

func noMethod(state, verifier string) string {
	return cfg.AuthCodeURL(state, oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(verifier))) // want `code_challenge is sent without code_challenge_method`
}

func valuesPlain(challenge string) string {
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("code_challenge", challenge)
	q.Set("code_challenge_method", "plain") // want `code_challenge_method plain sends the verifier itself`
	return q.Encode()
}

func mapNoMethod(challenge string) map[string]string {
	m := map[string]string{
		"response_type":  "code",
		"code_challenge": challenge, // want `code_challenge is sent without code_challenge_method`
	}
	b, _ := json.Marshal(m)
	_ = b
	return nil
}

func urlPlain(challenge string) string {
	return "/authorize?response_type=code&code_challenge=" + challenge + "&code_challenge_method=plain" // want `code_challenge_method plain sends the verifier itself`
}

func urlNoMethod(challenge string) string {
	return fmt.Sprintf("/authorize?response_type=code&code_challenge=%s", challenge) // want `code_challenge is sent without code_challenge_method`
}

// Correct clients.

func s256(state, verifier string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
}

func s256ByHand(state, challenge string) string {
	return cfg.AuthCodeURL(state,
		oauth2.SetAuthURLParam("code_challenge", challenge),
		oauth2.SetAuthURLParam("code_challenge_method", "S256"))
}

func valuesS256(challenge string) string {
	q := url.Values{}
	q.Set("code_challenge", challenge)
	q.Set("code_challenge_method", "S256")
	return q.Encode()
}

func urlS256(challenge string) string {
	return "/authorize?response_type=code&code_challenge=" + challenge + "&code_challenge_method=S256"
}
