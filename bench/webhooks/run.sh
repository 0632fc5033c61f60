#!/usr/bin/env bash
# Webhook delivery under sustained writes (docs/benchmarks.md#webhooks):
#  - a local receiver (receiver.py) subscribed to contact.created over http on loopback (the test-only settings
#    Webhooks:AllowHttp and Webhooks:AllowLoopbackForTesting; never in a deployment);
#  - wrk creates contacts at RATE/s for SECONDS (bench/writes/create.lua);
#  - every second, the delivery backlog: events committed but not yet in a delivered request;
#  - afterwards: per-event latency from commit (occurred_at) to arrival at the receiver, p50/p99/max, and the count
#    of distinct events received against the contacts created.
#
#   bench/webhooks/run.sh [SECONDS] [RATE] [CONNECTIONS]    defaults: 60 500 16
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-60}
rate=${2:-500}
connections=${3:-16}
export BENCH_CONNECTIONS=$connections BENCH_RATE=$rate
export Webhooks__AllowHttp=true Webhooks__AllowLoopbackForTesting=true Webhooks__PollInterval=00:00:00.100

# shellcheck source=../stack.sh
source "$here/../stack.sh"
bench_stack_start 1000 10000
BENCH_TOKEN=$(cd "$BENCH_WORK/api" && dotnet Connectra.Backend.Api.dll dev-token --role writer)
export BENCH_TOKEN BENCH_TAG="benchh$RANDOM"
base=$BENCH_BASE

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bench_background python3 "$here/receiver.py" "$port" "$BENCH_WORK/received.log"
sleep 1
curl -sf -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$port/hook\",\"event_types\":[\"contact.created\"]}" "$base/api/v3/webhooks" >/dev/null

backlog() {
  psql_backend -c "SELECT (SELECT coalesce(max(sequence), 0) FROM change_events)
    - coalesce((SELECT max(last_sequence) FROM webhook_deliveries WHERE status = 'delivered'), 0)"
}

echo "## warm-up: 10 s at $rate/s"
BENCH_TAG="warmup$RANDOM" wrk -t2 -c"$connections" -d10s -s "$here/../writes/create.lua" "$base/api/v3/contacts/" | tail -n 1
while [ "$(backlog)" -gt 0 ]; do sleep 0.2; done
: >"$BENCH_WORK/received.log"
bench_every 1 "$BENCH_WORK/backlog.log" backlog
echo "## wrk -t2 -c$connections -d${seconds}s at $rate creates/s"
cpu_before=("$(bench_cpu_ticks "$BENCH_BACKEND_PID")" "$(bench_postgres_ticks)" "$(bench_cpu_ticks "$BENCH_EMULATOR_PID")")
result=$(wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/../writes/create.lua" "$base/api/v3/contacts/" | tail -n 1)
echo "$result"
started=$(date +%s.%N)
while [ "$(backlog)" -gt 0 ]; do sleep 0.1; done
printf 'every event delivered %.1f s after the last write\n' "$(echo "$(date +%s.%N) - $started" | bc)"
cpu_after=("$(bench_cpu_ticks "$BENCH_BACKEND_PID")" "$(bench_postgres_ticks)" "$(bench_cpu_ticks "$BENCH_EMULATOR_PID")")
sleep 1
awk '{ n++; if (n <= 5) first += $2; v[n] = $2; if ($2 > max) max = $2 } END {
  printf "backlog (events not yet delivered), sampled each second: first 5 s mean %.0f, max %d, last %d\n", first / (n < 5 ? n : 5), max, v[n] }' \
  "$BENCH_WORK/backlog.log"
created=$(echo "$result" | sed -E 's/.*created=([0-9]+).*/\1/')
sort -k3,3 -u "$BENCH_WORK/received.log" | awk '{ print $2 }' | sort -n >"$BENCH_WORK/latency.txt"
received=$(wc -l <"$BENCH_WORK/latency.txt")
awk -v n="$received" '{ v[NR] = $1 } END {
  printf "commit to receiver, %d events: p50 %.0f ms, p99 %.0f ms, max %.0f ms\n", n, 1000 * v[int(n * 0.5) + 1], 1000 * v[int(n * 0.99) + 1], 1000 * v[n] }' \
  "$BENCH_WORK/latency.txt"
echo "created $created contacts (wrk's 201s), distinct events received: $received"
# What a create costs, delivery to Connectra and to the receiver included (from the run's start until all was delivered).
per_create() { echo "scale=2; ($2 - $1) * 1000 / $(getconf CLK_TCK) / $created" | bc; }
echo "CPU per create: backend $(per_create "${cpu_before[0]}" "${cpu_after[0]}") ms, PostgreSQL $(per_create "${cpu_before[1]}" "${cpu_after[1]}") ms," \
  "emulator $(per_create "${cpu_before[2]}" "${cpu_after[2]}") ms"
[ "$received" -ge "$created" ] || { echo "EVENTS MISSING: $created created, $received received" >&2; exit 1; }
