// Package flowreuse defines an Analyzer that reports a code verifier or a
// state made once and sent with more than one authorization request.
//
// # Analyzer flowreuse
//
// flowreuse: verifier or state reused across flows (PKCE008)
//
// A verifier, and a state, must be fresh for every authorization attempt
// (RFC 7636 §4.1, RFC 9700 §2.1.1). The analyzer asks the engine how long
// the value sent in an authorization request lives (pkce.Flow.LifetimeOf)
// and reports it at the request, naming where it was made, when it was
// made:
//
//   - in a function that registers an HTTP handler (a closure that takes
//     an *http.Request, or a gin, echo or fiber context), and the handler
//     sends it: every login the process serves reuses it;
//   - before a loop whose body sends it;
//   - in a constructor of a long-lived struct, when the method that sends
//     the field does not set it anew, the struct is never built per
//     request or loop iteration, and the method serves requests itself or
//     takes each login's state from its caller and reuses the verifier.
//
// A value made per request, in the handler or in a per-flow object built
// per login, a value kept in a session or store keyed by the flow's state,
// a value passed in by the caller, and a CLI's main that runs one flow
// are not reported. A process-wide state is reported here, not under
// PKCE004.
//
// The full rule text, with examples, is rules/PKCE008.md.
package flowreuse
