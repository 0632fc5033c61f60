#!/usr/bin/env bash
# Rewrites docs/openapi.json from the document the app serves (docs/api.md#openapi-document), then shows the diff.
# Needs CONNECTRA_TEST_PG like every functional test.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CONNECTRA_TEST_PG:?set CONNECTRA_TEST_PG to a PostgreSQL server (see README.md#tests)}"
dotnet build tests/Connectra.Backend.FunctionalTests -v q --nologo
UPDATE_OPENAPI=1 dotnet test --project tests/Connectra.Backend.FunctionalTests --no-build \
  --filter-method '*The_committed_document_is_the_one_the_app_serves'
git --no-pager diff --stat -- docs/openapi.json
