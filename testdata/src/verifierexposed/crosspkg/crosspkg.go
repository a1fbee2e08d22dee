// Package crosspkg hands verifiers to helpers of its own and of another
// package: the finding is where the verifier is handed over.
package crosspkg

import (
	"context"
	"log"
	"net/http"

	"golang.org/x/oauth2"

	"verifierexposed/helper"
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

func other(w http.ResponseWriter, r *http.Request) {
	v := oauth2.GenerateVerifier()
	helper.Debugf("pkce %s", v)                                 // want `code verifier written to a log by helper.Debugf \(which writes it to log.Printf\)`
	helper.WriteJSON(w, map[string]string{"verifier": v})       // want `written to an HTTP response by helper.WriteJSON \(which writes it to a JSON encoder on the http.ResponseWriter\)`
	log.Println("verifier", helper.Quote(v))                    // want `made into text by string concatenation, written to a log by log.Println`
	helper.Count(v)                                             // ok: only its length is logged
	helper.WriteJSON(w, map[string]int{"verifier_len": len(v)}) // ok: its length
	_, _ = conf.Exchange(r.Context(), r.FormValue("code"), oauth2.VerifierOption(v))
}

// A verifier kept in another package's struct, read back for the log.
func callback(ctx context.Context, p helper.Pending) {
	log.Printf("state %s", p.State)       // ok: the state
	log.Printf("verifier %s", p.Verifier) // want `code verifier written to a log by log.Printf`
	helper.Debugf("pending %+v", p)       // want `struct holding the code verifier \(field Verifier\) written to a log by helper.Debugf \(which writes it to log.Printf\)`
	_, _ = conf.Exchange(ctx, "code", oauth2.VerifierOption(p.Verifier))
}

// A verifier made by another package's verifier API, and a look-alike.
func made() {
	v, err := helper.NewCodeVerifier()
	if err != nil {
		return
	}
	log.Printf("made %s", v)                           // want `code verifier written to a log by log.Printf`
	log.Printf("pattern %s", helper.VerifierPattern()) // ok: not a verifier
}
