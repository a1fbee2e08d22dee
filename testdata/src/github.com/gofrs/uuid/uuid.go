// Package uuid is a test stub of github.com/gofrs/uuid.
package uuid

type UUID [16]byte

func NewV1() (UUID, error)        { return UUID{}, nil }
func NewV4() (UUID, error)        { return UUID{}, nil }
func Must(u UUID, err error) UUID { return u }
func (u UUID) String() string     { return "" }
