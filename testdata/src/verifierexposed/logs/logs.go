// Package logs writes verifiers to logs in every way PKCE007 knows.
package logs

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

func stdlog(ctx context.Context, code string) {
	verifier := oauth2.GenerateVerifier()
	log.Printf("exchanging code with verifier %s", verifier) // want `code verifier written to a log by log.Printf`
	log.Println("verifier:", verifier)                       // want `code verifier written to a log by log.Println`
	l := log.New(os.Stderr, "", 0)
	l.Print(verifier) // want `code verifier written to a log by \(\*log.Logger\).Print`
	_, _ = conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
}

func slogs(ctx context.Context, code, verifier string) {
	slog.Debug("pkce", "verifier", verifier)                  // want `code verifier written to a log by slog.Debug`
	slog.Info("verifier " + verifier)                         // want `code verifier, made into text by string concatenation, written to a log by slog.Info`
	slog.InfoContext(ctx, "pkce", slog.String("v", verifier)) // want `code verifier written to a log by slog.InfoContext`
	logger := slog.Default().With("verifier", verifier)       // want `code verifier written to a log by \(\*slog.Logger\).With`
	logger.Info("exchanging")
	_, _ = conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
}

func printing(ctx context.Context, code string) {
	v := oauth2.GenerateVerifier()
	fmt.Println(v)                              // want `code verifier written to a log by fmt.Println`
	fmt.Fprintf(os.Stderr, "verifier=%s\n", v)  // want `code verifier written to a log by fmt.Fprintf to os.Stderr`
	fmt.Fprintln(os.Stdout, strings.ToUpper(v)) // want `made into text by strings.ToUpper, written to a log by fmt.Fprintln to os.Stdout`
	msg := fmt.Sprintf("pkce verifier=%s", v)
	log.Print(msg) // want `made into text by fmt.Sprintf, written to a log by log.Print`
	_, _ = conf.Exchange(ctx, code, oauth2.VerifierOption(v))
}

// A verifier read back from a field of a flow struct.
type flow struct {
	State        string
	CodeVerifier string
}

func (f *flow) debug() {
	log.Printf("flow %s: %s", f.State, f.CodeVerifier) // want `code verifier written to a log by log.Printf`
}

// A closure that captures the verifier.
func closure(ctx context.Context, code string) func() {
	v := oauth2.GenerateVerifier()
	return func() {
		log.Println(v) // want `code verifier written to a log by log.Println`
		_, _ = conf.Exchange(ctx, code, oauth2.VerifierOption(v))
	}
}

// A struct with a verifier field, printed whole.
func (f *flow) dump() {
	log.Printf("flow %+v", f)     // want `struct holding the code verifier \(field CodeVerifier\) written to a log by log.Printf`
	slog.Info("flow", "flow", *f) // want `struct holding the code verifier \(field CodeVerifier\) written to a log by slog.Info`
}

// A struct that says itself what it prints.
type quiet struct{ State, CodeVerifier string }

func (q quiet) String() string { return q.State }

func (q *quiet) dump() {
	log.Printf("%s", q) // ok: its String method leaves the verifier out
}
