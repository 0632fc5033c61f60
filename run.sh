#!/usr/bin/env bash
# The whole stack on this machine: a local PostgreSQL, the Connectra emulator with demo data, and the backend.
# Prints the URLs and a development bearer token; Ctrl-C stops everything it started.
#
#   BACKEND_PORT (8080)   EMULATOR_PORT (8000)   DEMO_CONTACTS (10000)   DEMO_COMPANIES (1000)
#   ConnectionStrings__Backend   use this PostgreSQL database instead of the local cluster
#   Emulator__ConnectionString   the emulator's database (default: connectra_emulator on the same server)
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
source scripts/postgres.sh

backend_port=${BACKEND_PORT:-8080}
emulator_port=${EMULATOR_PORT:-8000}
state="$root/.local"
mkdir -p "$state"

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Polls until GET http://127.0.0.1:PORT/PATH answers 200 (bash's /dev/tcp: no curl needed).
wait_for() { # port path [header]
  local port=$1 path=$2 header=${3:-} i status
  for i in $(seq 1 240); do
    status=$( (exec 3<>"/dev/tcp/127.0.0.1/$port" &&
      printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%b\r\n' "$path" "${header:+$header\r\n}" >&3 &&
      head -n 1 <&3) 2>/dev/null || true)
    case "$status" in *" 200 "*) return 0 ;; esac
    sleep 0.5
  done
  echo "timed out waiting for http://127.0.0.1:$port$path" >&2
  return 1
}

# --- PostgreSQL ---------------------------------------------------------------------------------------------------
if [ -z "${ConnectionStrings__Backend:-}" ]; then
  data="$state/pg"
  # The postgres user may not be able to enter this checkout (e.g. under /root): keep the cluster elsewhere then.
  if ! pg__usable_dir "$data" 2>/dev/null; then
    data="/var/tmp/connectra-backend-$(echo "$root" | md5sum | cut -c1-12)/pg"
    mkdir -p "$(dirname "$data")" && chmod 755 "$(dirname "$data")"
  fi
  echo "Starting PostgreSQL ($data)..."
  pg_start "$data"
  pg_create_database connectra_backend
  pg_create_database connectra_emulator
  export ConnectionStrings__Backend="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=connectra_backend"
  export Emulator__ConnectionString="${Emulator__ConnectionString:-Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=connectra_emulator}"
elif [ -z "${Emulator__ConnectionString:-}" ]; then
  echo "With ConnectionStrings__Backend set, also set Emulator__ConnectionString (the emulator's own database)." >&2
  exit 1
fi

# --- Build and migrate -------------------------------------------------------------------------------------------
echo "Building..."
dotnet build -c Release -v quiet -nologo src/Connectra.Emulator/Connectra.Emulator.csproj >/dev/null
dotnet build -c Release -v quiet -nologo src/Connectra.Backend.Api/Connectra.Backend.Api.csproj >/dev/null
api_dll="$root/src/Connectra.Backend.Api/bin/Release/net10.0/Connectra.Backend.Api.dll"
emulator_dll="$root/src/Connectra.Emulator/bin/Release/net10.0/Connectra.Emulator.dll"

export ASPNETCORE_ENVIRONMENT=Development
(cd "$(dirname "$api_dll")" && dotnet "$api_dll" migrate)

# --- Connectra emulator ------------------------------------------------------------------------------------------
if [ ! -s "$state/emulator-api-key" ]; then
  head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$state/emulator-api-key"
fi
export Emulator__ApiKey; Emulator__ApiKey=$(cat "$state/emulator-api-key")
export Emulator__IndexPath="$state/emulator-index"
dotnet "$emulator_dll" seed --companies "${DEMO_COMPANIES:-1000}" --contacts "${DEMO_CONTACTS:-10000}"
ASPNETCORE_URLS="http://127.0.0.1:$emulator_port" dotnet "$emulator_dll" >"$state/emulator.log" 2>&1 &
pids+=($!)
wait_for "$emulator_port" /health "X-API-Key: $Emulator__ApiKey" || { tail -n 30 "$state/emulator.log" >&2; exit 1; }

# --- Backend -----------------------------------------------------------------------------------------------------
export Connectra__BaseUrl="http://127.0.0.1:$emulator_port" Connectra__ApiKey="$Emulator__ApiKey"
export Exports__StoragePath="${Exports__StoragePath:-$state/exports}"
(cd "$(dirname "$api_dll")" && ASPNETCORE_URLS="http://127.0.0.1:$backend_port" exec dotnet "$api_dll") &
pids+=($!)
wait_for "$backend_port" /health
token=$(cd "$(dirname "$api_dll")" && dotnet "$api_dll" dev-token)

cat <<INFO

Connectra Backend is running.
  Swagger UI      http://127.0.0.1:$backend_port/swagger
  Health          http://127.0.0.1:$backend_port/health   (Connectra: /health/vql, database: /health/db)
  Metrics         http://127.0.0.1:$backend_port/metrics  (Prometheus text format)
  Emulator        http://127.0.0.1:$emulator_port   (X-API-Key: $Emulator__ApiKey; log: .local/emulator.log)
  PostgreSQL      ${ConnectionStrings__Backend}

Development bearer token (24 h, user dev-user, role admin):
$token

Try: TOKEN=$token
     curl -s -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$backend_port/api/v3/contacts/filters
Press Ctrl-C to stop.
INFO
wait -n "${pids[@]}"
