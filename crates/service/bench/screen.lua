-- wrk: POST /v1/screen, 10 products x 10 destinations = 100 fast-path decisions per request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"date":"2025-04-20","products":["nvidia-h20","nvidia-h100-sxm5-80gb","nvidia-h800-sxm5-80gb","nvidia-a100-sxm4-80gb","amd-mi300x","intel-gaudi3-hl325l","nvidia-gb200-superchip","nvidia-a800-sxm4-80gb","nvidia-l40s","nvidia-rtx-4090"],"destinations":["CN","HK","MO","MY","SG","AE","SA","IN","VN","DE"]}'
