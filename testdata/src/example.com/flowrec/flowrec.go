// Package flowrec keeps what an authorization server remembers of a login
// flow, as hydra's flow.Flow does.
package flowrec

// Flow is a login flow's record: the authorization request as it arrived.
type Flow struct {
	RequestURL string
	SessionID  string
}

// Encode stands for the code under test.
func Encode(f Flow) string { return f.RequestURL + "#" + f.SessionID }
