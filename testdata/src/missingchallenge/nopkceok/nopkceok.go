// Package nopkceok issues codes in one function and reads the challenge in
// another, which parses the authorization request: PKCE is there.
package nopkceok

import (
	"net/http"
	"net/url"
)

type authRequest struct {
	redirectURI, state, challenge string
}

func parse(req *http.Request) (*authRequest, bool) {
	ar := &authRequest{redirectURI: req.FormValue("redirect_uri"), state: req.FormValue("state"), challenge: req.FormValue("code_challenge")}
	return ar, ar.challenge != ""
}

func authorize(w http.ResponseWriter, req *http.Request, code string) {
	if req.FormValue("response_type") != "code" {
		http.Error(w, "unsupported_response_type", http.StatusBadRequest)
		return
	}
	ar, ok := parse(req)
	if !ok {
		http.Error(w, "code_challenge required", http.StatusBadRequest)
		return
	}
	http.Redirect(w, req, ar.redirectURI+"?state="+url.QueryEscape(ar.state)+"&code="+url.QueryEscape(code), http.StatusFound)
}
