#!/usr/bin/env bash
# Builds the run base image hbroker-run-base:<content hash> without a registry; prints its tag.
#
# debootstrap makes a Debian root, `docker import` turns it into hbroker-debian:bookworm, and
# `docker build` puts Python, nbclient and the runner on top. The tag is a hash of the files that
# go into the image, so an unchanged image is never rebuilt. Progress lines go to stderr.
set -euo pipefail

cd "$(dirname "$0")/.."
STATE=.hbroker
LOG=$STATE/base-image.log
DEBIAN_IMAGE=hbroker-debian:bookworm
ROOTFS=.cache/debootstrap-bookworm
mkdir -p "$STATE" .cache

say() { echo "${HBROKER_LOG_PREFIX:-base-image}: $*" >&2; }

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# Run a command with its chatter in the log; on failure show the end of the log.
logged() {
  echo "--- $(date -u +%FT%TZ) $*" >>"$LOG"
  if ! "$@" >>"$LOG" 2>&1; then
    say "failed: $*; last lines of $LOG:"
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}

# The files that make the image (caches and tests excluded): their paths and contents decide the tag.
image_files() {
  find base-image hub-service/runner -type f \
    ! -path '*/__pycache__/*' ! -path '*/.pytest_cache/*' ! -name '*.pyc' ! -name 'test_*.py' |
    LC_ALL=C sort
}

content_hash() {
  local f
  image_files | while read -r f; do
    printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -d' ' -f1)"
  done | sha256sum | cut -c1-12
}

# debootstrap mounts /proc and /sys inside its target; an interrupted run can leave them mounted.
remove_rootfs() {
  local dir m
  [[ -e $ROOTFS ]] || return 0
  dir=$(realpath "$ROOTFS")
  while read -r m; do
    as_root umount -l "$m" || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  as_root rm -rf --one-file-system "$ROOTFS"
}

import_debian() {
  remove_rootfs
  trap remove_rootfs EXIT
  logged as_root debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian
  # Leave out the .debs and package lists debootstrap keeps: the build fetches fresh lists anyway.
  logged as_root bash -o pipefail -c "tar -C '$ROOTFS' --numeric-owner \
    --exclude='./var/cache/apt/archives/*.deb' --exclude='./var/cache/apt/*.bin' \
    --exclude='./var/lib/apt/lists/*_*' -c . | docker import - '$DEBIAN_IMAGE'"
  remove_rootfs
  trap - EXIT
  say "imported $DEBIAN_IMAGE (debootstrap minbase)"
}

# The build context holds exactly the hashed files, laid out as the Dockerfile expects.
make_context() {
  local ctx=$1 f
  mkdir -p "$ctx/runner" "$ctx/extra-ca"
  image_files | while read -r f; do
    case $f in
      base-image/*) cp "$f" "$ctx/${f#base-image/}" ;;
      hub-service/runner/*) cp "$f" "$ctx/runner/${f#hub-service/runner/}" ;;
    esac
  done
  if [[ -d /usr/local/share/ca-certificates ]]; then
    find /usr/local/share/ca-certificates -name '*.crt' -type f -exec cp {} "$ctx/extra-ca/" \;
  fi
}

main() {
  local hash tag
  if ! docker info >/dev/null 2>&1; then
    say "Docker does not answer; run scripts/setup.sh first"
    exit 1
  fi
  hash=$(content_hash)
  tag=hbroker-run-base:$hash
  if ! docker image inspect "$tag" >/dev/null 2>&1; then
    docker image inspect "$DEBIAN_IMAGE" >/dev/null 2>&1 || import_debian
    CONTEXT=$(mktemp -d)
    trap 'rm -rf "$CONTEXT"' EXIT
    make_context "$CONTEXT"
    # The classic builder: it ships with every Docker engine and needs no buildx plugin.
    logged env DOCKER_BUILDKIT=0 docker build --label "org.hbroker.base-hash=$hash" -t "$tag" "$CONTEXT"
    rm -rf "$CONTEXT"
    trap - EXIT
    say "built base image $tag"
  fi
  echo "$tag" >"$STATE/base-image-tag"
  echo "$tag"
}

main "$@"
