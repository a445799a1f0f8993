#!/usr/bin/env bash
# Makes sure the Studio images exist (studios/base:latest), building them
# offline when needed: see docker/build-images.sh. Needs a running engine
# (scripts/setup/ensure-docker.sh) and, for a first build, debootstrap + zstd.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

say() { echo "studios-setup: $*"; }
fail() { echo "studios-setup: error: $*" >&2; exit 1; }

ensure_tools() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v zstd >/dev/null || missing+=(zstd)
  if [ "${#missing[@]}" -eq 0 ]; then
    say "debootstrap and zstd present"
    return
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    fail "missing ${missing[*]}: install them (apt-get install -y ${missing[*]}) and run again"
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q "${missing[@]}" >/dev/null; then
    apt-get update -q >/dev/null
    apt-get install -y -q "${missing[@]}" >/dev/null
  fi
}

/usr/bin/docker info >/dev/null 2>&1 || fail "the Docker engine does not answer: run scripts/setup/ensure-docker.sh first"
ensure_tools
say "building Studio images"
"$repo/docker/build-images.sh"
say "images ready"
