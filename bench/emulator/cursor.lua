-- A cursor page of 100 over everything, ordered by uuid, starting at a different place each request.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local hex = "0123456789abcdef"
local counter = 0
request = function()
  counter = counter + 1
  local i = (counter * 7) % 16 + 1
  local j = (counter * 11) % 16 + 1
  local cursor = hex:sub(i, i) .. hex:sub(j, j)
  return wrk.format("POST", "/contacts/", {["X-API-Key"] = os.getenv("BENCH_KEY"), ["Content-Type"] = "application/json"},
    '{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":100,"cursor":["' .. cursor .. '"]}')
end
