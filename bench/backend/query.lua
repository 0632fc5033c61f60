-- POST /api/v3/contacts/query through the backend: a typical filtered first page with companies attached.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"filters":{"and":[{"field":"title","operator":"contains","value":"engineer"},
 {"field":"seniority","operator":"eq","value":"senior"}]},"limit":25}]]
