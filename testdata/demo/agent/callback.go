package agent

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"example.com/pkcedemo/store"
)

const sessionCookie = "agent_session"

// Login starts a flow for the browser on the loopback page and sends it to the server.
func (a *Agent) Login(w http.ResponseWriter, r *http.Request) {
	f := a.Start()
	sid := uuid.NewString() // ok: a UUID as a session ID, not a verifier or state
	if err := a.pending.Put(sid, store.Pending{State: f.State, Verifier: f.Verifier}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, f.URL, http.StatusFound)
}

// Callback redeems the code once state matches the flow this browser started.
func (a *Agent) Callback(w http.ResponseWriter, r *http.Request) {
	p, ok := a.take(r)
	q := r.URL.Query()
	if !ok || q.Get("state") != p.State { // ok: state comparison (PKCE005 skips state by default)
		http.Error(w, "unknown session or state mismatch", http.StatusBadRequest)
		return
	}
	tok, err := a.cfg.Exchange(r.Context(), q.Get("code"), oauth2.VerifierOption(p.Verifier)) // ok: state checked, verifier sent
	a.finish(w, tok, err)
}

// CallbackDebug is v0.2's debugging callback: it logged the verifier, so anyone who reads the
// logs and intercepts a code can redeem it. Its twin logs only the verifier's length.
func (a *Agent) CallbackDebug(w http.ResponseWriter, r *http.Request) {
	p, ok := a.take(r)
	q := r.URL.Query()
	if !ok || q.Get("state") != p.State { // ok: state comparison (PKCE005 skips state by default)
		http.Error(w, "unknown session or state mismatch", http.StatusBadRequest)
		return
	}
	slog.Debug("redeeming code", "state", p.State, "verifier", p.Verifier)          // want PKCE007
	slog.Debug("redeeming code", "state", p.State, "verifier_len", len(p.Verifier)) // ok: the state and the verifier's length
	tok, err := a.cfg.Exchange(r.Context(), q.Get("code"), oauth2.VerifierOption(p.Verifier))
	a.finish(w, tok, err)
}

// CallbackNoState is v0.1's callback: it redeems whatever code arrives, so a code an attacker
// plants in the victim's browser is redeemed too (login CSRF).
func (a *Agent) CallbackNoState(w http.ResponseWriter, r *http.Request) {
	p, ok := a.take(r)
	if !ok {
		http.Error(w, "unknown session", http.StatusBadRequest)
		return
	}
	tok, err := a.cfg.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption(p.Verifier)) // want PKCE004
	a.finish(w, tok, err)
}

// ExchangeNoVerifier is how v0.1 redeemed codes: without the verifier, so the server cannot tell
// the agent from whoever intercepted the code.
func (a *Agent) ExchangeNoVerifier(ctx context.Context, code string) (*oauth2.Token, error) {
	return a.cfg.Exchange(ctx, code) // want PKCE001
}

// take returns the pending flow of the browser's session.
func (a *Agent) take(r *http.Request) (store.Pending, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return store.Pending{}, false
	}
	return a.pending.Take(c.Value)
}

func (a *Agent) finish(w http.ResponseWriter, tok *oauth2.Token, err error) {
	if err != nil {
		http.Error(w, "token exchange failed: "+err.Error(), http.StatusBadGateway)
		return
	}
	a.OnToken(tok)
	_, _ = w.Write([]byte("Signed in. You can close this tab.\n"))
}
