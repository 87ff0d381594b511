-- wrk: POST /v1/screen, the whole catalog x every country but the US on one date, in one
-- request (about 14,000 fast-path decisions per request, written as they are decided).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"date":"2025-04-20"}'
