// Package codereplaystrict is run with -codereplay.strict: a lookup
// through a store interface implemented elsewhere is reported too.
package codereplaystrict

import (
	"context"
	"encoding/json"
	"net/http"
)

type Grant struct{ Challenge string }

type Storage interface {
	LoadAuthorizeCode(ctx context.Context, code string) (*Grant, error)
}

type Provider struct{ storage Storage }

func (p *Provider) Token(w http.ResponseWriter, r *http.Request) {
	g, err := p.storage.LoadAuthorizeCode(r.Context(), r.FormValue("code")) // want `never deleted or marked used`
	if err != nil {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"access_token": g.Challenge, "grant_type": r.FormValue("grant_type")})
}
