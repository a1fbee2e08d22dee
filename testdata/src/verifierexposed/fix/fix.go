// Package fix has log/slog calls whose verifier pair or attribute the
// suggested fix removes, and one it cannot.
package fix

import (
	"context"
	"log/slog"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

type flow struct{ codeVerifier string }

func exchange(ctx context.Context, code string, f *flow) {
	v := oauth2.GenerateVerifier()
	slog.Debug("pkce", "verifier", v, "state", "s")                   // want `code verifier written to a log by slog.Debug`
	slog.Info("pkce", "code", code, "verifier", v)                    // want `code verifier written to a log by slog.Info`
	slog.InfoContext(ctx, "pkce", slog.String("verifier", v), "n", 1) // want `code verifier written to a log by slog.InfoContext`
	slog.Warn("pkce", slog.Int("n", 1), "verifier", f.codeVerifier)   // want `code verifier written to a log by slog.Warn`
	slog.Error("pkce verifier " + v)                                  // want `made into text by string concatenation, written to a log by slog.Error`
	_, _ = conf.Exchange(ctx, code, oauth2.VerifierOption(v), oauth2.VerifierOption(f.codeVerifier))
}
