// Package bad does not type-check: pkcevet reports it as a failure (exit
// status 2, a toolExecutionNotification in SARIF) and still scans good.
package bad

// Verifier returns a number where a string is due.
func Verifier() string {
	return 42
}
