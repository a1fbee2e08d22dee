// Package lookalikes logs and sends what is not a verifier, or what is
// safe to show of one: no PKCE007 finding here.
package lookalikes

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

func login(w http.ResponseWriter, r *http.Request, state string) {
	verifier := oauth2.GenerateVerifier()
	challenge := oauth2.S256ChallengeFromVerifier(verifier)
	log.Printf("challenge %s method S256 state %s", challenge, state) // ok: challenge, method, state
	slog.Info("pkce", "verifier_len", len(verifier))                  // ok: its length
	sum := sha256.Sum256([]byte(verifier))
	log.Printf("verifier hash %s", hex.EncodeToString(sum[:])) // ok: a hash of it
	http.Redirect(w, r, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), http.StatusFound)
}

func callback(w http.ResponseWriter, r *http.Request, verifier string) {
	code := r.FormValue("code")
	log.Printf("callback code=%s state=%s", code, r.FormValue("state")) // ok: the code and the state
	tok, err := conf.Exchange(r.Context(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		http.Error(w, "token exchange failed: "+err.Error(), http.StatusBadGateway) // ok: the exchange's error
		return
	}
	fmt.Fprintf(w, "signed in, token type %s", tok.TokenType) // ok
}

// A verifier written only into the token request.
func tokenRequest(ctx context.Context, code string) (*http.Response, error) {
	v := oauth2.GenerateVerifier()
	form := url.Values{}
	form.Set("grant_type", "authorization_code")
	form.Set("code", code)
	form.Set("code_verifier", v)
	return http.PostForm("https://as.example/token", form) // ok: the token request
}

func tokenRequestBody(code string) (*http.Request, error) {
	v := oauth2.GenerateVerifier()
	body := "grant_type=authorization_code&code=" + url.QueryEscape(code) + "&code_verifier=" + url.QueryEscape(v)
	return http.NewRequest("POST", "https://as.example/token", strings.NewReader(body)) // ok: the token request
}

// A struct with no verifier field, printed with %s.
type request struct {
	ID    string
	State string
}

func describe(req request, verifier string) {
	log.Printf("request %s", req) // ok: no verifier in it
	_, _ = conf.Exchange(context.Background(), "code", oauth2.VerifierOption(verifier))
}

// A map that holds the verifier under one key; another key is read.
func mapKeys(state string) {
	v := oauth2.GenerateVerifier()
	m := map[string]string{"state": state, "verifier": v}
	log.Println(m["state"]) // ok: the state
	_ = conf.AuthCodeURL(m["state"], oauth2.S256ChallengeOption(m["verifier"]))
}

// Names that say verifier but are no PKCE verifier.
type idTokenVerifier struct{ issuer string }

func (v *idTokenVerifier) String() string { return v.issuer }

func oidc(v *idTokenVerifier) {
	log.Printf("verifier %s", v) // ok: an ID-token verifier object
}

// The verifier kept in a server-side session.
type session map[string]string

func keep(s session) {
	v := oauth2.GenerateVerifier()
	s["pkce"] = v // ok: server-side session
	_ = conf.AuthCodeURL("st", oauth2.S256ChallengeOption(v))
}

// A response whose verifier field encoding/json leaves out.
type flowResponse struct {
	State    string `json:"state"`
	Verifier string `json:"-"`
	verifier string
}

func status(w http.ResponseWriter, r *http.Request) {
	v := oauth2.GenerateVerifier()
	_ = json.NewEncoder(w).Encode(flowResponse{State: "s", Verifier: v})  // ok: json:"-"
	_ = json.NewEncoder(w).Encode(&flowResponse{State: "s", verifier: v}) // ok: unexported
	_ = conf.AuthCodeURL("st", oauth2.S256ChallengeOption(v))
}

// oauth2.GenerateVerifier used to make the state and the nonce: no verifiers.
func stateFromVerifierAPI(w http.ResponseWriter, r *http.Request) {
	state := oauth2.GenerateVerifier()
	nonce := oauth2.GenerateVerifier()
	verifier := oauth2.GenerateVerifier()
	log.Printf("login, state %s nonce %s", state, nonce) // ok: the state and the nonce
	http.Redirect(w, r, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("nonce", nonce)), http.StatusFound) // ok: the nonce is no verifier
}
