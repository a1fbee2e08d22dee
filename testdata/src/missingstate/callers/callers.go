// Package callers holds code redemptions in helpers that take the request
// but do not answer it: their callers are the callbacks, and where state
// is checked.
package callers

import (
	"context"
	"net/http"

	"golang.org/x/oauth2"
)

// Connector is dex's shape: the server calls HandleCallback through an
// interface, after it has resolved state to a stored request.
type Connector struct{ cfg *oauth2.Config }

func (c *Connector) LoginURL(state, verifier string) string {
	return c.cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
}

// HandleCallback has no caller here: its callers check state.
func (c *Connector) HandleCallback(verifier string, r *http.Request) (*oauth2.Token, error) {
	return c.cfg.Exchange(context.Background(), r.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
}

// handle implements an interface of another package in the same way.
func (c *Connector) handle(verifier string, r *http.Request) (*oauth2.Token, error) {
	return c.cfg.Exchange(r.Context(), r.FormValue("code"), oauth2.VerifierOption(verifier))
}

type pending struct{ verifier string }

// Server checks the state cookie, then lets a helper redeem the code.
type Server struct {
	conn     *Connector
	requests map[string]pending
}

func (s *Server) Callback(w http.ResponseWriter, r *http.Request) {
	ck, err := r.Cookie("oauth_state")
	if err != nil || ck.Value != r.URL.Query().Get("state") {
		http.Error(w, "bad state", http.StatusBadRequest)
		return
	}
	tok, err := s.redeem(s.requests[ck.Value].verifier, r)
	_, _ = tok, err
}

// redeem's only caller checks state.
func (s *Server) redeem(verifier string, r *http.Request) (*oauth2.Token, error) {
	return s.conn.cfg.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
}

// Unchecked's callback never looks at state, so neither does anything
// before its helper redeems the code.
type Unchecked struct{ cfg *oauth2.Config }

func (u *Unchecked) Callback(w http.ResponseWriter, r *http.Request) {
	tok, err := u.exchange(r)
	_, _ = tok, err
}

func (u *Unchecked) exchange(r *http.Request) (*oauth2.Token, error) {
	return u.cfg.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption("v")) // want `callback exchanges the authorization code without checking state`
}

// A helper handed on as a value: what runs it is unknown.
var cfg = &oauth2.Config{}

func finish(r *http.Request) error {
	_, err := cfg.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption("v")) // want `callback exchanges the authorization code without checking state`
	return err
}

var routes = map[string]func(*http.Request) error{"/callback": finish}
