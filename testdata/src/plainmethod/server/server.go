package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

type Config struct {
	// AllowPlain is an operator setting, off by default.
	AllowPlain bool
}

type Metadata struct {
	Issuer                        string   `json:"issuer"`
	CodeChallengeMethodsSupported []string `json:"code_challenge_methods_supported"`
}

func metadata() Metadata {
	return Metadata{
		Issuer:                        "https://as.example",
		CodeChallengeMethodsSupported: []string{"S256", "plain"}, // want `plain is listed among the supported code challenge methods`
	}
}

func metadataMap() map[string]any {
	return map[string]any{
		"code_challenge_methods_supported": []string{"plain", "S256"}, // want `plain is listed among the supported code challenge methods`
	}
}

var allowedChallengeMethods = map[string]bool{"S256": true, "plain": true} // want `plain is listed among the supported code challenge methods`

func verify(method, challenge, verifier string) error {
	var computed string
	if method == "plain" { // want `the server accepts code_challenge_method plain`
		computed = verifier
	} else {
		sum := sha256.Sum256([]byte(verifier))
		computed = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	if subtle.ConstantTimeCompare([]byte(computed), []byte(challenge)) != 1 {
		return errors.New("invalid_grant")
	}
	return nil
}

func verifySwitch(method, challenge, verifier string) error {
	switch method {
	case "S256":
		return nil
	case "plain": // want `the server accepts code_challenge_method plain`
		if subtle.ConstantTimeCompare([]byte(verifier), []byte(challenge)) != 1 {
			return errors.New("invalid_grant")
		}
		return nil
	}
	return errors.New("unsupported")
}

func authorize(w http.ResponseWriter, r *http.Request) {
	method := r.FormValue("code_challenge_method")
	if method == "" {
		method = "plain" // want `a missing code_challenge_method defaults to plain`
	}
	if method != "S256" && method != "plain" { // want `the server lets code_challenge_method plain past this check`
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	_ = method
}

// Correct servers and look-alikes.

func metadataGood() Metadata {
	return Metadata{CodeChallengeMethodsSupported: []string{"S256"}}
}

func metadataOptIn(cfg Config) Metadata {
	methods := []string{"S256"}
	if cfg.AllowPlain {
		methods = append(methods, "plain")
	}
	return Metadata{CodeChallengeMethodsSupported: methods}
}

func authorizeStrict(w http.ResponseWriter, r *http.Request) {
	method := r.FormValue("code_challenge_method")
	if method == "plain" {
		http.Error(w, "plain is not supported; use S256", http.StatusBadRequest)
		return
	}
	if method != "S256" {
		http.Error(w, fmt.Sprintf("unsupported method %q", method), http.StatusBadRequest)
		return
	}
}

func verifyOptIn(cfg Config, method, challenge, verifier string) error {
	if method == "plain" && cfg.AllowPlain {
		if subtle.ConstantTimeCompare([]byte(verifier), []byte(challenge)) != 1 {
			return errors.New("invalid_grant")
		}
		return nil
	}
	switch method {
	case "plain":
		if !cfg.AllowPlain {
			return errors.New("plain not allowed")
		}
	}
	return nil
}

// "plain" of something else.
func render(format string) string {
	if format == "plain" {
		return "text"
	}
	return "html"
}

// A typed method value, defaulted to plain.
type CodeChallengeMethod string

const CodeChallengePlain CodeChallengeMethod = "plain"

func defaultTyped(r *http.Request) CodeChallengeMethod {
	ccm := CodeChallengeMethod(r.FormValue("code_challenge_method"))
	if ccm == "" {
		ccm = CodeChallengePlain // want `a missing code_challenge_method defaults to plain`
	}
	return ccm
}

func (m CodeChallengeMethod) IsSupported() bool {
	switch m {
	case CodeChallengePlain, "S256": // want `the server accepts code_challenge_method plain`
		return true
	}
	return false
}

// plain behind a configuration getter, reached by fallthrough.
type settings struct{ plain bool }

func (s settings) GetEnablePKCEPlainChallengeMethod() bool { return s.plain }

func validateMethod(s settings, method string) error {
	switch method {
	case "S256":
		return nil
	case "plain":
		fallthrough
	case "":
		if !s.GetEnablePKCEPlainChallengeMethod() {
			return errors.New("plain is disabled")
		}
	}
	return nil
}

// A validator that lets a missing method (plain) through.
func ValidateCodeChallengeMethod(codeChallenge string, method CodeChallengeMethod) error {
	if codeChallenge == "" || method == "" || method == "S256" { // want `a request without code_challenge_method is accepted, and a missing method means plain`
		return nil
	}
	return errors.New("unsupported method")
}

// Not a validator: a client that simply has no method to send.
func buildParams(method string, params map[string]string) map[string]string {
	if method == "" {
		return params
	}
	params["code_challenge_method"] = method
	return params
}

// tokenHandler validates the method behind the operator setting first, as
// the authorize endpoint does, then compares: plain reaches the comparison
// only when AllowPlain is on.
type tokenHandler struct{ cfg Config }

func (h *tokenHandler) validate(method string) error {
	switch method {
	case "S256":
		return nil
	case "plain":
		if !h.cfg.AllowPlain {
			return errors.New("plain is not allowed")
		}
		return nil
	}
	return errors.New("unknown method")
}

func (h *tokenHandler) verify(method, verifier, challenge string) error {
	if err := h.validate(method); err != nil {
		return err
	}
	switch method {
	case "S256":
		sum := sha256.Sum256([]byte(verifier))
		if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) != 1 {
			return errors.New("mismatch")
		}
	case "plain":
		if subtle.ConstantTimeCompare([]byte(verifier), []byte(challenge)) != 1 {
			return errors.New("mismatch")
		}
	}
	return nil
}

// unvalidated compares plain with no gate anywhere.
func unvalidated(method, verifier, challenge string) error {
	switch method {
	case "plain": // want `the server accepts code_challenge_method plain`
		if subtle.ConstantTimeCompare([]byte(verifier), []byte(challenge)) != 1 {
			return errors.New("mismatch")
		}
	}
	return nil
}

// The method case-folded first (supabase's validatePKCEParams and
// VerifyPKCEChallenge): still the method.
func validatePKCEParams(codeChallengeMethod, codeChallenge string) error {
	if codeChallenge == "" || codeChallengeMethod == "" {
		return errors.New("PKCE flow requires both code_challenge and code_challenge_method")
	}
	if strings.ToLower(codeChallengeMethod) != "s256" && strings.ToLower(codeChallengeMethod) != "plain" { // want `the server lets code_challenge_method plain past this check`
		return errors.New("code_challenge_method must be 'S256' or 'plain'")
	}
	return nil
}

func verifyFolded(codeChallenge, codeChallengeMethod, codeVerifier string) error {
	switch strings.ToLower(codeChallengeMethod) {
	case "s256":
		sum := sha256.Sum256([]byte(codeVerifier))
		if subtle.ConstantTimeCompare([]byte(codeChallenge), []byte(base64.RawURLEncoding.EncodeToString(sum[:]))) != 1 {
			return errors.New("invalid_grant")
		}
	case "plain": // want `the server accepts code_challenge_method plain`
		if subtle.ConstantTimeCompare([]byte(codeChallenge), []byte(codeVerifier)) != 1 {
			return errors.New("invalid_grant")
		}
	default:
		return errors.New("unsupported")
	}
	return nil
}
