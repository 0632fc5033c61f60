#!/usr/bin/env bash
# Sustained contact creates through the API with the outbox delivering them to the emulator (docs/benchmarks.md):
#  - wrk drives POST /api/v3/contacts/ for SECONDS at CONNECTIONS;
#  - /health/outbox is sampled every second: the largest oldest_pending_age_seconds is the worst lag between a
#    write and its visibility;
#  - after the run, the time until the outbox is empty, and the count of created contacts read back through
#    POST /api/v3/contacts/count (it must equal wrk's 201s).
#
#   bench/writes/run.sh [SECONDS] [CONNECTIONS] [CONTACTS] [RATE]    defaults: 30 16 100000 (seeded before the run),
#                                                                    no rate (flat out); RATE paces wrk to about
#                                                                    that many creates/s (each connection waits
#                                                                    CONNECTIONS/RATE s between its requests)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-30}
connections=${2:-16}
contacts=${3:-100000}
export BENCH_CONNECTIONS=$connections
[ -n "${4:-}" ] && export BENCH_RATE=$4

# shellcheck source=../stack.sh
source "$here/../stack.sh"
bench_stack_start $((contacts / 10)) "$contacts"
BENCH_TOKEN=$(cd "$BENCH_WORK/api" && dotnet Connectra.Backend.Api.dll dev-token --role writer)
export BENCH_TOKEN BENCH_TAG="benchw$RANDOM"
base=$BENCH_BASE

lag() { curl -sf "$base/health/outbox" | sed -E 's/.*"pending":([0-9]+).*"oldest_pending_age_seconds":([0-9.]+).*/\1 \2/'; }
bench_every 1 "$BENCH_WORK/lag.log" lag

echo "## warm-up: wrk -t2 -c$connections -d15s (tiered JIT settles)"
BENCH_TAG="warmup$RANDOM" wrk -t2 -c"$connections" -d15s -s "$here/create.lua" "$base/api/v3/contacts/" | tail -n 1
sleep 3
: >"$BENCH_WORK/lag.log"
echo "## wrk -t2 -c$connections -d${seconds}s POST /api/v3/contacts/"
result=$(wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/create.lua" "$base/api/v3/contacts/" | tail -n 1)
echo "$result"
started=$(date +%s.%N)
while [ "$(lag | cut -d' ' -f1)" != "0" ]; do sleep 0.2; done
drained=$(echo "$(date +%s.%N) - $started" | bc)
awk '{ if ($3 > max) max = $3; if ($2 > pending) pending = $2 } END { printf "worst lag during the run: %.1f s (most pending: %d)\n", max, pending }' "$BENCH_WORK/lag.log"
printf 'outbox empty %.1f s after the last write\n' "$drained"
created=$(echo "$result" | sed -E 's/.*created=([0-9]+).*/\1/')
readback=$(curl -sf -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"filters\":{\"and\":[{\"field\":\"last_name\",\"operator\":\"eq\",\"value\":\"$BENCH_TAG\"}]}}" \
  "$base/api/v3/contacts/count" | sed -E 's/.*"count":([0-9]+).*/\1/')
echo "created $created, read back through /api/v3/contacts/count: $readback"
# wrk counts only answers it waited for; requests still in flight when it stops (at most one per connection) are
# created too. Fewer than created is a lost write.
[ "$readback" -ge "$created" ] && [ "$readback" -le $((created + connections)) ] || { echo "LOST OR EXTRA WRITES: $created created, $readback readable" >&2; exit 1; }
