package pkce

import (
	"go/types"
	"testing"
)

// TestIsVerifierMakerFunc: a bare Verifier() makes code verifiers only
// when its package or receiver says PKCE; tailscale's key types have a
// Verifier() that returns a public key (cmd/tailscale/cli printed one and
// was reported as a code verifier written to a log).
func TestIsVerifierMakerFunc(t *testing.T) {
	bytes := types.NewSlice(types.Typ[types.Byte])
	method := func(pkgPath, pkgName, recvName, name string) *types.Func {
		pkg := types.NewPackage(pkgPath, pkgName)
		var recv *types.Var
		if recvName != "" {
			named := types.NewNamed(types.NewTypeName(0, pkg, recvName, nil), types.NewStruct(nil, nil), nil)
			recv = types.NewParam(0, pkg, "k", named)
		}
		sig := types.NewSignatureType(recv, nil, nil, nil, types.NewTuple(types.NewParam(0, pkg, "", bytes)), false)
		return types.NewFunc(0, pkg, name, sig)
	}
	for _, tc := range []struct {
		fn   *types.Func
		want bool
	}{
		{method("tailscale.com/types/key", "key", "NLPublic", "Verifier"), false},
		{method("example.com/sig", "sig", "", "Verifier"), false},
		{method("example.com/auth/pkce", "pkce", "", "Verifier"), true},
		{method("example.com/login", "login", "PKCEPair", "Verifier"), true},
		{method("example.com/login", "login", "", "GenerateVerifier"), true},
		{method("example.com/login", "login", "", "NewCodeVerifier"), true},
		{method("example.com/login", "login", "", "VerifierFunc"), false},
	} {
		if got := IsVerifierMakerFunc(tc.fn); got != tc.want {
			t.Errorf("IsVerifierMakerFunc(%s) = %v, want %v", tc.fn.FullName(), got, tc.want)
		}
	}
}
