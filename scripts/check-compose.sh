#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine (docs/operations.md#docker-compose); exits non-zero on any
# problem. Needs python3 with PyYAML and jsonschema (Debian: python3-yaml python3-jsonschema, installed here when
# missing and run as root). Extra arguments go to the checker (--self-test: prove each kind of break is caught).
set -euo pipefail
cd "$(dirname "$0")/.."

usable() { "$1" -c 'import yaml, jsonschema' 2>/dev/null; }
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && usable "$candidate"; then python=$candidate; break; fi
done
if [ -z "$python" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml python3-jsonschema; } >/dev/null
  usable /usr/bin/python3 && python=/usr/bin/python3
fi
if [ -z "$python" ]; then
  echo "check-compose: needs python3 with PyYAML and jsonschema (apt-get install python3-yaml python3-jsonschema)" >&2
  exit 1
fi
exec "$python" scripts/compose/check_compose.py "$@"
