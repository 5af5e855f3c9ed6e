#!/usr/bin/env bash
# Runs every RecordKv test. On a fresh machine it first installs what the tests need
# (nats-server, libsecp256k1, the npm packages of the cross-checks, Bluesky's reference PDS for the real-peer test).
#   ./test.sh                 everything
#   ./test.sh --filter EXPR   only the tests dotnet test's --filter selects
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh --js --refnet

echo "test: building"
dotnet build RecordKv.sln -c Release -nologo -clp:ErrorsOnly

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
# Hangs are bugs: a test that runs for 5 minutes is stopped and reported with a dump.
dotnet test RecordKv.sln -c Release --no-build -nologo \
  --blame-hang-timeout 5m --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log" || status=$?

# One closing line for CI: "N passed, N failed, N skipped".
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
