#!/usr/bin/env bash
# Where an export page's time goes: on the stack a `BENCH_STATE=DIR bench/emulator/pages.sh` run kept (its cluster, its
# seeded data, the emulator it built and the page bodies it captured), serves the emulator again, walks pages from
# the middle of the captured stream's range and samples the emulator's threads for 15 s with dotnet-trace. Prints the
# heaviest methods, inclusive; DIR/profile.nettrace holds the trace (open it in PerfView or speedscope for more).
#
#   bench/emulator/profile-pages.sh DIR [BODY]      BODY: body-range.json (default), body-all.json, body-narrow.json, body-uuid.json
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=$(cd "$1" && pwd)
body=${2:-body-range.json}
trace=$HOME/.dotnet/tools/dotnet-trace
[ -x "$trace" ] || dotnet tool install --global dotnet-trace >/dev/null
# shellcheck source=../../scripts/postgres.sh
source "$here/../../scripts/postgres.sh"
pg_start "$state/pg" fast
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null || true
  pg_stop
}
trap cleanup EXIT

export Emulator__ConnectionString="${PG_CONNECTION/Database=postgres/Database=emulator}" Emulator__ApiKey=bench-key
export Emulator__IndexPath="$state/index"
url="http://127.0.0.1:$(pg__free_port 18400)"
dotnet "$state/emulator/Connectra.Emulator.dll" --urls "$url" >"$state/profile-emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 120); do curl -sf -H "X-API-Key: bench-key" "$url/health" >/dev/null && break; sleep 1; done

lower=$(jq -r '.where.range_query.must.uuid.gte // ""' "$state/page.json")
upper=$(jq -r '.where.range_query.must.uuid.lt // ""' "$state/page.json")
cursor=$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d emulator -qAt -c \
  "SELECT uuid FROM contacts WHERE uuid COLLATE \"C\" >= '$lower' AND uuid COLLATE \"C\" < '$upper'
   ORDER BY uuid COLLATE \"C\" OFFSET (SELECT count(*) / 2 FROM contacts WHERE uuid COLLATE \"C\" >= '$lower' AND uuid COLLATE \"C\" < '$upper') LIMIT 1")
export BENCH_KEY=bench-key BENCH_BODY_FILE="$state/$body" BENCH_CURSOR=$cursor BENCH_WALK_PAGES=20
wrk -t1 -c1 -d5s -s "$here/pages.lua" "$url/contacts/" >/dev/null
wrk -t1 -c1 -d25s -s "$here/pages.lua" "$url/contacts/" &
load=$!
sleep 2
"$trace" collect -p "$emulator_pid" --profile dotnet-sampled-thread-time --duration 00:00:00:15 -o "$state/profile.nettrace" >/dev/null
wait "$load"
# Thread time includes idle threads (waiting in the thread pool, timers, the socket loop): the request's own frames
# are the ones below Routes.DispatchAsync.
"$trace" report "$state/profile.nettrace" topN -n 200 --inclusive | grep -Ev 'Wait|Semaphore|Monitor|MoveNext\(\)|Start\(!!0&\)'
