module go-warmup

go 1.27
