package a

import "math/big"

func bigInt(n int) *big.Int { return big.NewInt(int64(n)) }
