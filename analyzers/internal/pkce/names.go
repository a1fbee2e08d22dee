package pkce

import (
	"go/types"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names are the last resort of recognition: a struct field or variable
// called CodeVerifier says what it holds even when no typed API touches it.
// The rules use these helpers only where types cannot answer, and always
// together with a type check (a verifier is a string or a byte slice, so an
// *oidc.IDTokenVerifier or a verifierPattern regexp never matches).

// Words splits an identifier into lower-case words at case changes and
// underscores (also - and .): "pkceCodeVerifier" → [pkce code verifier],
// "IDTokenVerifier" → [id token verifier]. A digit is neither upper nor
// lower case: it ends no word ("s256Challenge" is one).
func Words(name string) []string {
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return wordsOfRunes(name)
		}
	}
	// ASCII, nearly every identifier: the words are slices of name, and
	// strings.ToLower returns a word with no upper-case letter as it is.
	// Words runs for every name the rules look at; splitting runes
	// allocated several strings per word.
	isUpper := func(c byte) bool { return 'A' <= c && c <= 'Z' }
	isLower := func(c byte) bool { return 'a' <= c && c <= 'z' }
	var words []string
	start := -1 // of the current word; -1 between words
	flush := func(end int) {
		if start >= 0 {
			words = append(words, strings.ToLower(name[start:end]))
		}
		start = -1
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '_' || c == '-' || c == '.':
			flush(i)
			continue
		case isUpper(c):
			if i > 0 && (isLower(name[i-1]) || isUpper(name[i-1]) && i+1 < len(name) && isLower(name[i+1])) {
				flush(i)
			}
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(name))
	return words
}

// wordsOfRunes is Words for a name with a non-ASCII letter.
func wordsOfRunes(name string) []string {
	var words []string
	var cur []rune
	runes := []rune(name)
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i, r := range runes {
		switch {
		case r == '_' || r == '-' || r == '.':
			flush()
			continue
		case unicode.IsUpper(r):
			// A new word starts at an upper-case letter that follows a
			// lower-case one, or that precedes one inside an acronym run
			// ("IDToken" → id, token).
			if i > 0 && (unicode.IsLower(runes[i-1]) ||
				(unicode.IsUpper(runes[i-1]) && i+1 < len(runes) && unicode.IsLower(runes[i+1]))) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// nonSecretWords qualify a PKCE word so that the name no longer denotes the
// secret itself: verifierLen, challengeMethod, ErrVerifierMismatch,
// verifierPattern, IDTokenVerifier.
var nonSecretWords = map[string]bool{
	"len": true, "length": true, "size": true, "min": true, "max": true,
	"method": true, "methods": true, "pattern": true, "regexp": true, "re": true, "regex": true,
	"err": true, "error": true, "errors": true, "msg": true, "message": true,
	"param": true, "key": true, "name": true, "field": true,
	"id": true, "token": true, "jwt": true, "oidc": true, "config": true, "cfg": true,
	"supported": true, "fn": true, "func": true, "func_": true, "type": true,
}

// nameDenotes reports whether name is one of the PKCE secret names built on
// word (verifier or challenge), and not a qualifier of it.
func nameDenotes(name, word string) bool {
	words := Words(name)
	found := false
	for _, w := range words {
		if nonSecretWords[w] {
			return false
		}
		if w == word || w == word+"s" {
			found = true
		}
	}
	return found
}

// IsVerifierName reports whether an identifier names a PKCE code verifier
// (verifier, codeVerifier, CodeVerifier, pkce_verifier, verifiers), and
// not another protocol's verifier (hydra's LoginVerifier,
// ConsentVerifier, logout_verifier; an email or webhook verifier).
func IsVerifierName(name string) bool {
	return nameDenotes(name, "verifier") && !slices.ContainsFunc(Words(name), otherVerifierWord)
}

// otherVerifierWord reports whether a word beside "verifier" names a
// verifier that is not PKCE's.
func otherVerifierWord(w string) bool {
	switch w {
	case "login", "consent", "logout", "email", "webhook", "signature", "sig", "otp", "totp", "mfa", "sms", "csrf", "session":
		return true
	}
	return false
}

// isQualifiedVerifierName reports whether a verifier name says it is the
// PKCE one (CodeVerifier, PKCEVerifier, pkce_code_verifier) rather than a
// bare Verifier, which other protocols use too.
func isQualifiedVerifierName(name string) bool {
	words := Words(name)
	return IsVerifierName(name) && (slices.Contains(words, "code") || slices.Contains(words, "pkce"))
}

// IsChallengeName reports whether an identifier names a PKCE code challenge
// (challenge, codeChallenge, CodeChallenge), not its method.
func IsChallengeName(name string) bool { return nameDenotes(name, "challenge") }

// IsStateName reports whether an identifier names an OAuth state value
// (state, oauthState, expectedState).
func IsStateName(name string) bool { return nameDenotes(name, "state") }

// IsChallengeMethodName reports whether a name is a list or field of code
// challenge methods (CodeChallengeMethodsSupported,
// code_challenge_methods_supported, allowedChallengeMethods).
func IsChallengeMethodName(name string) bool {
	words := Words(name)
	hasChallenge, hasMethod := false, false
	for _, w := range words {
		switch w {
		case "challenge":
			hasChallenge = true
		case "method", "methods":
			hasMethod = true
		}
	}
	return hasChallenge && hasMethod
}

// TagNames returns the names a struct tag gives a field (json, form, url,
// schema, query), so a field tagged `json:"code_verifier"` is recognised
// whatever its Go name.
func TagNames(tag string) []string {
	var names []string
	st := reflect.StructTag(tag)
	for _, key := range []string{"json", "form", "url", "schema", "query", "mapstructure"} {
		if v, ok := st.Lookup(key); ok {
			name, _, _ := strings.Cut(v, ",")
			if name != "" && name != "-" {
				names = append(names, name)
			}
		}
	}
	return names
}

// verifierMakerWord reports whether a word may stand beside "verifier" in
// the name of a function whose result is a fresh code verifier:
// GenerateCodeVerifier, NewVerifier, CodeVerifier, RandomPKCEVerifier.
func verifierMakerWord(w string) bool {
	switch w {
	case "generate", "gen", "new", "make", "create", "random", "rand", "secure", "code", "pkce":
		return true
	}
	return false
}

// IsVerifierMakerFunc is IsVerifierMaker for a declared function: a bare
// Verifier() must also say by its package or receiver that it is PKCE's
// (pkce.Verifier(), (*PKCEPair).Verifier()), for key types have one too
// (tailscale's tka key: NLPublic.Verifier() returns the ed25519 public
// key that verifies signatures).
func IsVerifierMakerFunc(fn *types.Func) bool {
	if fn == nil || !IsVerifierMaker(fn.Name()) {
		return false
	}
	if len(Words(fn.Name())) > 1 {
		return true // GenerateVerifier, NewCodeVerifier
	}
	context := ""
	if fn.Pkg() != nil {
		context = fn.Pkg().Name()
	}
	if recv := fn.Signature().Recv(); recv != nil {
		if named, ok := types.Unalias(deref(recv.Type())).(*types.Named); ok {
			context += "_" + named.Obj().Name()
		}
	}
	return slices.ContainsFunc(Words(context), func(w string) bool { return w == "pkce" || w == "code" || w == "oauth" || w == "oauth2" })
}

// IsVerifierMaker reports whether a function's name says that it makes code
// verifiers: "verifier" is the last word and every other word is a verb or
// qualifier of making one. NewIDTokenVerifier, VerifierFunc, uuidVerifier,
// LegacyVerifier and ValidVerifier are not: their other words say the
// result is something else, or that the name is about one kind of verifier
// a caller chooses to use.
func IsVerifierMaker(name string) bool {
	words := Words(name)
	if len(words) == 0 || words[len(words)-1] != "verifier" {
		return false
	}
	for _, w := range words[:len(words)-1] {
		if !verifierMakerWord(w) {
			return false
		}
	}
	return true
}
