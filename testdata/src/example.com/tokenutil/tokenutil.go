// Package tokenutil sends forms it is given, and adds nothing to them: its
// call summary says so, and a form handed to it stays complete.
package tokenutil

import (
	"net/http"
	"net/url"
)

// Post sends form to endpoint.
func Post(endpoint string, form url.Values) (*http.Response, error) {
	return http.PostForm(endpoint, form)
}

// Sign adds a signature parameter: a form handed to it is not complete.
func Sign(form url.Values, key string) {
	form.Set("sig", key)
}
