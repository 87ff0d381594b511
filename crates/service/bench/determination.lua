-- wrk: POST /v1/determinations, H20 -> CN on 2025-04-20 (each request recorded before it is answered).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"product":"nvidia-h20","destination":"CN","date":"2025-04-20"}'
