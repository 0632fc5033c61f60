-- The issue's typical filter: fuzzy shuffle on title + keyword seniority + range on company_employees_count.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY")
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"where":{"text_matches":{"must":[{"text_value":"enginer","filter_key":"title","search_type":"shuffle","fuzzy":true}]},
 "keyword_match":{"must":{"seniority":"senior"}},
 "range_query":{"must":{"company_employees_count":{"gte":50,"lte":1000}}}},
 "order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":25}]]
