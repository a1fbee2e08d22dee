package rules

import "strings"

// WithID returns a finding's message as every driver prints it: ending
// with the rule ID in parentheses, once,
//
//	state is the constant "xyz"; use crypto/rand.Text() (PKCE004)
//
// The ID is what a //pkcevet:ignore directive names, and go vet, go fix
// and golangci-lint print only the message. The analyzers' policy adds it
// to every finding they report, so that each driver shows the same text.
func WithID(msg, id string) string {
	if id == "" || strings.HasSuffix(msg, " ("+id+")") {
		return msg
	}
	return msg + " (" + id + ")"
}

// CutID splits a message that ends with " (ID)" of a rule into the text
// before it and the ID; ok is false when it ends with no rule's ID.
func CutID(msg string) (text, id string, ok bool) {
	if !strings.HasSuffix(msg, ")") {
		return msg, "", false
	}
	i := strings.LastIndex(msg, " (")
	if i < 0 {
		return msg, "", false
	}
	id = msg[i+2 : len(msg)-1]
	if r, found := Get(id); !found || r.ID != id {
		return msg, "", false
	}
	return msg[:i], id, true
}
