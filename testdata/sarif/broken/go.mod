module example.com/sarifbroken

go 1.26.0
