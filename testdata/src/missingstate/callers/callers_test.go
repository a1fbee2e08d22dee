package callers

import (
	"net/http/httptest"
	"testing"
)

// A test calls the connector's helper with no state: it says nothing of
// how the server calls it.
func TestHandleCallback(t *testing.T) {
	c := &Connector{cfg: cfg}
	t.Run("code", func(t *testing.T) {
		r := httptest.NewRequest("GET", "/callback?code=abc", nil)
		tok, err := c.HandleCallback(verifier, r)
		t.Log(tok, err)
	})
}

var verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
