module example.com/sarifsuppressed

go 1.26.0
