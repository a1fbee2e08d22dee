// Command agent runs the agent's loopback sign-in page together with the tiny authorization
// server, so the whole PKCE flow can be tried locally: open http://127.0.0.1:8085/login.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"example.com/pkcedemo/agent"
	"example.com/pkcedemo/authserver"
	"example.com/pkcedemo/internal/pkceutil"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8085", "loopback address to listen on")
	flag.Parse()
	base := "http://" + *addr

	as := authserver.New(base)
	a := agent.New(&oauth2.Config{
		ClientID:    "pkcedemo-agent",
		Endpoint:    oauth2.Endpoint{AuthURL: base + "/authorize", TokenURL: base + "/token", AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: base + "/callback",
		Scopes:      []string{"mcp:tools"},
	})
	name := "agent-" + pkceutil.RandomString(6) // ok: a display name, never a verifier or state
	a.OnToken = func(t *oauth2.Token) {
		log.Printf("%s: signed in, token expires %s", name, t.Expiry.Format(time.RFC3339))
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", a.Login)
	mux.HandleFunc("GET /callback", a.Callback)
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", as.Metadata)
	mux.HandleFunc("GET /authorize", as.Authorize)
	mux.HandleFunc("POST /token", as.Token)

	log.Printf("%s: open %s/login (consent page: %s)", name, base, agent.ConsentLink{Base: base}.AuthCodeURL("default")) // ok: not (*oauth2.Config).AuthCodeURL
	log.Fatal(http.ListenAndServe(*addr, mux))
}
