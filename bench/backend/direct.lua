-- The same query sent straight to the emulator: exactly the VQL the backend sends for query.lua
-- (tests/Connectra.Backend.FunctionalTests asserts that translation), with the same Accept-Encoding its HttpClient
-- sends, so both runs make the emulator do the same work.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept-Encoding"] = "gzip, deflate"
wrk.body = [[{"where":{"text_matches":{"must":[{"text_value":"engineer","filter_key":"title","search_type":"shuffle","operator":"and","fuzzy":false}]},
 "keyword_match":{"must":{"seniority":"senior"}}},
 "order_by":[{"order_by":"uuid","order_direction":"asc"}],"page":1,"limit":25,"company_config":{"populate":true}}]]
