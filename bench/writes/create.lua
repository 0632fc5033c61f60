-- POST /api/v3/contacts/: a new contact per request, each with its own name, all sharing one last name so the run can
-- be counted afterwards through the read API.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  created = 0
  refused = 0
end

-- BENCH_RATE (creates/s over all connections) paces each connection; unset, every connection goes flat out.
local rate = tonumber(os.getenv("BENCH_RATE") or "")
local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "1")
if rate then
  function delay()
    return 1000 * connections / rate
  end
end

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"

function request()
  counter = counter + 1
  local body = string.format(
    [[{"first_name":"Bench%d","last_name":"%s","email":"bench%d.%d@example.com","title":"Engineer","seniority":"senior","departments":["engineering"],"metadata":{"city":"lyon","country":"france"}}]],
    counter, os.getenv("BENCH_TAG"), thread_id, counter)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
  local created_total, refused_total = 0, 0
  for _, thread in ipairs(threads) do
    created_total = created_total + thread:get("created")
    refused_total = refused_total + thread:get("refused")
  end
  io.write(string.format("requests=%d created=%d refused=%d rps=%.1f p50=%.2fms p95=%.2fms p99=%.2fms\n",
    summary.requests, created_total, refused_total, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
