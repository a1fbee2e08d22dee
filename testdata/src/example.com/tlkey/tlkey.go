// Package tlkey holds signing keys whose public half is called their
// Verifier, as tailscale's types/key does.
package tlkey

import "crypto/ed25519"

// NLPrivate is a signing key.
type NLPrivate struct{ K ed25519.PrivateKey }

// Verifier returns the key that verifies this key's signatures.
func (p NLPrivate) Verifier() []byte { return p.K.Public().(ed25519.PublicKey) }

// NLPublic is a public key.
type NLPublic struct{ K [ed25519.PublicKeySize]byte }

// Verifier returns the key as the ed25519 type that verifies signatures.
func (k NLPublic) Verifier() ed25519.PublicKey { return ed25519.PublicKey(k.K[:]) }

// Key is a trusted key of the lock.
type Key struct {
	Kind   string
	Public []byte
}
