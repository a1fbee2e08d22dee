// Package oauth2 is a test stub of golang.org/x/oauth2 v0.37.0: the
// exported API pkcevet recognises, with the real signatures and no
// behaviour that matters to analysis.
package oauth2

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

type Endpoint struct {
	AuthURL       string
	DeviceAuthURL string
	TokenURL      string
	AuthStyle     AuthStyle
}

type AuthStyle int

const (
	AuthStyleAutoDetect AuthStyle = 0
	AuthStyleInParams   AuthStyle = 1
	AuthStyleInHeader   AuthStyle = 2
)

type Config struct {
	ClientID     string
	ClientSecret string
	Endpoint     Endpoint
	RedirectURL  string
	Scopes       []string
}

type Token struct {
	AccessToken  string
	TokenType    string
	RefreshToken string
	Expiry       time.Time
}

type TokenSource interface {
	Token() (*Token, error)
}

type AuthCodeOption interface {
	setValue(url.Values)
}

type setParam struct{ k, v string }

func (p setParam) setValue(m url.Values) { m.Set(p.k, p.v) }

var (
	AccessTypeOnline  AuthCodeOption = SetAuthURLParam("access_type", "online")
	AccessTypeOffline AuthCodeOption = SetAuthURLParam("access_type", "offline")
	ApprovalForce     AuthCodeOption = SetAuthURLParam("prompt", "consent")
)

func SetAuthURLParam(key, value string) AuthCodeOption { return setParam{key, value} }

func (c *Config) AuthCodeURL(state string, opts ...AuthCodeOption) string { return "" }

func (c *Config) PasswordCredentialsToken(ctx context.Context, username, password string) (*Token, error) {
	return nil, nil
}

func (c *Config) Exchange(ctx context.Context, code string, opts ...AuthCodeOption) (*Token, error) {
	return nil, nil
}

func (c *Config) Client(ctx context.Context, t *Token) *http.Client { return nil }

func (c *Config) TokenSource(ctx context.Context, t *Token) TokenSource { return nil }

type DeviceAuthResponse struct {
	DeviceCode      string
	UserCode        string
	VerificationURI string
}

func (c *Config) DeviceAuth(ctx context.Context, opts ...AuthCodeOption) (*DeviceAuthResponse, error) {
	return nil, nil
}

func (c *Config) DeviceAccessToken(ctx context.Context, da *DeviceAuthResponse, opts ...AuthCodeOption) (*Token, error) {
	return nil, nil
}

func GenerateVerifier() string { return "" }

func VerifierOption(verifier string) AuthCodeOption { return setParam{"code_verifier", verifier} }

func S256ChallengeFromVerifier(verifier string) string { return "" }

func S256ChallengeOption(verifier string) AuthCodeOption {
	return setParam{"code_challenge", S256ChallengeFromVerifier(verifier)}
}

func NewClient(ctx context.Context, src TokenSource) *http.Client { return nil }

func StaticTokenSource(t *Token) TokenSource { return nil }
