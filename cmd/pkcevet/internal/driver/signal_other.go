//go:build !linux

package driver

// childGroups finds nothing where there is no /proc to read: the go
// commands' groups are signalled by go/packages alone.
func childGroups([]process) []int { return nil }

// processes lists nothing where there is no /proc.
func processes() []process { return nil }

// process stands for a process of /proc/PID/stat.
type process struct{}

// awaitGroups has no groups to wait for.
func awaitGroups([]int, <-chan struct{}) {}

// goActivity cannot tell what the go command does without /proc.
func goActivity() string { return "" }
