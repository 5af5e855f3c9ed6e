#!/usr/bin/env bash
# ./run.sh — brings RecordKv up on this machine: installs what is missing, builds, starts nats-server (unless --server),
# the firehose source (public relay, or the built-in simulator), the ingester, one builder and the like indexer.
# Ctrl-C stops everything; running again resumes from the saved cursor (NATS data lives in .recordkv/ under the project).
#
# Every setting is a flag, an environment variable and a key of ./run.conf (KEY=value lines, read first):
#   --server URL     RECORDKV_SERVER   use this NATS server instead of starting one
#   --relay URL      RECORDKV_RELAY    firehose relay host (no fallback when given); default wss://bsky.network with fallback
#   --plc URL        RECORDKV_PLC      PLC directory (default https://plc.directory; the simulator's own with --sim)
#   --sim            RECORDKV_SIM=1    use the built-in simulator (recordkv sim)
#   --sim-rate N     RECORDKV_SIM_RATE simulator events per second (default 200); RECORDKV_SIM_PORT its port (2470)
#   --data DIR       RECORDKV_DATA     state directory (default ./.recordkv): NATS store, logs
#   --port N         RECORDKV_PORT     port of the nats-server started here (default 4222)
#   --no-build       RECORDKV_NO_BUILD=1  skip dotnet build
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
[ -f "$root/run.conf" ] && . "$root/run.conf"

server="${RECORDKV_SERVER:-}"
relay="${RECORDKV_RELAY:-}"
plc="${RECORDKV_PLC:-}"
sim="${RECORDKV_SIM:-0}"
sim_rate="${RECORDKV_SIM_RATE:-200}"
sim_port="${RECORDKV_SIM_PORT:-2470}"
data="${RECORDKV_DATA:-$root/.recordkv}"
port="${RECORDKV_PORT:-4222}"
no_build="${RECORDKV_NO_BUILD:-0}"

while [ $# -gt 0 ]; do
  case "$1" in
    --server) server="$2"; shift 2 ;;
    --relay) relay="$2"; shift 2 ;;
    --plc) plc="$2"; shift 2 ;;
    --sim) sim=1; shift ;;
    --sim-rate) sim_rate="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --no-build) no_build=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see ./run.sh --help)" >&2; exit 2 ;;
  esac
done

say() { echo "run.sh: $*"; }
mkdir -p "$data/logs"
pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    say "stopping ${#pids[@]} processes"
    # Services first (newest first), nats-server last, so they can release leases and save cursors.
    # A process still running 20 s after SIGTERM is killed, so nothing is left behind.
    for ((i=${#pids[@]}-1; i>=0; i--)); do
      local pid="${pids[$i]}"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then say "process $pid did not stop in 20 s: killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
      wait "$pid" 2>/dev/null || true
    done
  fi
  say "stopped"
}
trap 'stop_all; exit 130' INT TERM
trap 'stop_all' EXIT

"$root/scripts/install-deps.sh"
if [ "$no_build" != 1 ]; then
  say "building"
  for project in RecordKv.Cli RecordKv.Ingester RecordKv.Builder RecordKv.LikeIndexer; do
    [ -d "$root/src/$project" ] && dotnet build "$root/src/$project" -c Release -v q -nologo >"$data/logs/build-$project.log" 2>&1 || { [ -d "$root/src/$project" ] && { say "build of $project failed: see $data/logs/build-$project.log"; exit 1; }; }
  done
fi
dll() { echo "$root/src/$1/bin/Release/net10.0/$2.dll"; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

if [ -z "$server" ]; then
  cat >"$data/nats.conf" <<CONF
listen: 127.0.0.1:$port
max_payload: 8MB
jetstream {
  store_dir: "$data/nats"
  max_memory_store: 256MB
  max_file_store: 20GB
}
CONF
  nats-server -c "$data/nats.conf" >"$data/logs/nats-server.log" 2>&1 &
  pids+=($!)
  wait_port 127.0.0.1 "$port" || { say "nats-server did not start: see $data/logs/nats-server.log"; exit 1; }
  server="nats://127.0.0.1:$port"
  say "nats-server on $server (store $data/nats)"
fi

if [ "$sim" != 1 ] && [ -z "$relay" ]; then
  if timeout 5 bash -c '(exec 3<>/dev/tcp/bsky.network/443)' 2>/dev/null; then
    relay="wss://bsky.network"
  else
    say "the public relay (bsky.network) cannot be reached from here: using the built-in simulator instead (--relay URL forces a relay)"
    sim=1
  fi
fi

if [ "$sim" = 1 ]; then
  dotnet "$(dll RecordKv.Cli recordkv)" sim --port "$sim_port" --rate "$sim_rate" >"$data/logs/sim.log" 2>&1 &
  pids+=($!)
  wait_port 127.0.0.1 "$sim_port" || { say "the simulator did not start: see $data/logs/sim.log"; exit 1; }
  relay="ws://127.0.0.1:$sim_port"
  plc="${plc:-http://127.0.0.1:$sim_port}"
  say "simulator on $relay"
fi
plc="${plc:-https://plc.directory}"

start() {
  local name="$1" project="$2"; shift 2
  local path; path="$(dll "$project" "$project")"
  if [ ! -f "$path" ]; then say "$name is not available in this checkout ($project missing): not started"; return; fi
  dotnet "$path" --Nats:Servers:0 "$server" "$@" >"$data/logs/$name.log" 2>&1 &
  pids+=($!)
  say "$name started (log $data/logs/$name.log)"
}
start ingester RecordKv.Ingester --Ingester:Host "$relay"
start builder RecordKv.Builder --Builder:PlcDirectory "$plc"
start like-indexer RecordKv.LikeIndexer

cat <<MSG
run.sh: up. In another terminal:
  dotnet $(dll RecordKv.Cli recordkv) status --server $server
  dotnet $(dll RecordKv.Cli recordkv) sub '\$KV.record.*.app.bsky.feed.like.>' --all --server $server
Ctrl-C stops everything; ./run.sh again resumes.
MSG
# Stay until Ctrl-C or until a service exits on its own.
rc=0
wait -n "${pids[@]}" || rc=$?
# Ctrl-C reaches the whole foreground process group: a child ending by SIGINT/SIGTERM (130/143, or .NET's 0 after a
# graceful stop on a signal) is the interrupt, not a failure.
if [ "$rc" -eq 130 ] || [ "$rc" -eq 143 ] || [ "$rc" -eq 0 ]; then
  stop_all
  exit 130
fi
say "a process exited with status $rc; see $data/logs"
exit 1
