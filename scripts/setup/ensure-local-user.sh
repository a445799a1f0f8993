#!/usr/bin/env bash
# Makes sure the local runtime has an unprivileged user to run Studio processes as.
#
# A Studios server running as root never runs a Studio's shell as root: with the local runtime
# (no Docker) it runs shells and the Studio agent as STUDIOS_LOCAL_USER (default `studios`).
# As root, this creates that user when it is missing (idempotent); otherwise it does nothing
# (the server then runs processes as its own, already unprivileged, user).
set -euo pipefail

user=${STUDIOS_LOCAL_USER:-studios}
say() { echo "studios-setup: $*"; }

if [ "$(id -u)" != 0 ]; then
  say "not root: the local runtime runs Studio processes as $(id -un)"
  exit 0
fi
if getent passwd "$user" >/dev/null; then
  say "local runtime user '$user' exists"
  exit 0
fi
command -v useradd >/dev/null || { echo "studios-setup: error: useradd is missing; create the user '$user' yourself" >&2; exit 1; }
useradd --create-home --shell /bin/bash --user-group "$user"
say "created the local runtime user '$user' (Studio processes run as it, never as root)"
