#!/usr/bin/env bash
# Installs what RecordKv needs to build, test and run on a fresh machine of this kind:
# nats-server and libsecp256k1 from Debian, (with --js) the npm packages the cross-checks use, and (with
# --refnet) Bluesky's reference PLC + PDS from npm into .cache/refnet for the real-peer test (about 80 s the
# first time: better-sqlite3 compiles from source).
# It installs only what is missing, and runs `apt-get update` at most once.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

want_js=0
want_refnet=0
for arg in "$@"; do
  case "$arg" in
    --js) want_js=1 ;;
    --refnet) want_refnet=1 ;;
    *) echo "install-deps: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

missing=()
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
ldconfig -p 2>/dev/null | grep -q 'libsecp256k1\.so\.1 ' || [ -e /usr/lib/x86_64-linux-gnu/libsecp256k1.so.1 ] || missing+=(libsecp256k1-1)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "$want_refnet" -eq 1 ]; then
  # better-sqlite3 has no reachable prebuilt binary: node-gyp needs python3, make and a C++ compiler.
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
fi

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "install-deps: installing ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$want_js" -eq 1 ]; then
  js="$root/tests/js"
  if [ ! -d "$js/node_modules" ] || [ "$js/package-lock.json" -nt "$js/node_modules/.package-lock.json" ]; then
    echo "install-deps: installing the npm packages for the cross-checks"
    (cd "$js" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi

if [ "$want_refnet" -eq 1 ]; then
  # ../shared/refnet (beside the repository) pins refnet's packages; its install.sh copies the scripts into the
  # gitignored .cache/refnet and installs there, skipping when that is already done.
  refnet="$root/../shared/refnet"
  [ -x "$refnet/install.sh" ] || { echo "install-deps: $refnet/install.sh not found (../shared must sit beside the repository)" >&2; exit 1; }
  dest="$root/.cache/refnet"
  if [ ! -d "$dest/node_modules/better-sqlite3/build" ]; then
    echo "install-deps: installing Bluesky's reference PLC + PDS into .cache/refnet (about 80 s: SQLite compiles)"
  fi
  "$refnet/install.sh" "$dest" >/dev/null
fi
