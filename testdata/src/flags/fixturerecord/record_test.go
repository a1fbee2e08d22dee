package fixturerecord

import (
	"net/http"
	"testing"

	"example.com/flowrec"
)

// A record of a request the server once received, for an encoding test:
// no request is built here.
func TestEncodeRecord(t *testing.T) {
	f := flowrec.Flow{
		RequestURL: "https://auth.example.org/oauth2/auth?client_id=c&response_type=code&redirect_uri=https%3A%2F%2Fapp.example.org%2Fcb&state=some-state",
		SessionID:  "s",
	}
	if flowrec.Encode(f) == "" {
		t.Fatal("empty")
	}
}

// Look-alikes that are requests: a table of cases the test sends, and a
// URL passed to a call.
func TestSendsRequests(t *testing.T) {
	for _, tc := range []struct{ url string }{
		{url: "https://auth.example.org/oauth2/auth?client_id=c&response_type=code&state=s1"}, // want `authorization URL with response_type=code has no code_challenge`
	} {
		if _, err := Get(tc.url); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := http.Get("https://auth.example.org/oauth2/auth?client_id=c&response_type=code&state=s2"); err != nil { // want `authorization URL with response_type=code has no code_challenge`
		t.Fatal(err)
	}
	req := http.Request{Method: "GET"}
	_ = req
}
