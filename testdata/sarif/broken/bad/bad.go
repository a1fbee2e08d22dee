// Package bad does not type-check: pkcevet reports it as a failure (exit
// status 2, a toolExecutionNotification in SARIF) and still scans good.
// Its name for a code verifier makes it relevant, so it is type-checked:
// a package with no mark of OAuth code is only parsed (README).
package bad

// CodeVerifier returns a number where a string is due.
func CodeVerifier() string {
	return 42
}
