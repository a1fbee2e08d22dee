package pkce

// Release drops everything the flow holds but its package and file set:
// the SSA form of the package, the evaluator, the sinks and the calls. A
// driver calls it once every analyzer that reads the flow has run on the
// package (the pkcevet driver's guard does): the checker keeps each
// result until the whole run ends, and the SSA forms of all the packages
// of a large scan, alive at once, were most of pkcevet's heap. Nothing may
// use the flow afterwards.
func (f *Flow) Release() {
	*f = Flow{Fset: f.Fset, Pkg: f.Pkg}
}
