// Package fixturerecord tests code that stores a record of an
// authorization request; its tests build such records.
package fixturerecord

import "net/http"

// Get stands for a client call that sends a request.
func Get(url string) (*http.Response, error) { return http.Get(url) }
