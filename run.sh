#!/usr/bin/env bash
# ./run.sh — brings RecordKv up on this machine: installs what is missing, builds, starts nats-server (unless --server),
# the firehose source (public relay, or the built-in simulator), the ingester, one builder and the like indexer.
# Ctrl-C stops everything; running again resumes from the saved cursor (NATS data lives in .recordkv/ under the project).
#
# Every setting is a flag, an environment variable and a key of the configuration file (KEY=value lines; the
# environment wins over the file, flags win over both):
#   --server URL     RECORDKV_SERVER   use this NATS server instead of starting one
#   --relay URL      RECORDKV_RELAY    firehose relay host (no fallback when given); default wss://bsky.network with fallback
#   --plc URL        RECORDKV_PLC      PLC directory (default https://plc.directory; the simulator's own with --sim)
#   --sim            RECORDKV_SIM=1    use the built-in simulator (recordkv sim)
#   --sim-rate N     RECORDKV_SIM_RATE simulator events per second (default 200)
#   --sim-port N     RECORDKV_SIM_PORT simulator port (default 2470)
#   --data DIR       RECORDKV_DATA     state directory (default ./.recordkv): NATS store, logs, pid file
#   --port N         RECORDKV_PORT     port of the nats-server started here (default 4222)
#   --no-build       RECORDKV_NO_BUILD=1  skip dotnet build
#   --stop-timeout S RECORDKV_STOP_TIMEOUT  seconds a process gets to stop after SIGTERM before SIGKILL (default 20)
#   --conf FILE      RECORDKV_CONF     the configuration file (default ./run.conf; read only if it exists)
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"

# The configuration file is read first, without letting it override variables already set in the environment.
conf="${RECORDKV_CONF:-$root/run.conf}"
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--conf" ]; then j=$((i + 1)); conf="${!j:-}"; fi
done
if [ -n "$conf" ] && [ -f "$conf" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    key="${line%%=*}"
    case "$key" in
      RECORDKV_*) [ -z "${!key+set}" ] && export "$key=${line#*=}" ;;
      *) echo "run.sh: $conf: ignoring '$line' (only RECORDKV_*=value lines)" >&2 ;;
    esac
  done <"$conf"
fi

server="${RECORDKV_SERVER:-}"
relay="${RECORDKV_RELAY:-}"
plc="${RECORDKV_PLC:-}"
sim="${RECORDKV_SIM:-0}"
sim_rate="${RECORDKV_SIM_RATE:-200}"
sim_port="${RECORDKV_SIM_PORT:-2470}"
data="${RECORDKV_DATA:-$root/.recordkv}"
port="${RECORDKV_PORT:-4222}"
no_build="${RECORDKV_NO_BUILD:-0}"
stop_timeout="${RECORDKV_STOP_TIMEOUT:-20}"

while [ $# -gt 0 ]; do
  case "$1" in
    --server) server="$2"; shift 2 ;;
    --relay) relay="$2"; shift 2 ;;
    --plc) plc="$2"; shift 2 ;;
    --sim) sim=1; shift ;;
    --sim-rate) sim_rate="$2"; shift 2 ;;
    --sim-port) sim_port="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --no-build) no_build=1; shift ;;
    --stop-timeout) stop_timeout="$2"; shift 2 ;;
    --conf) shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see ./run.sh --help)" >&2; exit 2 ;;
  esac
done

say() { echo "run.sh: $*"; }
mkdir -p "$data/logs"
data="$(cd "$data" && pwd)"
pidfile="$data/run.pids"

# One run.sh per state directory: a second one would share the NATS store and the ports.
exec 9>"$data/run.lock"
if ! flock -n 9; then
  say "another ./run.sh is using $data (its processes: $(tr '\n' ' ' <"$pidfile" 2>/dev/null)); stop it first, or use --data DIR"
  exit 1
fi

# Processes of a run.sh that was killed outright (SIGKILL) outlive it: stop them before starting new ones.
ours() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -e "$data" -e "$root/src/"; }
if [ -f "$pidfile" ]; then
  while read -r pid _; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ours "$pid"; then
      say "stopping process $pid left over from an earlier run"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 $((stop_timeout * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done <"$pidfile"
fi
: >"$pidfile"

pids=()
names=()
track() { pids+=("$1"); names+=("$2"); echo "$1 $2" >>"$pidfile"; }

# Sends SIGTERM to the given pids together, waits up to --stop-timeout seconds for all of them, then SIGKILLs the rest.
stop_group() {
  local group=("$@") pid left
  [ ${#group[@]} -gt 0 ] || return 0
  for pid in "${group[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 $((stop_timeout * 10))); do
    left=0
    for pid in "${group[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ "$left" = 0 ] && break
    sleep 0.1
  done
  for pid in "${group[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      say "$(name_of "$pid") (pid $pid) did not stop within ${stop_timeout}s of SIGTERM: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
}
name_of() { local i; for i in "${!pids[@]}"; do [ "${pids[$i]}" = "$1" ] && { echo "${names[$i]}"; return; }; done; echo "process"; }

stopping=0
stop_all() {
  trap - INT TERM EXIT
  [ "$stopping" = 0 ] || return 0
  stopping=1
  if [ ${#pids[@]} -gt 0 ]; then
    say "stopping ${#pids[@]} processes"
    # The services together first (the ingester saves its cursor, builders release leases), then the simulator,
    # then nats-server, which the services need until they are gone.
    local services=() sources=() nats=() i
    for i in "${!pids[@]}"; do
      case "${names[$i]}" in
        nats-server) nats+=("${pids[$i]}") ;;
        simulator) sources+=("${pids[$i]}") ;;
        *) services+=("${pids[$i]}") ;;
      esac
    done
    stop_group "${services[@]}"
    stop_group "${sources[@]}"
    stop_group "${nats[@]}"
  fi
  : >"$pidfile"
  say "stopped"
}
trap 'stop_all; exit 130' INT TERM
trap 'stop_all' EXIT

"$root/scripts/install-deps.sh"
if [ "$no_build" != 1 ]; then
  say "building"
  for project in RecordKv.Cli RecordKv.Ingester RecordKv.Builder RecordKv.LikeIndexer; do
    [ -d "$root/src/$project" ] || continue
    dotnet build "$root/src/$project" -c Release -v q -nologo >"$data/logs/build-$project.log" 2>&1 \
      || { say "build of $project failed: see $data/logs/build-$project.log"; exit 1; }
  done
fi
dll() { echo "$root/src/$1/bin/Release/net10.0/$2.dll"; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
# Waits (up to 120 s: a loaded machine starts .NET slowly) for a port to accept connections, or for the process to die.
wait_port() {
  for _ in $(seq 1 1200); do
    port_open "$1" "$2" && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Children are started with `setsid`: Ctrl-C reaches only this script, which then stops them in order
# (a nats-server stopped by the same Ctrl-C as the services would leave them unable to save their state).
if [ -z "$server" ]; then
  if port_open 127.0.0.1 "$port"; then
    say "port $port is already in use (another nats-server? ./run.sh --server nats://127.0.0.1:$port uses it; --port N picks another)"
    exit 1
  fi
  cat >"$data/nats.conf" <<CONF
listen: 127.0.0.1:$port
max_payload: 8MB
jetstream {
  store_dir: "$data/nats"
  max_memory_store: 256MB
  max_file_store: 20GB
}
CONF
  setsid nats-server -c "$data/nats.conf" >"$data/logs/nats-server.log" 2>&1 </dev/null 9>&- &
  track $! nats-server
  wait_port 127.0.0.1 "$port" "$!" || { say "nats-server did not start: see $data/logs/nats-server.log"; exit 1; }
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
  if port_open 127.0.0.1 "$sim_port"; then
    say "port $sim_port (simulator) is already in use: --sim-port N picks another"
    exit 1
  fi
  setsid dotnet "$(dll RecordKv.Cli recordkv)" sim --port "$sim_port" --rate "$sim_rate" >"$data/logs/sim.log" 2>&1 </dev/null 9>&- &
  track $! simulator
  wait_port 127.0.0.1 "$sim_port" "$!" || { say "the simulator did not start: see $data/logs/sim.log"; exit 1; }
  relay="ws://127.0.0.1:$sim_port"
  plc="${plc:-http://127.0.0.1:$sim_port}"
  say "simulator on $relay"
fi
plc="${plc:-https://plc.directory}"

start() {
  local name="$1" project="$2"; shift 2
  local path; path="$(dll "$project" "$project")"
  if [ ! -f "$path" ]; then say "$name is not available in this checkout ($project missing): not started"; return; fi
  setsid dotnet "$path" --Nats:Servers:0 "$server" "$@" >"$data/logs/$name.log" 2>&1 </dev/null 9>&- &
  track $! "$name"
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
# Stay until Ctrl-C (the trap stops everything) or until a process exits on its own.
rc=0
wait -n "${pids[@]}" || rc=$?
[ "$stopping" = 1 ] && exit 130
for i in "${!pids[@]}"; do
  kill -0 "${pids[$i]}" 2>/dev/null || { say "${names[$i]} (pid ${pids[$i]}) exited on its own with status $rc; see $data/logs/${names[$i]}.log"; break; }
done
exit 1
