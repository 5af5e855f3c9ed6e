#!/usr/bin/env bash
# Installs what RecordKv needs to build, test and run on a fresh machine of this kind:
# nats-server and libsecp256k1 from Debian, and (with --js) the npm packages the cross-checks use.
# It installs only what is missing, and runs `apt-get update` at most once.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

want_js=0
for arg in "$@"; do
  case "$arg" in
    --js) want_js=1 ;;
    *) echo "install-deps: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

missing=()
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
ldconfig -p 2>/dev/null | grep -q 'libsecp256k1\.so\.1 ' || [ -e /usr/lib/x86_64-linux-gnu/libsecp256k1.so.1 ] || missing+=(libsecp256k1-1)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)

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
