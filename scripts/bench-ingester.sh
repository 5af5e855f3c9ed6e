#!/usr/bin/env bash
# Ingester throughput: simulator (recordkv sim, unpaced) -> RecordKv.Ingester -> nats-server, all on this machine.
# Two cases: "live" (the ingester follows the simulator while it generates as fast as it can) and "backlog" (the
# simulator first generates N frames, then the ingester replays them from cursor 0: the unpaced relay-backlog case).
# Reports frames/s, drain time, reconnects, lost frames, and the ingester's CPU time and peak RSS (/usr/bin/time).
# Usage: scripts/bench-ingester.sh [EVENTS]   (default 50000). Runs under /tmp/recordkv-bench.lock.
set -euo pipefail
events="${1:-50000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
nats_port="$(free_port)"; monitor_port="$(free_port)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

cd "$root"
dotnet build src/RecordKv.Cli -c Release -v q -nologo > /dev/null
dotnet build src/RecordKv.Ingester -c Release -v q -nologo > /dev/null
cli="$root/src/RecordKv.Cli/bin/Release/net10.0/recordkv.dll"
ingester="$root/src/RecordKv.Ingester/bin/Release/net10.0/RecordKv.Ingester.dll"

exec 9> /tmp/recordkv-bench.lock
flock 9

printf 'max_payload: 8MB\n' > "$work/nats.conf"
nats-server -js -a 127.0.0.1 -p "$nats_port" -m "$monitor_port" -sd "$work/store" -c "$work/nats.conf" > "$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:${monitor_port}/healthz" > /dev/null && break; sleep 0.1; done

stream_messages() { # messages in the FIREHOSE stream of the store named $1
  curl -sf "http://127.0.0.1:${monitor_port}/jsz?streams=true" | python3 -c '
import json, sys
name = sys.argv[1]
data = json.load(sys.stdin)
for account in data.get("account_details", []):
    for stream in account.get("stream_detail", []):
        if stream["name"] == name:
            print(stream["state"]["messages"]); sys.exit()
print(0)' "$1"
}

run_case() { # name, simulator port, cursor flag, store prefix
  local name="$1" sim_port="$2" prefix="$4"
  local start end
  start=$(date +%s.%N)
  RECORDKV_Nats__Servers="nats://127.0.0.1:${nats_port}" \
  RECORDKV_RecordKv__Names__FirehoseStream="${prefix}_FIREHOSE" RECORDKV_RecordKv__Names__FirehoseSubjectPrefix="${prefix}_firehose" \
  RECORDKV_RecordKv__Names__ControlBucket="${prefix}_control" RECORDKV_RecordKv__Names__RecordBucket="${prefix}_record" \
  RECORDKV_RecordKv__Names__RepoBucket="${prefix}_repo" RECORDKV_RecordKv__Names__IdentityBucket="${prefix}_identity" \
    /usr/bin/time -v -o "$work/$name.time" dotnet "$ingester" --host "ws://127.0.0.1:${sim_port}" --source sim $3 \
    > "$work/$name.log" 2>&1 &
  local ingester_pid=$!
  local target
  while true; do
    target=$(curl -sf "http://127.0.0.1:${sim_port}/_sim/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["frames"] if d.get("generationComplete", d.get("complete", False)) else -1)')
    local have; have=$(stream_messages "${prefix}_FIREHOSE")
    if [ "$target" -ge 0 ] && [ "$have" -ge "$target" ]; then break; fi
    if ! kill -0 "$ingester_pid" 2>/dev/null; then echo "ingester died:"; cat "$work/$name.log"; exit 1; fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  kill -TERM "$(pgrep -P "$ingester_pid" -f RecordKv.Ingester.dll)" 2>/dev/null || true
  wait "$ingester_pid" || true
  local stored reconnects cpu rss
  stored=$(stream_messages "${prefix}_FIREHOSE")
  reconnects=$(grep -c 'Relay connection to' "$work/$name.log" || true)
  cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.1f", u+s}' "$work/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$work/$name.time")
  python3 - "$name" "$target" "$stored" "$start" "$end" "$reconnects" "$cpu" "$rss" <<'PY'
import sys
name, target, stored, start, end, reconnects, cpu, rss = sys.argv[1:]
seconds = float(end) - float(start)
print(f"| {name} | {int(target):,} | {seconds:.2f} s | {int(stored)/seconds:,.0f} | {reconnects} | {int(target)-int(stored)} | {cpu} s | {rss} MB |")
PY
}

echo "| case | frames | time (incl. ~0.5 s start-up) | frames/s | reconnects | lost | ingester CPU | ingester peak RSS |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"

# Backlog: the simulator generates everything first, then the ingester replays it from cursor 0, unpaced.
sim_port="$(free_port)"
dotnet "$cli" sim --port "$sim_port" --rate 0 --events "$events" --accounts 500 --records-per-account 1 --linger 3600 > "$work/sim1.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:${sim_port}/_sim/stats" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d.get("generationComplete", False) else 1)' 2>/dev/null; do sleep 0.2; done
run_case backlog "$sim_port" "--cursor 0" "bk"

# Live: the ingester follows the simulator generating at full speed (bounded by the simulator's signing rate).
sim_port="$(free_port)"
dotnet "$cli" sim --port "$sim_port" --rate 0 --events "$events" --accounts 500 --records-per-account 1 --linger 3600 > "$work/sim2.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:${sim_port}/_sim/stats" > /dev/null 2>&1; do sleep 0.05; done
run_case live "$sim_port" "--cursor 0" "lv"
