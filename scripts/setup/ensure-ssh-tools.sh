#!/usr/bin/env bash
# Makes sure the real OpenSSH tools are installed for the SSH gateway's tests and bench: the
# client (ssh, sftp, scp, ssh-keygen) and sftp-server (the local runtime's sftp subsystem; Docker
# Studios have their own in the image).
set -euo pipefail
missing=()
command -v ssh >/dev/null && command -v sftp >/dev/null && command -v scp >/dev/null \
  && command -v ssh-keygen >/dev/null || missing+=(openssh-client)
[ -x /usr/lib/openssh/sftp-server ] || missing+=(openssh-sftp-server)
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: OpenSSH client and sftp-server present"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing Debian's ${missing[*]} (apt-get install)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/tmp/studios-apt-ssh.log 2>&1; then
    apt-get update -q >/tmp/studios-apt-update.log 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/tmp/studios-apt-ssh.log 2>&1
  fi
  exit 0
fi
echo "setup: error: ${missing[*]} missing. Install as root with 'apt-get install -y ${missing[*]}'." >&2
exit 1
