#!/usr/bin/env bash
# JetStream and KV throughput: RecordKv's client (BenchmarkDotNet, NatsJetStreamBenchmarks) and the official JavaScript
# client (tests/js/bench-js.mjs) against the same local nats-server (file storage), same sizes, one after the other.
# Prints a table of msgs/s with the ratio ours/JS. Needs `npm ci` in tests/js. Usage: scripts/bench-nats-jetstream.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
url="nats://127.0.0.1:${port}"
printf 'max_payload: 8MB\n' > "$work/nats.conf"
nats-server -js -a 127.0.0.1 -p "$port" -sd "$work/store" -c "$work/nats.conf" > "$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null && break; sleep 0.1; done

cd "$root"
RECORDKV_NATS_URL="$url" flock /tmp/recordkv-bench.lock dotnet run -c Release --project tests/RecordKv.Benchmarks -- \
  --filter '*NatsJetStreamBenchmarks*' --job short --exporters json --artifacts "$work/bdn" > "$work/bdn.log"

: > "$work/js.jsonl"
for size in 256 1024; do
  for bench in publish consume; do
    node tests/js/bench-js.mjs "$url" "$bench" 20000 "$size" 1024 >> "$work/js.jsonl"
  done
  node tests/js/bench-js.mjs "$url" kvput 20000 "$size" 1024 >> "$work/js.jsonl"
  node tests/js/bench-js.mjs "$url" kvget 5000 "$size" 1 >> "$work/js.jsonl"
done

python3 - "$work" <<'PY'
import glob, json, sys
work = sys.argv[1]
report = json.load(open(glob.glob(f"{work}/bdn/results/*NatsJetStreamBenchmarks*-report-full*.json")[0]))
names = {"PublishWithAcks": "publish", "PullConsumeAndAck": "consume", "KvPutPipelined": "kvput", "KvGet": "kvget"}
ours = {}
for b in report["Benchmarks"]:
    size = int(b["Parameters"].split("=")[1])
    median = b["Statistics"]["Median"]
    alloc = (b.get("Memory") or {}).get("BytesAllocatedPerOperation")
    ours[(names[b["Method"]], size)] = (1e9 / median, alloc)
js = {}
for line in open(f"{work}/js.jsonl"):
    r = json.loads(line)
    js[(r["benchmark"], r["size"])] = r["rate"]
labels = {"publish": "JetStream async publish with acks (1024 in flight)", "consume": "pull consume + ack",
          "kvput": "KV put, pipelined (1024 in flight)", "kvget": "KV get, one at a time (direct get)"}
print("| operation | size | RecordKv msgs/s | alloc B/msg | nats.js 3.4.0 msgs/s | ratio |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for name in ["publish", "consume", "kvput", "kvget"]:
    for size in [256, 1024]:
        rate, alloc = ours.get((name, size), (float("nan"), None))
        other = js.get((name, size))
        ratio = f"{rate / other:.2f}x" if other else "-"
        print(f"| {labels[name]} | {size} B | {rate:,.0f} | {alloc if alloc is not None else '-'} | {other:,.0f} | {ratio} |" if other else f"| {labels[name]} | {size} B | {rate:,.0f} | {alloc} | - | - |")
PY
