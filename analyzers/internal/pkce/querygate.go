package pkce

import (
	"go/constant"
	"go/types"
)

// mayHoldQuery reports whether some constant string of the package
// mentions a parameter of queryParams(). Every text queryTexts builds is
// joined from the values of constant expressions of the package (each
// recorded in info.Types), and a parameter it mentions, "name=", lies
// within one of them, so without such a constant the walk of the files
// finds nothing and is skipped. Reading the recorded constants costs much
// less than the walk.
func mayHoldQuery(info *types.Info) bool {
	names := queryParams()
	for _, tv := range info.Types {
		if tv.Value != nil && tv.Value.Kind() == constant.String && mentionsAny(constant.StringVal(tv.Value), names) {
			return true
		}
	}
	return false
}
