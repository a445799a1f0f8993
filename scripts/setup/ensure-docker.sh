#!/usr/bin/env bash
# Makes sure a Docker engine answers on this host, for the Studio runtime.
#
# Idempotent: does nothing when `docker info` already works. Otherwise, as root
# on Debian, installs docker.io and starts dockerd in the background (it is not
# supervised by systemd in CI containers), then waits for it with a deadline.
# Anything it cannot fix is printed with the command that would fix it; exit 1.
set -euo pipefail

docker_bin=/usr/bin/docker
dockerd_log=${DOCKERD_LOG:-/var/log/dockerd.log}
deadline_s=${DOCKERD_START_TIMEOUT:-60}

say() { echo "studios-setup: $*"; }
fail() { echo "studios-setup: error: $*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }
is_debian() { [ -f /etc/debian_version ] && command -v apt-get >/dev/null; }
daemon_answers() { "$docker_bin" info >/dev/null 2>&1; }

install_engine() {
  if [ -x "$docker_bin" ] && command -v dockerd >/dev/null; then
    say "docker.io is installed ($("$docker_bin" --version))"
    return
  fi
  is_root || fail "Docker is not installed. Run as root: apt-get install -y docker.io"
  is_debian || fail "Docker is not installed and this is not Debian. Install Docker Engine (20.10 or newer) for your OS."
  say "installing docker.io (about 30 seconds)"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh image has no package lists; an old one may have stale ones: update only then.
  if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null || ! apt-get install -y -q docker.io >/dev/null; then
    say "running apt-get update"
    apt-get update -q >/dev/null
    apt-get install -y -q docker.io >/dev/null
  fi
  say "docker.io installed ($("$docker_bin" --version))"
}

start_daemon() {
  if daemon_answers; then
    say "Docker engine answers ($("$docker_bin" version -f '{{.Server.Version}}' 2>/dev/null), API $("$docker_bin" version -f '{{.Server.APIVersion}}' 2>/dev/null))"
    return
  fi
  is_root || fail "The Docker engine does not answer on /var/run/docker.sock and we are not root. Start it (e.g. 'sudo systemctl start docker') or add this user to the 'docker' group."
  # Only a live dockerd counts: one that just exited lingers as a zombie until reaped.
  if pgrep -r R,S,D -x dockerd >/dev/null; then
    say "dockerd is running but not answering yet; waiting"
  else
    say "starting dockerd in the background (log: $dockerd_log)"
    mkdir -p "$(dirname "$dockerd_log")"
    (setsid dockerd >>"$dockerd_log" 2>&1 </dev/null &)
  fi
  local waited=0
  until daemon_answers; do
    if [ "$waited" -ge "$deadline_s" ]; then
      tail -n 20 "$dockerd_log" >&2 || true
      fail "dockerd did not answer within ${deadline_s}s; see $dockerd_log"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "Docker engine answers after ${waited}s ($("$docker_bin" version -f '{{.Server.Version}}'))"
}

install_engine
start_daemon
say "docker ready"
