#!/usr/bin/env bash
# Export page benchmark: what one cursor page of an export by query costs the emulator, wherever it lies in the walk
# and whatever uuid range its stream covers. Seeds the whole stack (stack.sh), starts an export of every contact
# through the backend with a relay in front of the emulator (capture.py) and keeps the first page body one of its
# streams sends, then cancels the export and stops the backend. That body (limit 100, sorted by uuid, every column,
# company attached, the tombstone must_not and a search_after cursor: a stream starts at its bound as the cursor and
# the backend stops it at the next, so it sends no range_query) is replayed to the emulator with wrk over one
# connection, walking on from a cursor at 1 %, 50 % and 99 % of the range: as captured (every contact matches), with a
# uuid range_query over the second quarter of the uuids (what an export of four fixed ranges sent), narrowed to 16,000
# uuids, and with only uuid selected over the quarter. Per case:
# wall p50/p95 and the emulator's CPU per page (utime + stime from /proc over the run), with the machine's load.
#
#   bench/emulator/pages.sh [COMPANIES] [CONTACTS] [SECONDS]       defaults: 100000 1000000 10
#   BENCH_STATE=/var/tmp/pages bench/emulator/pages.sh             keep the seeded cluster and index for the next run
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
companies=${1:-100000}
contacts=${2:-1000000}
seconds=${3:-10}

export Exports__MaxRows=10000000 Exports__PollInterval=00:00:00.200
# shellcheck source=../stack.sh
source "$here/../stack.sh"
bench_stack_start "$companies" "$contacts"
export BENCH_KEY=bench-key

echo "## capture: an export of every contact, through a relay that keeps one mid-stream page body"
page="$BENCH_WORK/page.json"
rm -f "$page"
relay_port=$(pg__free_port 18300)
bench_background python3 "$here/capture.py" "$relay_port" "$BENCH_EMULATOR" "$page" >"$BENCH_WORK/relay.log" 2>&1
export Connectra__BaseUrl="http://127.0.0.1:$relay_port"
bench_stack_restart_backend
auth=(-H "Authorization: Bearer $BENCH_ADMIN_TOKEN")
export_id=$(curl -sf -X POST "${auth[@]}" -H 'Content-Type: application/json' -d '{"query":{}}' \
  "$BENCH_BASE/api/v3/exports/contacts/export" | jq -r .export_id)
for _ in $(seq 1 600); do [ -s "$page" ] && break; sleep 0.1; done
[ -s "$page" ] || { echo "no page body was captured" >&2; exit 1; }
curl -sf -X DELETE "${auth[@]}" "$BENCH_BASE/api/v3/exports/$export_id/cancel" >/dev/null || true
kill "$BENCH_BACKEND_PID" && wait "$BENCH_BACKEND_PID" 2>/dev/null || true
echo "captured (values elided): $(jq -c '.cursor = ["…"] | .select_columns = "\(.select_columns | length) columns"' "$page")"

# The n-th uuid (0-based) at or above LOWER and below UPPER ("" for no bound), in the index's byte order.
nth_uuid() { # lower upper n
  psql_emulator -c "SELECT uuid FROM contacts WHERE uuid COLLATE \"C\" >= '$1' AND ('$2' = '' OR uuid COLLATE \"C\" < '$2')
    ORDER BY uuid COLLATE \"C\" OFFSET $3 LIMIT 1"
}
count_between() { # lower upper
  psql_emulator -c "SELECT count(*) FROM contacts WHERE uuid COLLATE \"C\" >= '$1' AND ('$2' = '' OR uuid COLLATE \"C\" < '$2')"
}

# The captured page starts a stream at its bound, which may be near the end of the uuids: the ranges are laid out
# over the second quarter instead, [25 %, 50 %), as one of four fixed uuid ranges.
lower=$(nth_uuid "" "" $((contacts / 4)))
upper=$(nth_uuid "" "" $((contacts / 2)))
narrow_upper=$(nth_uuid "$lower" "" 16000)
in_range() { # upper: the captured body with a uuid range_query from LOWER to UPPER
  jq --arg lower "$lower" --arg upper "$1" '.cursor = ["__CURSOR__"] | .where.range_query.must.uuid = {gte: $lower, lt: $upper}' "$page"
}
jq '.cursor = ["__CURSOR__"]' "$page" >"$BENCH_WORK/body-all.json"
in_range "$upper" >"$BENCH_WORK/body-range.json"
in_range "$narrow_upper" >"$BENCH_WORK/body-narrow.json"
in_range "$upper" | jq '.select_columns = ["uuid"] | del(.company_config)' >"$BENCH_WORK/body-uuid.json"

cpu_ticks() { bench_cpu_ticks "$BENCH_EMULATOR_PID"; }
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
ticks_per_second=$(getconf CLK_TCK)

measure() { # label body-file range-lower range-upper
  local label=$1 body=$2 from=$3 to=$4 walk=20 rows position offset cursor before after busy_before busy_after result requests
  rows=$(count_between "$from" "$to")
  for position in 1 50 99; do
    # A walk stays inside the range, so no measured page is a short or empty last page.
    offset=$((rows * position / 100))
    [ "$offset" -gt $((rows - 100 * walk - 1)) ] && offset=$((rows - 100 * walk - 1))
    cursor=$(nth_uuid "$from" "$to" "$offset")
    export BENCH_BODY_FILE=$body BENCH_CURSOR=$cursor BENCH_WALK_PAGES=$walk
    wrk -t1 -c1 -d2s -s "$here/pages.lua" "$BENCH_EMULATOR/contacts/" >/dev/null
    before=$(cpu_ticks)
    busy_before=$(busy_ticks)
    result=$(wrk -t1 -c1 -d"${seconds}s" -s "$here/pages.lua" "$BENCH_EMULATOR/contacts/" | tail -n 1)
    after=$(cpu_ticks)
    busy_after=$(busy_ticks)
    requests=$(echo "$result" | sed -E 's/requests=([0-9]+).*/\1/')
    printf '%-34s %3s %%  %s  emulator CPU %.2f ms/page  machine busy %.2f of %s cores  load %s\n' \
      "$label ($rows rows)" "$((offset * 100 / rows))" "$result" \
      "$(echo "($after - $before) * 1000 / $ticks_per_second / $requests" | bc -l)" \
      "$(echo "($busy_after - $busy_before) / $ticks_per_second / $seconds" | bc -l)" "$(nproc)" \
      "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
}

# The first pages of a fresh process run unoptimised code (tiered JIT) and fill the filter cache: warm up well first.
BENCH_BODY_FILE="$BENCH_WORK/body-range.json" BENCH_CURSOR=$(nth_uuid "$lower" "$upper" 1000) BENCH_WALK_PAGES=1000 \
  wrk -t1 -c1 -d20s -s "$here/pages.lua" "$BENCH_EMULATOR/contacts/" >/dev/null
echo "## pages of 100 (one connection, ${seconds}s per case after a 2s warm-up; walks of 20 pages from each position)"
measure "no range_query" "$BENCH_WORK/body-all.json" "" ""
measure "range [$lower, $upper)" "$BENCH_WORK/body-range.json" "$lower" "$upper"
measure "range of 16,000 uuids" "$BENCH_WORK/body-narrow.json" "$lower" "$narrow_upper"
measure "uuid only, range [$lower, $upper)" "$BENCH_WORK/body-uuid.json" "$lower" "$upper"
