// Package handoff holds loopback callbacks that pass the code on to the
// function that exchanges it (issue 20, item 4).
package handoff

import (
	"context"
	crand "crypto/rand"
	"net/http"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

// Login makes its state inline and never keeps it; the handler sends the
// code on a channel.
func Login(ctx context.Context) (*oauth2.Token, error) {
	codes := make(chan string, 1)
	http.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		codes <- r.URL.Query().Get("code") // want `callback hands the authorization code to the function that exchanges it without checking state`
	})
	_ = conf.AuthCodeURL(crand.Text(), oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
	return conf.Exchange(ctx, <-codes)
}

// A server struct keeps the code in a field.
type Server struct {
	code string
	done chan struct{}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.code = r.FormValue("code") // want `callback hands the authorization code`
	close(s.done)
}

func (s *Server) Finish(ctx context.Context) (*oauth2.Token, error) {
	<-s.done
	return conf.Exchange(ctx, s.code)
}

// The handler checks the state before it hands the code on.
func LoginChecked(ctx context.Context) (*oauth2.Token, error) {
	state := crand.Text()
	codes := make(chan string, 1)
	http.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("state") != state {
			http.Error(w, "bad state", http.StatusBadRequest)
			return
		}
		codes <- r.URL.Query().Get("code")
	})
	_ = conf.AuthCodeURL(state)
	return conf.Exchange(ctx, <-codes)
}

type result struct{ code, state string }

// The receiver checks it: the handler passes both on.
func LoginReceiverChecks(ctx context.Context) (*oauth2.Token, error) {
	want := crand.Text()
	results := make(chan result, 1)
	http.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		results <- result{code: r.URL.Query().Get("code"), state: r.URL.Query().Get("state")}
	})
	_ = conf.AuthCodeURL(want)
	res := <-results
	if res.state != want {
		return nil, context.Canceled
	}
	return conf.Exchange(ctx, res.code)
}
