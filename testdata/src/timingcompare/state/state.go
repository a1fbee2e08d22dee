package state

import "net/http"

func check(r *http.Request, savedState string) bool {
	return r.FormValue("state") == savedState // want `state compared with ==`
}
