-- Walks an export stream the way the export does: each page's last cursor is the next page's cursor. Every
-- BENCH_WALK_PAGES pages (or at the end of the range) it starts again from BENCH_CURSOR, so all pages measured lie
-- at about the same place in the walk. The body is the captured page with its cursor replaced (BENCH_BODY_FILE).
local file = assert(io.open(os.getenv("BENCH_BODY_FILE")))
local template = file:read("*a")
file:close()
local start = os.getenv("BENCH_CURSOR")
local walk = tonumber(os.getenv("BENCH_WALK_PAGES") or "20")
local cursor = start
local pages = 0
local headers = {["X-API-Key"] = os.getenv("BENCH_KEY"), ["Content-Type"] = "application/json"}

request = function()
  local body = template:gsub("__CURSOR__", cursor, 1)
  return wrk.format("POST", "/contacts/", headers, body)
end

response = function(status, _, body)
  if status ~= 200 then
    error("status " .. status .. ": " .. body)
  end
  local last
  for value in body:gmatch('"cursor":%["([^"]*)"%]') do
    last = value
  end
  pages = pages + 1
  if last == nil or pages >= walk then
    cursor, pages = start, 0
  else
    cursor = last
  end
end

function done(summary, latency, _)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("requests=%d errors=%d p50=%.2fms p95=%.2fms p99=%.2fms\n",
    summary.requests, errors, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
