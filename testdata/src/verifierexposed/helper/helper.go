// Package helper has logging and response helpers that write whatever
// they are given: harmless on their own, so nothing is reported here.
package helper

import (
	"encoding/json"
	"log"
	"net/http"
)

// Debugf logs a formatted line.
func Debugf(format string, args ...any) { log.Printf(format, args...) }

// WriteJSON writes v as the response body.
func WriteJSON(w http.ResponseWriter, v any) { _ = json.NewEncoder(w).Encode(v) }
