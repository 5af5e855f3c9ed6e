#!/usr/bin/env bash
# Core NATS client benchmark: RecordKv.Nats (BenchmarkDotNet, NatsCoreBenchmarks) against the official
# JavaScript client (tests/js/bench-core.mjs, @nats-io/transport-node 3.4.0) on the same local nats-server,
# in one run, under the machine-wide benchmark lock. Prints a table of medians and ratios.
#   scripts/bench-nats.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${RECORDKV_BENCH_LOCKED:-}" ]; then
  RECORDKV_BENCH_LOCKED=1 exec flock /tmp/recordkv-bench.lock "$0" "$@"
fi

server="$(command -v nats-server || echo /usr/sbin/nats-server)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
store="$(mktemp -d)"
"$server" -a 127.0.0.1 -p "$port" -js -sd "$store" >"$store/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$store"' EXIT
for _ in $(seq 200); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.05
done
export NATS_URL="nats://127.0.0.1:$port"
echo "bench-nats: nats-server $("$server" --version | awk '{print $2}') on $NATS_URL"

if [ ! -d tests/js/node_modules/@nats-io/transport-node ]; then
  (cd tests/js && npm ci --no-audit --no-fund)
fi

echo "bench-nats: JavaScript client"
js_json="$(node tests/js/bench-core.mjs)"
echo "$js_json"

echo "bench-nats: RecordKv.Nats (BenchmarkDotNet)"
dotnet run -c Release --project tests/RecordKv.Benchmarks -- \
  --filter '*NatsCoreBenchmarks*' --job short --iterationCount 9 --exporters csv >"$store/bdn.log" 2>&1 \
  || { tail -50 "$store/bdn.log"; exit 1; }
csv="BenchmarkDotNet.Artifacts/results/RecordKv.Benchmarks.NatsCoreBenchmarks-report.csv"

python3 - "$csv" "$js_json" <<'PY'
import csv, json, sys

units = {"ns": 1e-9, "us": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0}

def median(row):
    # BenchmarkDotNet leaves the Median column out when it adds nothing over the Mean.
    return row.get("Median") or row["Mean"]

def seconds(text):
    value, unit = text.replace(",", "").split()
    return float(value) * units[unit]

rows = {row["Method"]: row for row in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
js = json.loads(sys.argv[2])
ours = {
    "publish": 1 / seconds(median(rows["Publish128B"])),
    "pubsub": 1 / seconds(median(rows["PublishSubscribe128B"])),
    "latency": seconds(median(rows["RequestReply128B"])) * 1e6,
}
theirs = {"publish": js["publishMsgsPerSec"], "pubsub": js["pubSubMsgsPerSec"], "latency": js["requestLatencyMicros"]}
print()
print(f"| measure (128 B messages) | RecordKv.Nats | {js['client']} | ratio (ours/JS) |")
print("| --- | ---: | ---: | ---: |")
print(f"| publish, msgs/s | {ours['publish']:,.0f} | {theirs['publish']:,.0f} | {ours['publish'] / theirs['publish']:.2f}x |")
print(f"| publish → subscriber, msgs/s | {ours['pubsub']:,.0f} | {theirs['pubsub']:,.0f} | {ours['pubsub'] / theirs['pubsub']:.2f}x |")
print(f"| request/reply latency, µs | {ours['latency']:,.1f} | {theirs['latency']:,.1f} | {theirs['latency'] / ours['latency']:.2f}x faster |")
print()
print("allocated per op (RecordKv.Nats):", ", ".join(f"{name} {rows[name]['Allocated']}" for name in ("Publish128B", "PublishSubscribe128B", "RequestReply128B")))
PY
