// Package readers is int128/oauth2cli's NewState: a state filled by
// binary.Read from crypto/rand.Reader in a helper (issue 20, item 1).
package readers

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"fmt"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

func NewState() (string, error) {
	b := make([]byte, 32)
	if err := binary.Read(rand.Reader, binary.LittleEndian, b); err != nil {
		return "", fmt.Errorf("read error: %w", err)
	}
	return base64.URLEncoding.EncodeToString(b), nil
}

func NewShortState() (string, error) {
	b := make([]byte, 4)
	if err := binary.Read(rand.Reader, binary.LittleEndian, b); err != nil {
		return "", fmt.Errorf("read error: %w", err)
	}
	return base64.URLEncoding.EncodeToString(b), nil
}

func login(verifier string) (string, error) {
	state, err := NewState()
	if err != nil {
		return "", err
	}
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), nil
}

func loginShort(verifier string) (string, error) {
	state, err := NewShortState()
	if err != nil {
		return "", err
	}
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), nil // want `32 bits`
}
