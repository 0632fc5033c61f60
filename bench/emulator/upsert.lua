-- Batch upserts of 100 new contacts each, on companies that exist (BENCH_COMPANY), so company copies are looked up.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local counter = 0
request = function()
  counter = counter + 1
  local rows = {}
  for i = 1, 100 do
    local id = string.format("bench-%08d-%03d", counter, i)
    rows[i] = '{"uuid":"' .. id .. '","first_name":"bench","last_name":"user' .. i .. '","title":"Senior Software Engineer",' ..
      '"seniority":"senior","departments":["engineering"],"email":"' .. id .. '@example.com","country":"usa",' ..
      '"company_id":"' .. os.getenv("BENCH_COMPANY") .. '"}'
  end
  return wrk.format("POST", "/contacts/batch-upsert", {["X-API-Key"] = os.getenv("BENCH_KEY"), ["Content-Type"] = "application/json"},
    "[" .. table.concat(rows, ",") .. "]")
end
