module example.com/sarifclean

go 1.26.0
