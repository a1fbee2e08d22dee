// Package stores keeps codes behind store types: an interface implemented
// in the package, one implemented elsewhere, and SQL.
package stores

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"time"
)

type Grant struct {
	Challenge string
	ExpiresAt time.Time
}

func (g *Grant) Expired() bool { return time.Now().After(g.ExpiresAt) }

// CodeStore is implemented below, in this package.
type CodeStore interface {
	GetCode(ctx context.Context, code string) (*Grant, error)
	DeleteCode(ctx context.Context, code string) error
}

type memStore struct{ m map[string]*Grant }

func (s *memStore) GetCode(_ context.Context, code string) (*Grant, error) { return s.m[code], nil }
func (s *memStore) DeleteCode(_ context.Context, code string) error        { delete(s.m, code); return nil }

type Handler struct{ store CodeStore }

func (h *Handler) Token(w http.ResponseWriter, r *http.Request) {
	g, err := h.store.GetCode(r.Context(), r.FormValue("code")) // want `never deleted or marked used`
	if err != nil || g.Expired() {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t", "grant_type": r.FormValue("grant_type")})
}

func (h *Handler) TokenOK(w http.ResponseWriter, r *http.Request) {
	code := r.FormValue("code")
	g, err := h.store.GetCode(r.Context(), code)
	if err != nil || g.Expired() {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	if err := h.store.DeleteCode(r.Context(), code); err != nil {
		http.Error(w, "server_error", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t", "grant_type": r.FormValue("grant_type")})
}

// Storage is implemented outside this package (a library's interface):
// its implementation owns the code's lifecycle.
type Storage interface {
	LoadAuthorizeCode(ctx context.Context, code string) (*Grant, error)
}

type Provider struct{ storage Storage }

func (p *Provider) Token(w http.ResponseWriter, r *http.Request) {
	g, err := p.storage.LoadAuthorizeCode(r.Context(), r.FormValue("code"))
	if err != nil || g.Expired() {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t", "grant_type": r.FormValue("grant_type")})
}

// SQL: a DELETE after the lookup spends the code.
type DB struct{ db *sql.DB }

func (d *DB) Token(w http.ResponseWriter, r *http.Request) {
	code := r.FormValue("code")
	var challenge string
	var expires time.Time
	if err := d.db.QueryRow("SELECT challenge, expires FROM codes WHERE code = $1", code).Scan(&challenge, &expires); err != nil || time.Now().After(expires) {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	d.db.Exec("DELETE FROM codes WHERE code = $1", code)
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t", "grant_type": r.FormValue("grant_type")})
}

func (d *DB) TokenReplay(w http.ResponseWriter, r *http.Request) {
	code := r.FormValue("code")
	var challenge string
	if err := d.db.QueryRow("SELECT challenge FROM codes WHERE code = $1", code).Scan(&challenge); err != nil { // want `never deleted or marked used`
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t", "grant_type": r.FormValue("grant_type")})
}
