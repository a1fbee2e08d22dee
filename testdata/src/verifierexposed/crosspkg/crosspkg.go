// Package crosspkg hands verifiers to helpers of its own and of another
// package: the finding is where the verifier is handed over.
package crosspkg

import (
	"context"
	"log"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

// logf is a helper of this package: harmless on its own.
func logf(format string, args ...any) {
	log.Printf(format, args...)
}

func describe(v string) string { return "verifier=" + v }

func local(ctx context.Context, code string) {
	v := oauth2.GenerateVerifier()
	logf("pkce %s", v)           // want `code verifier written to a log by logf \(which writes it to log.Printf\)`
	logf("pkce %s", describe(v)) // want `made into text by string concatenation, written to a log by logf`
	logf("pkce %d", len(v))      // ok: its length
	_, _ = conf.Exchange(ctx, code, oauth2.VerifierOption(v))
}
