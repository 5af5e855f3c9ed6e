#!/usr/bin/env bash
# Simulator emission to one subscriber: `recordkv sim` (1000 accounts x 20 preloaded records, unpaced, no faults,
# signatures included) streams EVENTS events to scripts/sim-subscriber-meter.cs, which reads from cursor 0 as fast as
# it can. Reports the subscriber's frames/s (first to last frame), the simulator's own summary, and the simulator
# process's CPU seconds (/usr/bin/time; start-up and preload included — see docs/benchmarks.md for the --events 1
# baseline to subtract). Usage: scripts/bench-sim.sh [EVENTS]   (default 100000). Runs under /tmp/recordkv-bench.lock.
set -euo pipefail
events="${1:-100000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

cd "$root"
dotnet build src/RecordKv.Cli -c Release -v q -nologo > /dev/null
# Built into the temporary directory and started as a plain dll: `dotnet run` would evaluate the project again (a few
# CPU-seconds) while the simulator is already emitting.
dotnet build scripts/sim-subscriber-meter.cs -c Release -v q -nologo -o "$work/meter" > /dev/null
cli="$root/src/RecordKv.Cli/bin/Release/net10.0/recordkv.dll"

exec 9> /tmp/recordkv-bench.lock
flock 9

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f 'simulator CPU: %U s user + %S s system, %e s wall, peak RSS %M KB' -o "$work/sim.time" \
  dotnet "$cli" sim --port "$port" --seed 1 --accounts 1000 --records-per-account 20 --rate 0 --events "$events" --linger 5 \
  > "$work/sim.log" 2>&1 &
pids+=($!)
/usr/bin/time -f 'subscriber CPU: %U s user + %S s system, peak RSS %M KB' -o "$work/meter.time" \
  dotnet "$work/meter/sim-subscriber-meter.dll" "ws://127.0.0.1:${port}/xrpc/com.atproto.sync.subscribeRepos" "$events"
wait "${pids[0]}" || true
cat "$work/sim.log" | grep -v '^sim: seed' || true
cat "$work/sim.time" "$work/meter.time"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
