// Package a holds authorization endpoints that check redirect_uri well and
// badly (issue 19, PKCE009).
package a

import (
	"html/template"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
)

type client struct {
	redirects []string
	prefix    string
}

type Server struct {
	clients   map[string]client
	redirects map[string]string
	allowed   map[string]bool
}

func (s *Server) issue(w http.ResponseWriter, r *http.Request, redirect string) {
	http.Redirect(w, r, redirect+"?code=c&state="+r.URL.Query().Get("state"), http.StatusFound)
}

// The issue's example: a prefix match.
func (s *Server) AuthorizePrefix(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	if !strings.HasPrefix(redirect, s.redirects[q.Get("client_id")]) { // want `redirect_uri is matched with strings.HasPrefix`
		http.Error(w, "invalid_request", 400)
		return
	}
	http.Redirect(w, r, redirect+"?code=c", http.StatusFound)
}

func (s *Server) AuthorizeRegexp(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri")
	c := s.clients[r.FormValue("client_id")]
	if ok, _ := regexp.MatchString(c.prefix+".*", redirect); !ok { // want `redirect_uri is matched with a regular expression`
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}

func (s *Server) AuthorizeGlob(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri")
	c := s.clients[r.FormValue("client_id")]
	if ok, _ := path.Match(c.prefix, redirect); !ok { // want `redirect_uri is matched with path.Match \(a glob\)`
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}

func (s *Server) AuthorizeHost(w http.ResponseWriter, r *http.Request) {
	raw := r.FormValue("redirect_uri")
	u, err := url.Parse(raw)
	if err != nil {
		http.Error(w, "invalid_request", 400)
		return
	}
	reg, _ := url.Parse(s.redirects[r.FormValue("client_id")])
	if u.Host != reg.Host { // want `redirect_uri is matched with its host only \(u.Host\)`
		http.Error(w, "invalid_request", 400)
		return
	}
	http.Redirect(w, r, raw+"?code=c", http.StatusFound)
}

// Never compared.
func (s *Server) AuthorizeUnchecked(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("response_type") != "code" {
		http.Error(w, "unsupported_response_type", 400)
		return
	}
	redirect := r.FormValue("redirect_uri") // want `redirect_uri from the request is never compared`
	http.Redirect(w, r, redirect+"?code=c", http.StatusFound)
}

// Correct: exact comparisons of every kind.

func (s *Server) AuthorizeEqual(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri")
	if redirect != s.redirects[r.FormValue("client_id")] {
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}

func (s *Server) AuthorizeSlices(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri")
	if !slices.Contains(s.clients[r.FormValue("client_id")].redirects, redirect) {
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}

func (s *Server) AuthorizeSet(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri")
	if r.FormValue("client_id") == "" || !s.allowed[redirect] {
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}

func (s *Server) AuthorizeLoop(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri")
	ok := false
	for _, u := range s.clients[r.FormValue("client_id")].redirects {
		if u == redirect {
			ok = true
		}
	}
	if !ok {
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}

// Through a helper of the package, which compares exactly...
func (s *Server) validRedirect(clientID, uri string) bool {
	return slices.Contains(s.clients[clientID].redirects, uri)
}

func (s *Server) AuthorizeHelper(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri")
	if !s.validRedirect(r.FormValue("client_id"), redirect) {
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}

// ...or loosely.
func (s *Server) sameSite(clientID, uri string) bool {
	return strings.HasPrefix(uri, s.clients[clientID].prefix) // want `redirect_uri is matched with strings.HasPrefix`
}

func (s *Server) AuthorizeLooseHelper(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri")
	if !s.sameSite(r.FormValue("client_id"), redirect) {
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}

// A library's validator does the matching: its business.
type Storage interface {
	ValidRedirect(clientID, uri string) error
}

func AuthorizeStorage(st Storage) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		redirect := r.FormValue("redirect_uri")
		if err := st.ValidRedirect(r.FormValue("client_id"), redirect); err != nil {
			http.Error(w, "invalid_request", 400)
			return
		}
		http.Redirect(w, r, redirect+"?code=c", http.StatusFound)
	}
}

// RFC 8252 §7.3: a loopback redirect compared on everything but the port.
func (s *Server) AuthorizeLoopback(w http.ResponseWriter, r *http.Request) {
	raw := r.FormValue("redirect_uri")
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != "/callback" || r.FormValue("client_id") == "" {
		http.Error(w, "invalid_request", 400)
		return
	}
	http.Redirect(w, r, u.String()+"?code=c", http.StatusFound)
}

// A router registers the handlers; the endpoints are judged the same.
func Routes(s *Server) http.Handler {
	mux := chi.NewRouter()
	mux.Get("/authorize", s.AuthorizeEqual)
	mux.Get("/authorize-unchecked", func(w http.ResponseWriter, r *http.Request) {
		redirect := r.URL.Query().Get("redirect_uri") // want `redirect_uri from the request is never compared`
		_ = r.URL.Query().Get("client_id")
		http.Redirect(w, r, redirect+"?code=c", http.StatusFound)
	})
	return mux
}

// A client sets its own redirect URI; it redirects elsewhere.
func ClientLogin(w http.ResponseWriter, r *http.Request) {
	v := url.Values{"client_id": {"id"}, "redirect_uri": {"http://127.0.0.1/cb"}, "response_type": {"code"}}
	http.Redirect(w, r, "https://as.example/authorize?"+v.Encode(), http.StatusFound)
}

var page = template.Must(template.New("consent").Parse(`<a href="{{.}}">continue</a>`))

// A template uses the URI and returns an error: it checks nothing (the
// cap test provider's login page shape).
func (s *Server) AuthorizeTemplate(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri") // want `redirect_uri from the request is never compared`
	if r.FormValue("client_id") == "" {
		_ = page.Execute(w, redirect)
		return
	}
	http.Redirect(w, r, redirect+"?code=c", http.StatusFound)
}

// tsidp's shape: registered clients compare the URI exactly, the
// localhost and node branches compare nothing, and all of them fall
// through to one redirect, to a URI rebuilt from the parsed one.
func (s *Server) AuthorizeBranches(w http.ResponseWriter, r *http.Request) {
	uq := r.URL.Query()
	redirectURI := uq.Get("redirect_uri")
	clientID := uq.Get("client_id")
	if r.URL.Path == "/authorize/funnel" {
		if redirectURI != s.redirects[clientID] {
			http.Error(w, "redirect_uri mismatch", 400)
			return
		}
	} else if r.URL.Path == "/authorize/localhost" {
		clientID = "local"
	} else {
		if strings.TrimPrefix(r.URL.Path, "/authorize/") == "" {
			http.Error(w, "bad node", 400)
			return
		}
	}
	q := make(url.Values)
	q.Set("code", "c")
	parsedURL, err := url.Parse(redirectURI)
	if err != nil {
		http.Error(w, "invalid redirect URI", 500)
		return
	}
	parsedURL.RawQuery = q.Encode()
	u := parsedURL.String()
	http.Redirect(w, r, u, http.StatusFound) // want `on a path where it is not compared`
}

// The strict mode compares and redirects in its own branch; the other
// mode compares nothing before its redirect.
func (s *Server) AuthorizeModes(w http.ResponseWriter, r *http.Request, strict bool) {
	redirectURI := r.FormValue("redirect_uri")
	clientID := r.FormValue("client_id")
	if strict {
		if redirectURI != s.redirects[clientID] {
			http.Error(w, "redirect_uri mismatch", 400)
			return
		}
		target := redirectURI + "?code=c"
		http.Redirect(w, r, target, http.StatusFound)
		return
	}
	s.issue(w, r, redirectURI) // want `on a path where it is not compared`
}

// An error sent to the URI before it is compared.
func (s *Server) AuthorizeEarlyError(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri")
	if r.FormValue("response_type") != "code" {
		http.Redirect(w, r, redirect+"?error=unsupported_response_type", http.StatusFound) // want `on a path where it is not compared`
		return
	}
	if !slices.Contains(s.clients[r.FormValue("client_id")].redirects, redirect) {
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}

// Correct: every branch compares (or refuses) before the one redirect.
func (s *Server) AuthorizeEveryBranch(w http.ResponseWriter, r *http.Request, strict bool) {
	redirectURI := r.FormValue("redirect_uri")
	clientID := r.FormValue("client_id")
	if strict {
		if redirectURI != s.redirects[clientID] {
			http.Error(w, "redirect_uri mismatch", 400)
			return
		}
	} else if !slices.Contains(s.clients[clientID].redirects, redirectURI) {
		http.Error(w, "redirect_uri mismatch", 400)
		return
	}
	u, _ := url.Parse(redirectURI)
	u.RawQuery = "code=c"
	target := u.String()
	http.Redirect(w, r, target, http.StatusFound)
}

func (s *Server) AuthorizeSwitch(w http.ResponseWriter, r *http.Request) {
	redirectURI := r.FormValue("redirect_uri")
	switch r.FormValue("client_type") {
	case "public":
		if !s.allowed[redirectURI] {
			http.Error(w, "redirect_uri mismatch", 400)
			return
		}
	case "confidential":
		if redirectURI != s.redirects[r.FormValue("client_id")] {
			http.Error(w, "redirect_uri mismatch", 400)
			return
		}
	default:
		http.Error(w, "unknown client type", 400)
		return
	}
	s.issue(w, r, redirectURI)
}

// A redirect in a helper that compares first.
func (s *Server) compareAndIssue(w http.ResponseWriter, r *http.Request, uri string) {
	if !s.allowed[uri] {
		http.Error(w, "invalid_request", 400)
		return
	}
	http.Redirect(w, r, uri+"?code=c", http.StatusFound)
}

func (s *Server) AuthorizeCompareInHelper(w http.ResponseWriter, r *http.Request) {
	_ = r.FormValue("client_id")
	s.compareAndIssue(w, r, r.FormValue("redirect_uri"))
}

// Correct: with no redirect_uri the client's registered one is used; a
// sent one is compared.
func (s *Server) AuthorizeDefault(w http.ResponseWriter, r *http.Request) {
	c := s.clients[r.FormValue("client_id")]
	redirect := r.FormValue("redirect_uri")
	if redirect == "" {
		redirect = c.redirects[0]
	} else if !slices.Contains(c.redirects, redirect) {
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}

// The default is taken, but a sent URI is compared only in strict mode.
func (s *Server) AuthorizeDefaultLax(w http.ResponseWriter, r *http.Request, strict bool) {
	c := s.clients[r.FormValue("client_id")]
	redirect := r.FormValue("redirect_uri")
	if redirect == "" {
		redirect = c.redirects[0]
	} else if strict {
		if !slices.Contains(c.redirects, redirect) {
			http.Error(w, "invalid_request", 400)
			return
		}
	}
	s.issue(w, r, redirect) // want `on a path where it is not compared`
}

// Correct: the comparison is a case of a tagless switch whose other
// case refuses.
func (s *Server) AuthorizeCaseCompare(w http.ResponseWriter, r *http.Request) {
	redirect := r.FormValue("redirect_uri")
	switch {
	case slices.Contains(s.clients[r.FormValue("client_id")].redirects, redirect):
	default:
		http.Error(w, "invalid_request", 400)
		return
	}
	s.issue(w, r, redirect)
}
