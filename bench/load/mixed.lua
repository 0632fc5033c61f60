-- A day's traffic in one wrk run: searches, counts, detail pages, a company's contacts, filter values and writes, in
-- fixed proportions, over uuids sampled from the seeded data (BENCH_DIR/contacts.txt, companies.txt). Every answer
-- that is not 2xx counts as an error; the summary line is what docs/benchmarks.md records.
local function lines(path)
  local list = {}
  for line in io.lines(path) do list[#list + 1] = line end
  return list
end

local dir = os.getenv("BENCH_DIR")
local contacts = lines(dir .. "/contacts.txt")
local companies = lines(dir .. "/companies.txt")
local token = "Bearer " .. os.getenv("BENCH_TOKEN")
local tag = os.getenv("BENCH_TAG")
local json = { ["Authorization"] = token, ["Content-Type"] = "application/json" }
local bare = { ["Authorization"] = token }

local titles = { "engineer", "sales", "marketing", "analyst", "manager", "counsel", "support" }
local countries = { "usa", "uk", "france", "germany", "india", "canada", "japan" }
local seniorities = { "senior", "manager", "director", "entry", "vp" }
local filter_keys = { "seniority", "departments", "email_status", "country" }
local threads = {}
local counter = 0

local function pick(list) return list[math.random(#list)] end

-- name, share of requests (percent), and how to build one
local mix = {
  { "query", 30, function()
      return wrk.format("POST", "/api/v3/contacts/query", json, string.format(
        [[{"filters":{"and":[{"field":"title","operator":"contains","value":"%s"},{"field":"country","operator":"eq","value":"%s"}]},"limit":25}]],
        pick(titles), pick(countries)))
    end },
  { "count", 15, function()
      return wrk.format("POST", "/api/v3/contacts/count", json, string.format(
        [[{"filters":{"and":[{"field":"seniority","operator":"eq","value":"%s"}]}}]], pick(seniorities)))
    end },
  { "detail", 20, function()
      return wrk.format("GET", "/api/v3/contacts/" .. pick(contacts) .. "/", bare)
    end },
  { "company_contacts", 10, function()
      return wrk.format("GET", "/api/v3/companies/company/" .. pick(companies) .. "/contacts/?limit=25", bare)
    end },
  { "filter_values", 10, function()
      return wrk.format("POST", "/api/v3/contacts/filters/data", json, string.format(
        [[{"filter_key":"%s","limit":25}]], pick(filter_keys)))
    end },
  { "company_query", 10, function()
      return wrk.format("POST", "/api/v3/companies/query", json, string.format(
        [[{"filters":{"and":[{"field":"country","operator":"eq","value":"%s"}]},"limit":25}]], pick(countries)))
    end },
  { "write", 5, function()
      counter = counter + 1
      return wrk.format("POST", "/api/v3/contacts/", json, string.format(
        [[{"first_name":"Load%d","last_name":"%s","email":"load%d.%d@example.com","title":"Engineer","metadata":{"city":"lyon"}}]],
        counter, tag, thread_id, counter))
    end },
}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + thread_id * 7919)
  failures = {}
  -- wrk hands only strings and numbers between threads, so the tally travels as text.
  failure_text = ""
end

local last = nil

function request()
  local roll = math.random(100)
  for _, kind in ipairs(mix) do
    roll = roll - kind[2]
    if roll <= 0 then
      last = kind[1]
      return kind[3]()
    end
  end
end

function response(status, headers, body)
  if status >= 300 then
    local key = last .. ":" .. status
    failures[key] = (failures[key] or 0) + 1
    local parts = {}
    for name, count in pairs(failures) do parts[#parts + 1] = string.format("  failed %s x%d", name, count) end
    failure_text = table.concat(parts, "\n") .. "\n"
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("requests=%d errors=%d rps=%.1f p50=%.2fms p99=%.2fms max=%.2fms\n", summary.requests, errors,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  for _, thread in ipairs(threads) do io.write(thread:get("failure_text")) end
end
