#!/usr/bin/env bash
# The Studio firewall, by hand: install | remove | show (see apps/server/src/studios-firewall.ts).
#
# The server installs these rules itself when it starts Studios on Docker (as root) and keeps
# them in its own chains, STUDIOS-INPUT (jumped to first from INPUT) and STUDIOS-EGRESS (first
# in DOCKER-USER). `remove` deletes those chains and the jumps and nothing else; stop the server
# first, or it puts them back at the next Studio start. Reads STUDIOS_EGRESS_ALLOW like the server.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(id -u)" != 0 ]; then
  echo "studios-firewall: run as root (iptables needs it)" >&2
  exit 1
fi
exec node_modules/.bin/tsx apps/server/src/studios-firewall.ts "$@"
