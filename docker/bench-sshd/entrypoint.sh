#!/bin/sh
# Starts sshd in the foreground as the Studio user: a fresh host key per container, and the one
# public key the bench passes in STUDIOS_BENCH_AUTHORIZED_KEY.
set -eu
key=/home/studio/.sshd/ssh_host_ed25519_key
[ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -f "$key"
printf '%s\n' "${STUDIOS_BENCH_AUTHORIZED_KEY:?the bench passes its public key}" >/home/studio/.ssh/authorized_keys
chmod 0600 /home/studio/.ssh/authorized_keys
exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_bench_config
