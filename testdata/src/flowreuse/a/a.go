// Package a holds verifiers and states made once and sent with every login
// (issue 18, PKCE008), next to the per-flow twins.
package a

import (
	crand "crypto/rand"
	"net/http"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

// The example: one verifier and one state for the process.
func Routes(mux *http.ServeMux) {
	verifier := oauth2.GenerateVerifier()
	state := crand.Text()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), http.StatusFound) // want `state sent in \(\*oauth2.Config\).AuthCodeURL is made once in Routes \(a.go:17\)` `code verifier sent in oauth2.S256ChallengeOption is made once in Routes \(a.go:16\) and sent by every request this handler serves`
	})
}

// Through http.HandlerFunc and a handler value.
func Handler() http.Handler {
	verifier := oauth2.GenerateVerifier()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, conf.AuthCodeURL(crand.Text(), oauth2.S256ChallengeOption(verifier)), http.StatusFound) // want `code verifier sent in oauth2.S256ChallengeOption is made once in Handler`
	})
}

// Per request: made in the handler.
func RoutesOK(mux *http.ServeMux) {
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		verifier := oauth2.GenerateVerifier()
		http.Redirect(w, r, conf.AuthCodeURL(crand.Text(), oauth2.S256ChallengeOption(verifier)), http.StatusFound)
	})
}

// Made before a loop that starts a login per iteration.
func Batch(users []string) []string {
	var urls []string
	verifier := oauth2.GenerateVerifier()
	for range users {
		urls = append(urls, conf.AuthCodeURL(crand.Text(), oauth2.S256ChallengeOption(verifier))) // want `made once, before this loop`
	}
	return urls
}

func BatchOK(users []string) []string {
	var urls []string
	for range users {
		verifier := oauth2.GenerateVerifier()
		urls = append(urls, conf.AuthCodeURL(crand.Text(), oauth2.S256ChallengeOption(verifier)))
	}
	return urls
}

// A CLI's main runs one flow: no handler, no loop.
func cliMain() string {
	verifier := oauth2.GenerateVerifier()
	return conf.AuthCodeURL(crand.Text(), oauth2.S256ChallengeOption(verifier))
}

// A verifier passed in by the caller: the caller's finding, if any.
func LoginURL(state, verifier string) string {
	return conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
}

// The long-lived struct: made once in NewAgent, sent with every
// login whose state the caller passes.
type Agent struct{ verifier string }

func NewAgent() *Agent { return &Agent{verifier: oauth2.GenerateVerifier()} }

func (a *Agent) LoginURL(state string) string {
	return conf.AuthCodeURL(state, oauth2.S256ChallengeOption(a.verifier)) // want `the field verifier, set once in NewAgent`
}

// A struct that regenerates the verifier where it builds the request.
type Fresh struct{ verifier string }

func NewFresh() *Fresh { return &Fresh{} }

func (f *Fresh) LoginURL(state string) string {
	f.verifier = oauth2.GenerateVerifier()
	return conf.AuthCodeURL(state, oauth2.S256ChallengeOption(f.verifier))
}

// A per-flow object built per login.
type Flow struct{ verifier, state string }

func NewFlow() *Flow { return &Flow{verifier: oauth2.GenerateVerifier(), state: crand.Text()} }

func (f *Flow) URL() string {
	return conf.AuthCodeURL(f.state, oauth2.S256ChallengeOption(f.verifier))
}

func Login(w http.ResponseWriter, r *http.Request) {
	f := NewFlow()
	http.Redirect(w, r, f.URL(), http.StatusFound)
}

// A server built once in main, whose state field every login sends.
type Server struct{ state string }

func NewServer() *Server { return &Server{state: crand.Text()} }

func (s *Server) Login(w http.ResponseWriter, r *http.Request) {
	v := oauth2.GenerateVerifier()
	http.Redirect(w, r, conf.AuthCodeURL(s.state, oauth2.S256ChallengeOption(v)), http.StatusFound) // want `state sent in \(\*oauth2.Config\).AuthCodeURL is the field state, set once in NewServer`
}

func main() {
	http.HandleFunc("/login", NewServer().Login)
}

// sigstore's oauthflow shape: a PKCE pair built by NewPKCE once per flow
// by the function that runs it (a CLI's token getter); its options method
// serves no request and takes no state.
type PKCE struct{ Challenge, Method, Value string }

func NewPKCE() *PKCE {
	v := oauth2.GenerateVerifier()
	return &PKCE{Challenge: oauth2.S256ChallengeFromVerifier(v), Method: "S256", Value: v}
}

func (p *PKCE) AuthURLOpts() []oauth2.AuthCodeOption {
	return []oauth2.AuthCodeOption{
		oauth2.SetAuthURLParam("code_challenge_method", p.Method),
		oauth2.SetAuthURLParam("code_challenge", p.Challenge),
	}
}

func GetIDToken() string {
	p := NewPKCE()
	return conf.AuthCodeURL(crand.Text(), p.AuthURLOpts()...)
}
