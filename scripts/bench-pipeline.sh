#!/usr/bin/env bash
# Whole pipeline, each piece its own process on this machine: nats-server, `recordkv sim`, RecordKv.Ingester, ONE
# RecordKv.Builder (and, for the lag case, scripts/pipeline-lag-meter.cs). Everything binds 127.0.0.1 on free ports and
# is stopped (and its temporary directory removed) on exit. Reports:
#   1. ingester frames/s on an unpaced backlog: runs scripts/bench-ingester.sh (its "backlog" row);
#   2. verified commits/s at full speed: the simulator generates EVENTS unpaced, the ingester stores them, then one
#      builder (ResyncUnknownRepos off, so every commit is verified, not resynced past) drains FIREHOSE; reported from
#      the builder's start and sustained (after the first third of the frames), with CPU-µs per frame;
#   3. end-to-end lag (relay hands out a frame -> its first record is stored in the record bucket) p50/p99 at a steady
#      RATE events/s, from the lag meter (after a warm-up), on a fresh nats-server, the simulator's events generated
#      before emission begins (LAG_LIVE_GENERATION=1: while emitting); LAG_SERIES=FILE also writes the maximum lag of
#      each second;
#   and CPU (user+sys from /proc/<pid>/stat) and peak RSS (VmHWM from /proc/<pid>/status) of every process per case,
#   and how busy the machine was and how much CPU time the VM host took for others (steal, /proc/stat): this host's
#   speed drifts with its neighbours, and steal above a few per cent makes the lag case's tail several times worse.
# Usage: scripts/bench-pipeline.sh [EVENTS=20000] [RATE=2000] [LAG_SECONDS=40] [INGEST_EVENTS=200000]; CASES=23 runs only
# cases 2 and 3.
# Runs under /tmp/recordkv-bench.lock (bench-ingester.sh takes it by itself first).
set -euo pipefail
events="${1:-20000}"
rate="${2:-2000}"
lag_seconds="${3:-40}"
ingest_events="${4:-200000}"
cases="${CASES:-123}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cd "$root"

echo "## machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo
if [[ "$cases" == *1* ]]; then
  echo "### 1. ingester, unpaced backlog (scripts/bench-ingester.sh $ingest_events)"
  scripts/bench-ingester.sh "$ingest_events" | sed -n '1,4p'
  echo
fi

dotnet build src/RecordKv.Cli -c Release -v q -nologo > /dev/null
dotnet build src/RecordKv.Ingester -c Release -v q -nologo > /dev/null
dotnet build src/RecordKv.Builder -c Release -v q -nologo > /dev/null
dotnet build scripts/pipeline-lag-meter.cs -c Release -v q -nologo > /dev/null
cli="$root/src/RecordKv.Cli/bin/Release/net10.0/recordkv.dll"
ingester="$root/src/RecordKv.Ingester/bin/Release/net10.0/RecordKv.Ingester.dll"
builder="$root/src/RecordKv.Builder/bin/Release/net10.0/RecordKv.Builder.dll"

exec 9> /tmp/recordkv-bench.lock
flock 9
echo "load when the pipeline cases start: $(cut -d' ' -f1-3 /proc/loadavg)"

printf 'max_payload: 8MB\n' > "$work/nats.conf"
start_nats() { # $1 store name: a fresh server per case, so one case's streams do not weigh on the next
  nats_port="$(free_port)"; monitor_port="$(free_port)"
  nats-server -js -a 127.0.0.1 -p "$nats_port" -m "$monitor_port" -sd "$work/$1" -c "$work/nats.conf" > "$work/server-$1.log" 2>&1 &
  nats_pid=$!; pids+=("$nats_pid")
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:${monitor_port}/healthz" > /dev/null && break; sleep 0.1; done
}
start_nats store-full

jsz() { curl -sf "http://127.0.0.1:${monitor_port}/jsz?streams=true&consumers=true"; }
stream_messages() { # $1 stream
  jsz | python3 -c '
import json, sys
for a in json.load(sys.stdin).get("account_details", []):
    for s in a.get("stream_detail", []):
        if s["name"] == sys.argv[1]: print(s["state"]["messages"]); sys.exit()
print(0)' "$1"
}
backlog() { # $1 stream: frames not yet built (pending + ack pending over kv-builder-* consumers), -1 without consumers
  jsz | python3 -c '
import json, sys
total, found = 0, 0
for a in json.load(sys.stdin).get("account_details", []):
    for s in a.get("stream_detail", []):
        if s["name"] != sys.argv[1]: continue
        for c in s.get("consumer_detail", []) or []:
            if c["name"].startswith("kv-builder-"):
                found += 1; total += c["num_pending"] + c["num_ack_pending"]
print(total if found == 16 else -1)' "$1"
}
usage() { # $1 pid: "cpu_seconds peak_rss_MB"
  python3 - "$1" <<'PY'
import os, sys
pid = sys.argv[1]
ticks = os.sysconf("SC_CLK_TCK")
stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
cpu = (int(stat[11]) + int(stat[12])) / ticks
hwm = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM:")][0].split()[1]
print(f"{cpu:.1f} {int(hwm) / 1024:.0f}")
PY
}
names() { # $1 prefix: the store's names for the services
  echo "RECORDKV_RecordKv__Names__FirehoseStream=${1}_FIREHOSE RECORDKV_RecordKv__Names__FirehoseSubjectPrefix=${1}_firehose \
RECORDKV_RecordKv__Names__ControlBucket=${1}_control RECORDKV_RecordKv__Names__RecordBucket=${1}_record \
RECORDKV_RecordKv__Names__RepoBucket=${1}_repo RECORDKV_RecordKv__Names__IdentityBucket=${1}_identity \
RECORDKV_Nats__Servers=nats://127.0.0.1:${nats_port} RECORDKV_Serilog__MinimumLevel__Default=Warning"
}
start_service() { # $1 log name, $2 prefix, $3 dll, rest: flags; prints the pid
  local name="$1" prefix="$2" dll="$3"; shift 3
  env $(names "$prefix") dotnet "$dll" "$@" > "$work/$name.log" 2>&1 &
  echo $!
}
host_cpu() { # jiffies of the whole VM from /proc/stat: "busy steal total"
  awk '/^cpu /{busy=$2+$3+$4+$7+$8; print busy, $9, busy+$5+$6+$9}' /proc/stat
}
host_report() { # $1 "busy steal total" at the case's start: how busy the machine was and how much the host took
  read -r busy0 steal0 total0 <<< "$1"; read -r busy1 steal1 total1 <<< "$(host_cpu)"
  awk -v b=$((busy1 - busy0)) -v s=$((steal1 - steal0)) -v t=$((total1 - total0)) -v n="$(nproc)" \
    'BEGIN { printf "machine over the case: %.2f of %d cores busy; steal (CPU time the VM host gave to others) %.1f %%\n", b / t * n, n, s / t * 100 }'
}
report() { # $1 case, then name=pid pairs, or name=pid@cpu_seconds to report the CPU used since that reading
  local label="$1"; shift
  for pair in "$@"; do
    local name="${pair%%=*}" pid="${pair#*=}" since=0
    if [[ "$pid" == *@* ]]; then since="${pid#*@}"; pid="${pid%@*}"; fi
    if [ -d "/proc/$pid" ]; then
      read -r cpu rss < <(usage "$pid")
      echo "| $label | $name | $(awk -v c="$cpu" -v s="$since" 'BEGIN { printf "%.1f", c - s }') s | $rss MB |"
    fi
  done
}

if [[ "$cases" == *2* ]]; then
echo
echo "### 2. full speed: $events events generated unpaced, then ingested, then built by one builder"
host_start="$(host_cpu)"
sim_port="$(free_port)"
dotnet "$cli" sim --port "$sim_port" --rate 0 --events "$events" --accounts 200 --records-per-account 5 --no-account-events --no-key-rotations --linger 3600 > "$work/sim-full.log" 2>&1 &
sim_pid=$!; pids+=("$sim_pid")
until curl -sf "http://127.0.0.1:${sim_port}/_sim/stats" 2>/dev/null | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin).get("generationComplete") else 1)' 2>/dev/null; do sleep 0.2; done
commits=$(curl -sf "http://127.0.0.1:${sim_port}/_sim/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["byType"]["#commit"])')
ing_pid=$(start_service ingester-full full "$ingester" --host "ws://127.0.0.1:${sim_port}" --source sim --cursor 0); pids+=("$ing_pid")
until [ "$(stream_messages full_FIREHOSE)" -ge "$events" ]; do kill -0 "$ing_pid" || { cat "$work/ingester-full.log"; exit 1; }; sleep 0.1; done
start=$(date +%s.%N)
bld_pid=$(start_service builder-full full "$builder" --Builder:PlcDirectory "http://127.0.0.1:${sim_port}" --Builder:DidWebGateway "http://127.0.0.1:${sim_port}" \
  --Builder:AllowHttpDidWebOnLoopback true --Builder:ResyncUnknownRepos false --Builder:LanesPerPartition 16); pids+=("$bld_pid")
# One watcher process polls the monitor (10 times a second, no process start per poll, so the measurement costs the
# machine little) until every frame is built. Sustained rate: from the moment a third of the frames is built
# (start-up and most JIT warm-up behind) to the last one, with the builder's and nats-server's CPU over that window.
python3 - "$monitor_port" full_FIREHOSE "$events" "$commits" "$start" "$bld_pid" "$nats_pid" <<'PY' || { cat "$work/builder-full.log"; exit 1; }
import json, os, sys, time, urllib.request
port, stream, events, commits, start, builder, nats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6], sys.argv[7]
ticks = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks
def backlog():  # frames not yet built over the 16 kv-builder consumers, -1 until all exist
    total, found = 0, 0
    data = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/jsz?streams=true&consumers=true"))
    for account in data.get("account_details", []):
        for s in account.get("stream_detail", []):
            if s["name"] != stream: continue
            for c in s.get("consumer_detail", []) or []:
                if c["name"].startswith("kv-builder-"):
                    found += 1; total += c["num_pending"] + c["num_ack_pending"]
    return total if found == 16 else -1
def messages():  # messages into and out of nats-server so far (every client's publishes, acks and requests; deliveries)
    data = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/varz"))
    return data["in_msgs"], data["out_msgs"]
warm = None
while True:
    if not os.path.exists(f"/proc/{builder}"): sys.exit("the builder stopped")
    left = backlog()
    now = time.time()
    if left == 0: break
    if warm is None and 0 <= left <= events * 2 // 3:
        warm = (now, left, cpu(builder), cpu(nats), messages())
    time.sleep(0.1)
print(f"{commits:,} commits verified and written in {now - start:.1f} s (from builder process start, .NET start-up included): {commits / (now - start):,.0f} commits/s")
if warm:
    at, frames, builder_cpu, nats_cpu, (in_before, out_before) = warm
    seconds = now - at
    in_after, out_after = messages()
    print(f"sustained (after the first third): {frames:,} frames in {seconds:.2f} s = {frames / seconds:,.0f} frames/s, about {commits * frames / events / seconds:,.0f} commits/s; "
          f"CPU-µs per frame: builder {(cpu(builder) - builder_cpu) * 1e6 / frames:,.0f}, nats-server {(cpu(nats) - nats_cpu) * 1e6 / frames:,.0f}; "
          f"messages per frame into nats-server {(in_after - in_before) / frames:.2f}, out of it {(out_after - out_before) / frames:.2f}")
PY
# Repo-state writes (the bucket keeps one revision per key, so its stream's last sequence counts the writes): a lane
# writes a DID's state once per batch, plus once before the DID's first record in a collection.
echo "repo-state writes: $(jsz | python3 -c '
import json, sys
for a in json.load(sys.stdin).get("account_details", []):
    for s in a.get("stream_detail", []):
        if s["name"] == "KV_full_repo": print(format(s["state"]["last_seq"], ","), "for", format(int(sys.argv[1]), ","), "commits"); sys.exit()' "$commits")"
echo "| case | process | CPU (user+sys) | peak RSS |"
echo "| --- | --- | ---: | ---: |"
report "full speed" "nats-server=$nats_pid" "sim=$sim_pid" "ingester=$ing_pid" "builder=$bld_pid"
host_report "$host_start"
kill "$bld_pid" "$ing_pid" "$sim_pid" 2>/dev/null || true
wait "$bld_pid" "$ing_pid" "$sim_pid" 2>/dev/null || true
fi

[[ "$cases" == *3* ]] || exit 0
echo
echo "### 3. end-to-end lag at a steady $rate events/s for ${lag_seconds} s (first 10 s are warm-up)"
# The simulator generates and signs the whole run first (--pregenerate) and only then emits it at RATE, like a relay that
# forwards a stored log: a real relay does not share the pipeline's cores, and generating live took 0.3-0.5 of this
# machine's 2 cores away from it. LAG_LIVE_GENERATION=1 generates while emitting instead. CPU is counted from the start
# of emission.
kill "$nats_pid"; wait "$nats_pid" 2>/dev/null || true
start_nats store-lag
sim_port="$(free_port)"
generation=(--pregenerate); [ -n "${LAG_LIVE_GENERATION:-}" ] && generation=()
# The builder and ingester start first (ingester from cursor 0), so the pipeline is warm when frames flow.
bld_pid=$(start_service builder-lag lag "$builder" --Builder:PlcDirectory "http://127.0.0.1:${sim_port}" --Builder:DidWebGateway "http://127.0.0.1:${sim_port}" \
  --Builder:AllowHttpDidWebOnLoopback true); pids+=("$bld_pid")
dotnet "$cli" sim --port "$sim_port" --rate "$rate" --duration "$((lag_seconds + 5))" --accounts 200 --records-per-account 5 "${generation[@]}" \
  --linger 3600 > "$work/sim-lag.log" 2>&1 &
sim_pid=$!; pids+=("$sim_pid")
until curl -sf "http://127.0.0.1:${sim_port}/_sim/stats" > /dev/null 2>&1; do sleep 0.05; done
ing_pid=$(start_service ingester-lag lag "$ingester" --host "ws://127.0.0.1:${sim_port}" --source sim --cursor 0); pids+=("$ing_pid")
until curl -sf "http://127.0.0.1:${sim_port}/_sim/stats" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["frames"] > 0 else 1)' 2>/dev/null; do sleep 0.05; done
host_start="$(host_cpu)"
cpu_start=()
for pid in "$nats_pid" "$sim_pid" "$ing_pid" "$bld_pid"; do cpu_start+=("$(usage "$pid" | cut -d' ' -f1)"); done
dotnet run scripts/pipeline-lag-meter.cs -c Release --no-build -- "ws://127.0.0.1:${sim_port}/xrpc/com.atproto.sync.subscribeRepos" \
  "nats://127.0.0.1:${nats_port}" lag_record 10 "$lag_seconds" > "$work/meter.log" 2>&1 &
meter_pid=$!; pids+=("$meter_pid")
sleep "$((lag_seconds - 2))"
echo "| case | process | CPU (user+sys) since emission began | peak RSS |"
echo "| --- | --- | ---: | ---: |"
report "lag at $rate/s" "nats-server=$nats_pid@${cpu_start[0]}" "sim=$sim_pid@${cpu_start[1]}" "ingester=$ing_pid@${cpu_start[2]}" "builder=$bld_pid@${cpu_start[3]}"
host_report "$host_start"
wait "$meter_pid" || true
cat "$work/meter.log"
echo "builder backlog at the end: $(backlog lag_FIREHOSE) frames"
