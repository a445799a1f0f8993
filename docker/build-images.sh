#!/usr/bin/env bash
# Builds the Studio images without a container registry.
#
# When the Dockerfile's FROM image (debian:bookworm) is missing and cannot be
# pulled, a minimal Debian root filesystem is debootstrapped and imported under
# that tag. The rootfs is cached (zstd) outside the repository so the next run
# on the same machine re-imports it in ~20 s instead of ~2 min.
#
# Progress lines start with "studios-build:" so callers can relay them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
docker_bin=${DOCKER_BIN:-/usr/bin/docker}
[ -x "$docker_bin" ] || docker_bin=$(command -v docker)
cache_dir=${STUDIOS_IMAGE_CACHE:-/var/cache/studios}
base_from=debian:bookworm
base_tag=${STUDIOS_BASE_IMAGE:-studios/base:latest}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

say() { echo "studios-build: $*"; }

ensure_from_image() {
  if "$docker_bin" image inspect "$base_from" >/dev/null 2>&1; then
    say "step 1/3 $base_from present"
    return
  fi
  if timeout 20 "$docker_bin" pull "$base_from" >/dev/null 2>&1; then
    say "step 1/3 pulled $base_from"
    return
  fi
  local cached="$cache_dir/rootfs-bookworm-minbase.tar.zst"
  if [ ! -s "$cached" ]; then
    command -v debootstrap >/dev/null && command -v zstd >/dev/null || {
      echo "studios-build: error: debootstrap and zstd are needed (apt-get install -y debootstrap zstd)" >&2
      exit 1
    }
    say "step 1/3 debootstrapping Debian bookworm (about 2 minutes)"
    local root
    root=$(mktemp -d /var/tmp/studios-rootfs.XXXXXX)
    trap 'rm -rf "$root"' EXIT
    debootstrap --variant=minbase bookworm "$root" "$mirror" >/var/tmp/studios-debootstrap.log 2>&1 || {
      echo "studios-build: error: debootstrap failed, see /var/tmp/studios-debootstrap.log" >&2
      exit 1
    }
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
      "$mirror" "$mirror" >"$root/etc/apt/sources.list"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
    mkdir -p "$cache_dir"
    tar --numeric-owner -C "$root" -c . | zstd -q -T2 -3 -o "$cached.tmp"
    mv "$cached.tmp" "$cached"
    rm -rf "$root"
    trap - EXIT
  fi
  say "step 1/3 importing cached rootfs as $base_from"
  zstd -q -dc "$cached" | "$docker_bin" import -c 'ENV LANG=C.UTF-8' -c 'CMD ["bash"]' - "$base_from" >/dev/null
}

build_base() {
  local digest
  digest=$(sha256sum "$here/base/Dockerfile" | cut -c1-12)
  if [ "$("$docker_bin" image inspect -f '{{index .Config.Labels "io.studios.dockerfile"}}' "$base_tag" 2>/dev/null || true)" = "$digest" ]; then
    say "step 2/3 $base_tag is up to date ($digest)"
    return
  fi
  say "step 2/3 building $base_tag (installs python3, ipykernel, numpy, matplotlib, git; about 2-3 minutes)"
  DOCKER_BUILDKIT=0 "$docker_bin" build -q --label "io.studios.dockerfile=$digest" -t "$base_tag" "$here/base" >/dev/null
}

ensure_from_image
build_base
say "step 3/3 done: $base_tag"
