#!/usr/bin/env bash
# libsecp256k1's own ECDSA verify speed on this machine (CPU time of one thread, no .NET): the ceiling for RecordKv's
# k256 verification. Builds scripts/secp256k1-verify-loop.c against Debian's libsecp256k1.so.1 and runs it ROUNDS times
# under the benchmark lock; prints each round's JSON and the median. Usage: scripts/bench-secp256k1.sh [ITERATIONS=20000] [ROUNDS=5]
set -euo pipefail
iterations="${1:-20000}"
rounds="${2:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
library="$(ldconfig -p | awk '/libsecp256k1\.so\.1 /{print $NF; exit}')"
[ -n "$library" ] || { echo "bench-secp256k1: libsecp256k1.so.1 is not installed (apt-get install -y libsecp256k1-1)" >&2; exit 1; }
gcc -O2 -o "$work/verify-loop" "$root/scripts/secp256k1-verify-loop.c" "$library"
echo "libsecp256k1: $library ($(dpkg-query -W -f='${Version}' libsecp256k1-1 2>/dev/null || echo unknown version)); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
exec 9> /tmp/recordkv-bench.lock
flock 9
for _ in $(seq "$rounds"); do "$work/verify-loop" "$iterations"; done | tee "$work/rounds.jsonl"
python3 - "$work/rounds.jsonl" <<'PY'
import json, statistics, sys
rounds = [json.loads(line) for line in open(sys.argv[1])]
for name in ("verifyPerSecond", "parseNormalizeVerifyPerSecond"):
    print(f"median {name}: {statistics.median(r[name] for r in rounds):,.0f}")
PY
