// Package errs puts verifiers into errors that it logs or writes out.
package errs

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

func exchange(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange with verifier %s: %w", verifier, err)
	}
	return tok, nil
}

func callback(w http.ResponseWriter, r *http.Request, v string) {
	_, err := exchange(r.Context(), r.FormValue("code"), v)
	if err != nil {
		log.Println(err)                                  // want `error carrying the code verifier written to a log by log.Println`
		http.Error(w, err.Error(), http.StatusBadGateway) // want `error carrying the code verifier written to an HTTP response by http.Error`
	}
}

func check(ctx context.Context, code string) {
	v := oauth2.GenerateVerifier()
	err := errors.New("bad verifier " + v)
	log.Printf("failed: %v", err) // want `error carrying the code verifier written to a log by log.Printf`
	_, _ = conf.Exchange(ctx, code, oauth2.VerifierOption(v))
}

// An error returned to the caller and never logged or written here is
// not reported: the package does not expose it.
func returned(ctx context.Context, code string) error {
	v := oauth2.GenerateVerifier()
	_, err := conf.Exchange(ctx, code, oauth2.VerifierOption(v))
	if err != nil {
		return fmt.Errorf("exchange (verifier %s): %w", v, err)
	}
	return nil
}
