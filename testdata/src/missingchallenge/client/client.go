package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

var cfg = &oauth2.Config{ClientID: "id"}

func noChallenge(state string) string {
	return cfg.AuthCodeURL(state, oauth2.AccessTypeOffline) // want `AuthCodeURL builds an authorization request without code_challenge`
}

func noOptions(state string) string {
	return cfg.AuthCodeURL(state) // want `AuthCodeURL builds an authorization request without code_challenge`
}

func verifierOnFrontChannel(state, verifier string) string {
	return cfg.AuthCodeURL(state, oauth2.VerifierOption(verifier)) // want `oauth2.VerifierOption passed to AuthCodeURL sends the code verifier on the front channel`
}

func exchangeWithout(ctx context.Context, code string) (*oauth2.Token, error) {
	return cfg.Exchange(ctx, code) // want `Exchange redeems the authorization code without code_verifier`
}

func handBuilt(state string) string {
	q := url.Values{}
	q.Set("response_type", "code") // want `authorization request with response_type=code has no code_challenge`
	q.Set("client_id", "id")
	q.Set("state", state)
	return "https://as.example/authorize?" + q.Encode()
}

func handBuiltLiteral(state string) string {
	q := url.Values{
		"response_type": {"code"}, // want `authorization request with response_type=code has no code_challenge`
		"client_id":     {"id"},
		"state":         {state},
	}
	return "https://as.example/authorize?" + q.Encode()
}

func tokenForm(ctx context.Context, code string) (*http.Response, error) {
	form := url.Values{}
	form.Set("grant_type", "authorization_code") // want `token request with grant_type=authorization_code has no code_verifier`
	form.Set("code", code)
	return http.PostForm("https://as.example/token", form)
}

func formatted(id, state string) string {
	return fmt.Sprintf("https://as.example/authorize?response_type=code&client_id=%s&state=%s", id, state) // want `authorization URL with response_type=code has no code_challenge`
}

func concatenated(id, state string) string {
	return "https://as.example/authorize?response_type=code&client_id=" + id + "&state=" + state // want `authorization URL with response_type=code has no code_challenge`
}

// Correct code and look-alikes.

func withChallenge(state, verifier string) string {
	return cfg.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier))
}

func withParam(state, challenge string) string {
	return cfg.AuthCodeURL(state, oauth2.SetAuthURLParam("code_challenge", challenge), oauth2.SetAuthURLParam("code_challenge_method", "S256"))
}

func optionsVariable(state, verifier string) string {
	opt := oauth2.S256ChallengeOption(verifier)
	return cfg.AuthCodeURL(state, opt)
}

func optionsAppended(state, verifier string, offline bool) string {
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if offline {
		opts = append(opts, oauth2.AccessTypeOffline)
	}
	return cfg.AuthCodeURL(state, opts...)
}

// Options from elsewhere: not known, not reported.
func optionsFromCaller(state string, opts ...oauth2.AuthCodeOption) string {
	return cfg.AuthCodeURL(state, opts...)
}

func exchangeWith(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	return cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
}

func handBuiltGood(state, challenge string) string {
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("client_id", "id")
	q.Set("state", state)
	q.Set("code_challenge", challenge)
	q.Set("code_challenge_method", "S256")
	return "https://as.example/authorize?" + q.Encode()
}

// The map is completed by a helper: not reported.
func handBuiltEscapes(state string) string {
	q := url.Values{}
	q.Set("response_type", "code")
	addPKCE(q)
	return q.Encode()
}

func addPKCE(q url.Values) { q.Set("code_challenge", "x") }

func formattedGood(id, state, challenge string) string {
	return fmt.Sprintf("https://as.example/authorize?response_type=code&client_id=%s&state=%s&code_challenge=%s&code_challenge_method=S256", id, state, challenge)
}

// The challenge is appended in a later statement.
func builtInSteps(id, challenge string) string {
	u := "https://as.example/authorize?response_type=code&client_id=" + id
	u += "&code_challenge=" + challenge + "&code_challenge_method=S256"
	return u
}

// A test asserting a URL builds no request.
func isExpected(got string) bool {
	return got == "https://as.example/authorize?response_type=code&client_id=id"
}

// Searching a URL for a code-flow parameter builds no request either
// (supabase's IsCodeFlow; assert.Contains in its tests).
func isCodeFlow(u string) bool {
	return strings.Contains(u, "response_type=code") || strings.HasPrefix(u, "https://as.example/authorize?response_type=code&")
}

var codeFlowURL = regexp.MustCompile(`response_type=code(&|$)`)

// Implicit and other flows are not code flows.
func implicit() string {
	return "https://as.example/authorize?response_type=token&client_id=id"
}

// Client credentials, device and refresh flows have no authorization code.
func machine(ctx context.Context) {
	cc := &clientcredentials.Config{ClientID: "id", ClientSecret: "s", TokenURL: "https://as.example/token"}
	cc.Token(ctx)
	da, _ := cfg.DeviceAuth(ctx)
	cfg.DeviceAccessToken(ctx, da)
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"r"}}
	http.PostForm("https://as.example/token", form)
}

// A type of its own with an AuthCodeURL method is not oauth2.Config.
type consent struct{}

func (consent) AuthCodeURL(state string) string { return strings.ToUpper(state) }
func (consent) Exchange(code string) string     { return code }

func other() string {
	var c consent
	return c.AuthCodeURL("x") + c.Exchange("y")
}

// A helper of this package that only sends the form does not hide it.
func tokenFormHelper(code string) {
	form := url.Values{}
	form.Set("grant_type", "authorization_code") // want `token request with grant_type=authorization_code has no code_verifier`
	form.Set("code", code)
	post(form)
}

func post(form url.Values) { http.PostForm("https://as.example/token", form) }

// Options appended in a loop (a phi that feeds itself) are followed
// without recursing forever.
func optionsInLoop(state string, extra map[string]string) string {
	var opts []oauth2.AuthCodeOption
	for k, v := range extra {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	return cfg.AuthCodeURL(state, opts...)
}

func optionsInLoopNoChallenge(state string, n int) string {
	var opts []oauth2.AuthCodeOption
	for i := 0; i < n; i++ {
		opts = append(opts, oauth2.AccessTypeOffline)
	}
	return cfg.AuthCodeURL(state, opts...) // want `AuthCodeURL builds an authorization request without code_challenge`
}

// A named constant is judged where it is declared, not where it is used.
const authorizeURL = "https://as.example/authorize?response_type=code&client_id=id&state=s" // want `authorization URL with response_type=code has no code_challenge`

func useConstant() (string, error) {
	return authorizeURL, fmt.Errorf("redirect to %s", authorizeURL)
}

// literalReceiver is reported at Exchange, where the call is, not at the
// literal that starts the expression two lines up.
func literalReceiver(ctx context.Context, code string) (*oauth2.Token, error) {
	return (&oauth2.Config{
		ClientID: "id",
	}).Exchange(ctx, code) // want `Exchange redeems the authorization code without code_verifier`
}
