// Package refusaltable is a client whose table test mixes fixtures and
// flows.
package refusaltable

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
