// Package readers fills verifier buffers through every standard-library
// reader that fills its argument (issue 20, item 1): binary.Read,
// io.ReadAtLeast, io.ReadFull, a bufio.Reader over crypto/rand.Reader and
// crypto/rand.Read. A buffer handed to code this analysis cannot see is
// of unknown origin, never "a buffer that is never filled".
package readers

import (
	"bufio"
	crand "crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"io"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}


// oauth2cli's NewState shape.
func binaryRead() string {
	b := make([]byte, 32)
	if err := binary.Read(crand.Reader, binary.LittleEndian, b); err != nil {
		panic(err)
	}
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(base64.RawURLEncoding.EncodeToString(b)))
}

func binaryReadShort() string {
	b := make([]byte, 8)
	if err := binary.Read(crand.Reader, binary.LittleEndian, b); err != nil {
		panic(err)
	}
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(base64.RawURLEncoding.EncodeToString(b))) // want `carries only 64 bits of randomness`
}

func readAtLeast() string {
	b := make([]byte, 32)
	if _, err := io.ReadAtLeast(crand.Reader, b, len(b)); err != nil {
		panic(err)
	}
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(base64.RawURLEncoding.EncodeToString(b)))
}

func readFull() string {
	var b [32]byte
	if _, err := io.ReadFull(crand.Reader, b[:]); err != nil {
		panic(err)
	}
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(base64.RawURLEncoding.EncodeToString(b[:])))
}

func buffered() string {
	b := make([]byte, 32)
	if _, err := bufio.NewReader(crand.Reader).Read(b); err != nil {
		panic(err)
	}
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(base64.RawURLEncoding.EncodeToString(b)))
}

type filler interface{ Fill(any) }

// Handed to an interface whose implementation is unknown: no verdict.
func unknownFiller(f filler) string {
	b := make([]byte, 32)
	f.Fill(b)
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(base64.RawURLEncoding.EncodeToString(b)))
}

// Stored where some other code fills it: no verdict either.
type holder struct{ buf []byte }

func storedAway(h *holder) string {
	b := make([]byte, 32)
	h.buf = b
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(base64.RawURLEncoding.EncodeToString(b)))
}

// Allocated and never written: all zeros, a constant.
func neverFilled() string {
	b := make([]byte, 32)
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(base64.RawURLEncoding.EncodeToString(b))) // want `a buffer that is never filled`
}
