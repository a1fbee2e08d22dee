package agent

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"example.com/pkcedemo/internal/pkceutil"
)

// Hand-built requests, for servers x/oauth2 cannot talk to.

// AuthURLValues builds the authorization URL with url.Values and forgets the challenge.
func (a *Agent) AuthURLValues(state string) string {
	q := url.Values{
		"response_type": {"code"}, // want PKCE001
		"client_id":     {a.cfg.ClientID},
		"redirect_uri":  {a.cfg.RedirectURL},
		"state":         {state},
	}
	return a.cfg.Endpoint.AuthURL + "?" + q.Encode()
}

// AuthURLValuesS256 builds the same URL with an S256 challenge.
func (a *Agent) AuthURLValuesS256(state, verifier string) string {
	q := url.Values{ // ok: code_challenge and method S256
		"response_type":         {"code"},
		"client_id":             {a.cfg.ClientID},
		"redirect_uri":          {a.cfg.RedirectURL},
		"state":                 {state},
		"code_challenge":        {oauth2.S256ChallengeFromVerifier(verifier)},
		"code_challenge_method": {"S256"},
	}
	return a.cfg.Endpoint.AuthURL + "?" + q.Encode()
}

// AuthURLSprintf formats the URL by hand, without a challenge.
func (a *Agent) AuthURLSprintf(state string) string {
	return fmt.Sprintf("%s?response_type=code&client_id=%s&redirect_uri=%s&state=%s", // want PKCE001
		a.cfg.Endpoint.AuthURL, url.QueryEscape(a.cfg.ClientID), url.QueryEscape(a.cfg.RedirectURL), url.QueryEscape(state))
}

// AuthURLSprintfPlain formats the URL with the verifier as a plain challenge.
func (a *Agent) AuthURLSprintfPlain(state, verifier string) string {
	return fmt.Sprintf("%s?response_type=code&client_id=%s&state=%s&code_challenge=%s&code_challenge_method=plain", // want PKCE002
		a.cfg.Endpoint.AuthURL, url.QueryEscape(a.cfg.ClientID), url.QueryEscape(state), verifier)
}

// AuthURLSprintfS256 formats the URL with an S256 challenge.
func (a *Agent) AuthURLSprintfS256(state, verifier string) string {
	return fmt.Sprintf("%s?response_type=code&client_id=%s&state=%s&code_challenge=%s&code_challenge_method=S256", // ok: S256
		a.cfg.Endpoint.AuthURL, url.QueryEscape(a.cfg.ClientID), url.QueryEscape(state), oauth2.S256ChallengeFromVerifier(verifier))
}

// RedeemForm posts the token request by hand and leaves out code_verifier.
func (a *Agent) RedeemForm(ctx context.Context, code string) (*http.Response, error) {
	form := url.Values{
		"grant_type":   {"authorization_code"}, // want PKCE001
		"code":         {code},
		"redirect_uri": {a.cfg.RedirectURL},
		"client_id":    {a.cfg.ClientID},
	}
	return a.post(ctx, a.cfg.Endpoint.TokenURL, form)
}

// RedeemFormVerifier posts the token request by hand with code_verifier.
func (a *Agent) RedeemFormVerifier(ctx context.Context, code, verifier string) (*http.Response, error) {
	form := url.Values{ // ok: code_verifier sent
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {a.cfg.RedirectURL},
		"client_id":     {a.cfg.ClientID},
		"code_verifier": {verifier},
	}
	return a.post(ctx, a.cfg.Endpoint.TokenURL, form)
}

// RefreshForm posts a refresh request by hand.
func (a *Agent) RefreshForm(ctx context.Context, refreshToken string) (*http.Response, error) {
	form := url.Values{ // ok: refresh grant, no authorization code, no PKCE
		"grant_type":    {"refresh_token"},
		"refresh_token": {refreshToken},
		"client_id":     {a.cfg.ClientID},
	}
	return a.post(ctx, a.cfg.Endpoint.TokenURL, form)
}

// post sends form with a request ID, retrying network errors with jittered backoff.
func (a *Agent) post(ctx context.Context, endpoint string, form url.Values) (*http.Response, error) {
	reqID := uuid.NewString() // ok: a UUID as a request ID
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Request-ID", reqID)
		resp, err := a.http.Do(req)
		if err == nil || attempt == 2 {
			return resp, err
		}
		time.Sleep(pkceutil.Jitter(time.Duration(200<<attempt) * time.Millisecond)) // ok: math/rand jitter, not a secret
	}
}
