// Package tlkey holds signing keys whose public half is called their
// Verifier, as tailscale's types/key does.
package tlkey

import "crypto/ed25519"

// NLPrivate is a signing key.
type NLPrivate struct{ K ed25519.PrivateKey }

// Verifier returns the key that verifies this key's signatures.
func (p NLPrivate) Verifier() []byte { return p.K.Public().(ed25519.PublicKey) }

// Key is a trusted key of the lock.
type Key struct {
	Kind   string
	Public []byte
}
