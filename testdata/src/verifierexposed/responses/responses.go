// Package responses writes verifiers to HTTP responses.
package responses

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

func callback(w http.ResponseWriter, r *http.Request) {
	verifier := r.Context().Value("v").(string)
	tok, err := conf.Exchange(r.Context(), r.FormValue("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		http.Error(w, "exchange failed for verifier "+verifier, http.StatusBadGateway) // want `code verifier, made into text by string concatenation, written to an HTTP response by http.Error`
		return
	}
	_ = tok
	_, _ = w.Write([]byte(verifier))            // want `code verifier written to an HTTP response by Write on the http.ResponseWriter`
	fmt.Fprintf(w, "verifier: %s", verifier)    // want `code verifier written to an HTTP response by fmt.Fprintf to the http.ResponseWriter`
	_, _ = io.WriteString(w, verifier)          // want `code verifier written to an HTTP response by io.WriteString`
	w.Header().Set("X-PKCE-Verifier", verifier) // want `code verifier written to an HTTP response by a header of the HTTP response`
}

type debugResponse struct {
	State    string `json:"state"`
	Verifier string `json:"verifier"`
}

func debugHandler(w http.ResponseWriter, r *http.Request) {
	v := oauth2.GenerateVerifier()
	_ = json.NewEncoder(w).Encode(map[string]string{"verifier": v}) // want `code verifier written to an HTTP response by a JSON encoder on the http.ResponseWriter`
	resp := &debugResponse{State: "s", Verifier: v}
	_ = json.NewEncoder(w).Encode(resp) // want `code verifier written to an HTTP response by a JSON encoder`
	http.Redirect(w, r, conf.AuthCodeURL("state", oauth2.S256ChallengeOption(v)), http.StatusFound)
}

var page = template.Must(template.New("p").Parse("{{.}}"))

func showPage(w http.ResponseWriter, r *http.Request) {
	v := oauth2.GenerateVerifier()
	_ = page.Execute(w, map[string]string{"Verifier": v}) // want `written to an HTTP response by a template executed on the http.ResponseWriter`
	http.Redirect(w, r, conf.AuthCodeURL("state", oauth2.S256ChallengeOption(v)), http.StatusFound)
}
