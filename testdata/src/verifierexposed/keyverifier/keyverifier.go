// Package keyverifier prints keys whose type names the public half a
// "Verifier", as tailscale's tailnet-lock keys do, beside a PKCE pair
// whose Verifier() is the code verifier.
package keyverifier

import (
	"crypto/ed25519"
	"fmt"

	"golang.org/x/oauth2"

	"example.com/tlkey"
)

// NLPrivate is a signing key; Verifier returns its public half.
type NLPrivate struct{ k ed25519.PrivateKey }

// Verifier returns the key that verifies this key's signatures.
func (p NLPrivate) Verifier() []byte { return p.k.Public().(ed25519.PublicKey) }

type Key struct{ Public []byte }

func listKeys(p NLPrivate, q tlkey.NLPrivate) {
	k := Key{Public: p.Verifier()}
	fmt.Printf(" - tlpub:%x\n", k.Public) // ok: a public key, not a code verifier
	k2 := Key{Public: q.Verifier()}
	fmt.Printf(" - tlpub:%x\n", k2.Public) // ok: the same from another package
}

// tailscale's shape: the key is built in one function and printed from a
// list in another.
func trustedKeys(q tlkey.NLPrivate) []tlkey.Key {
	return []tlkey.Key{{Kind: "25519", Public: q.Verifier()}}
}

func printTrusted(q tlkey.NLPrivate) {
	for _, k := range trustedKeys(q) {
		fmt.Printf(" - tlpub:%x (%s key)\n", k.Public, k.Kind) // ok: a public key
	}
}

func parseKeys(args []string) (keys []tlkey.Key, err error) {
	for range args {
		var nlpk tlkey.NLPublic
		k := tlkey.Key{
			Kind:   "25519",
			Public: nlpk.Verifier(),
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func initLock(args []string) error {
	keys, err := parseKeys(args)
	if err != nil {
		return err
	}
	for _, k := range keys {
		fmt.Printf(" - tlpub:%x (%s key)\n", k.Public, k.Kind) // ok: a public key
	}
	return nil
}

// PKCEPair is a login's PKCE values; its Verifier is the code verifier.
type PKCEPair struct{ v string }

func NewPKCEPair() *PKCEPair { return &PKCEPair{v: oauth2.GenerateVerifier()} }

// Verifier returns the code verifier.
func (p *PKCEPair) Verifier() string { return p.v }

func debugPair(p *PKCEPair) {
	fmt.Printf("pkce verifier %s\n", p.Verifier()) // want `code verifier written to a log by fmt.Printf`
}
