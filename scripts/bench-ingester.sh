#!/usr/bin/env bash
# Ingester throughput on an unpaced backlog: the simulator (recordkv sim --rate 0) first generates EVENTS frames, then
# RecordKv.Ingester replays them from cursor 0 as fast as the socket drains into nats-server (file storage), all three
# processes on this machine. Prints ONE table row: the sustained rate from the first frame stored to the last (the
# stream's first/last message timestamps), the ingester's start-up time (process start -> first frame stored) apart,
# reconnects, lost frames, and the CPU-µs per frame of the ingester, nats-server and the simulator during the drain
# (from /proc/<pid>/stat, sampled when the first frame is seen and when the last is), plus the ingester's peak RSS.
# With LIVE=1 a second row measures the live case (the ingester follows the simulator while it generates).
# Usage: scripts/bench-ingester.sh [EVENTS]   (default 100000). Runs under /tmp/recordkv-bench.lock; cleans up.
set -euo pipefail
events="${1:-100000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
nats_port="$(free_port)"; monitor_port="$(free_port)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
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
nats_pid=$!
pids+=("$nats_pid")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:${monitor_port}/healthz" > /dev/null && break; sleep 0.1; done

stream_state() { # "messages first_ts last_ts" of the stream named $1 (timestamps in epoch seconds)
  curl -sf "http://127.0.0.1:${monitor_port}/jsz?streams=true" | python3 -c '
import json, sys, datetime
def epoch(text):
    if not text or text.startswith("0001"): return 0.0
    main, _, rest = text.rstrip("Z").partition(".")
    fraction = float("0." + rest) if rest else 0.0
    return datetime.datetime.fromisoformat(main).replace(tzinfo=datetime.timezone.utc).timestamp() + fraction
name = sys.argv[1]
for account in json.load(sys.stdin).get("account_details", []):
    for stream in account.get("stream_detail", []):
        if stream["name"] == name:
            s = stream["state"]
            print(s["messages"], "%.6f" % epoch(s.get("first_ts")), "%.6f" % epoch(s.get("last_ts"))); sys.exit()
print("0 0 0")' "$1"
}

run_case() { # name, simulator port, simulator pid, store prefix
  local name="$1" sim_port="$2" sim_pid="$3" prefix="$4"
  local ticks; ticks=$(getconf CLK_TCK)
  local launched; launched=$(date +%s.%N)
  RECORDKV_Nats__Servers="nats://127.0.0.1:${nats_port}" \
  RECORDKV_RecordKv__Names__FirehoseStream="${prefix}_FIREHOSE" RECORDKV_RecordKv__Names__FirehoseSubjectPrefix="${prefix}_firehose" \
  RECORDKV_RecordKv__Names__ControlBucket="${prefix}_control" RECORDKV_RecordKv__Names__RecordBucket="${prefix}_record" \
  RECORDKV_RecordKv__Names__RepoBucket="${prefix}_repo" RECORDKV_RecordKv__Names__IdentityBucket="${prefix}_identity" \
    /usr/bin/time -v -o "$work/$name.time" dotnet "$ingester" --host "ws://127.0.0.1:${sim_port}" --source sim --cursor 0 \
    > "$work/$name.log" 2>&1 &
  local time_pid=$!
  pids+=("$time_pid")
  local ingester_pid=""
  for _ in $(seq 200); do ingester_pid=$(pgrep -P "$time_pid" || true); [ -n "$ingester_pid" ] && break; sleep 0.01; done
  # One watcher process polls (10 times a second, no process start per poll, so the meter takes little of the CPU it
  # measures) until the stream holds every frame the simulator generated, and prints the CPU ticks of the three
  # processes at the first stored frame and at the last, and how many frames the simulator sent.
  local target start_have start_ingester end_ingester start_nats end_nats start_sim end_sim
  read -r target start_have start_ingester end_ingester start_nats end_nats start_sim end_sim <<< "$(python3 - \
    "$monitor_port" "${prefix}_FIREHOSE" "$sim_port" "$time_pid" "$ingester_pid" "$nats_pid" "$sim_pid" <<'PY'
import json, os, sys, time, urllib.request
monitor, stream, sim, waiter = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
pids = sys.argv[5:]
def ticks(pid):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return 0
def stored():
    data = json.load(urllib.request.urlopen(f"http://127.0.0.1:{monitor}/jsz?streams=true"))
    for account in data.get("account_details", []):
        for s in account.get("stream_detail", []):
            if s["name"] == stream: return s["state"]["messages"]
    return 0
def target():  # every frame the simulator will have sent, None while it is still generating (the live case)
    stats = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sim}/_sim/stats"))
    return stats["frames"] if stats.get("generationComplete", False) else None
known = target()
deadline = time.time() + 1800
first = None
while True:
    if time.time() > deadline: sys.exit("timed out waiting for the stream to hold every frame")
    if not os.path.exists(f"/proc/{waiter}"): sys.exit("the ingester died")
    have = stored()
    if first is None and have > 0: first = [have] + [ticks(p) for p in pids]
    if known is None: known = target()
    if known is not None and have >= known: break
    time.sleep(0.1)
last = [ticks(p) for p in pids]
print(known, first[0], first[1], last[0], first[2], last[1], first[3], last[2])
PY
)" || { cat "$work/$name.log"; exit 1; }
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  kill -TERM "$ingester_pid" 2>/dev/null || true
  wait "$time_pid" || true
  local stored reconnects rss
  read -r stored first last <<< "$(stream_state "${prefix}_FIREHOSE")"
  reconnects=$(grep -c 'Relay connection to' "$work/$name.log" || true)
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$work/$name.time")
  python3 - "$name" "$target" "$stored" "$launched" "$first" "$last" "$reconnects" "$rss" "$ticks" "$start_have" \
    "$start_ingester" "$end_ingester" "$start_nats" "$end_nats" "$start_sim" "$end_sim" "$load" <<'PY'
import sys
(name, target, stored, launched, first, last, reconnects, rss, ticks, start_have,
 si, ei, sn, en, ss, es, load) = sys.argv[1:]
target, stored, start_have, ticks = int(target), int(stored), int(start_have), int(ticks)
drain = float(last) - float(first)
frames = max(stored - start_have, 1)
per_frame = lambda a, b: (int(b) - int(a)) / ticks / frames * 1e6
print(f"| {name} | {target:,} | {float(first) - float(launched):.2f} s | {drain:.2f} s | {(stored - 1) / drain:,.0f} | "
      f"{reconnects} | {target - stored} | {per_frame(si, ei):.1f} | {per_frame(sn, en):.1f} | {per_frame(ss, es):.1f} | "
      f"{rss} MB | {load} |")
PY
}

echo "Sustained ingest from the first frame stored to the last; CPU-µs per frame of each process during that drain."
echo "| case | frames | start-up to first frame | drain (first→last stored) | frames/s | reconnects | lost | ingester CPU-µs/frame | nats-server CPU-µs/frame | simulator CPU-µs/frame | ingester peak RSS | load avg at end |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"

# Backlog: the simulator generates everything first, then the ingester replays it from cursor 0, unpaced.
sim_port="$(free_port)"
dotnet "$cli" sim --port "$sim_port" --rate 0 --events "$events" --accounts 500 --records-per-account 1 --linger 3600 > "$work/sim1.log" 2>&1 &
sim_pid=$!
pids+=("$sim_pid")
until curl -sf "http://127.0.0.1:${sim_port}/_sim/stats" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d.get("generationComplete", False) else 1)' 2>/dev/null; do
  kill -0 "$sim_pid" 2>/dev/null || { echo "simulator died:"; cat "$work/sim1.log"; exit 1; }
  sleep 0.2
done
run_case backlog "$sim_port" "$sim_pid" "bk"
kill "$sim_pid" 2>/dev/null || true

if [ "${LIVE:-0}" = 1 ]; then
  # Live: the ingester follows the simulator generating at full speed (bounded by the simulator's signing rate).
  sim_port="$(free_port)"
  dotnet "$cli" sim --port "$sim_port" --rate 0 --events "$events" --accounts 500 --records-per-account 1 --linger 3600 > "$work/sim2.log" 2>&1 &
  sim_pid=$!
  pids+=("$sim_pid")
  until curl -sf "http://127.0.0.1:${sim_port}/_sim/stats" > /dev/null 2>&1; do sleep 0.05; done
  run_case live "$sim_port" "$sim_pid" "lv"
fi
