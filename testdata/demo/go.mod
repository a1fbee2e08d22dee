module example.com/pkcedemo

go 1.26.0

require (
	example.com/authsdk v0.0.0
	github.com/google/uuid v1.6.0
	golang.org/x/oauth2 v0.37.0
)

replace example.com/authsdk => ./authsdk
