-- Requests per second and latency percentiles, one line per run (docs/benchmarks.md records them).
function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("requests=%d errors=%d rps=%.1f p50=%.2fms p95=%.2fms\n", summary.requests, errors,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
