// Package uuid is a test stub of github.com/google/uuid.
package uuid

type UUID [16]byte

func New() UUID                      { return UUID{} }
func NewString() string              { return "" }
func NewRandom() (UUID, error)       { return UUID{}, nil }
func NewUUID() (UUID, error)         { return UUID{}, nil }
func NewV7() (UUID, error)           { return UUID{}, nil }
func Must(uuid UUID, err error) UUID { return uuid }
func (uuid UUID) String() string     { return "" }
