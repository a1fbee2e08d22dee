// Package refusal is a client whose tests include fixtures: requests that
// the server under test must refuse.
package refusal

import (
	"errors"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{ClientID: "id"}

// send stands for the server under test.
func send(url string) error {
	if url == "" {
		return errors.New("invalid_request")
	}
	return nil
}
