-- Shared by the wrk scripts: prints the latency percentiles docs/benchmarks.md records, in milliseconds.
function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("requests=%d errors=%d p50=%.2fms p95=%.2fms p99=%.2fms\n",
    summary.requests, errors, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
