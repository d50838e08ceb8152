#!/bin/sh
# Fetches libwebp's C sources (Debian's source package, same version and security patches
# as the native libwebp-dev) into .cache/libwebp-src/libwebp-<version> for the wasm build.
# Idempotent: does nothing when the sources are already there. Needs root for apt.
set -eu

repo_root=$(cd "$(dirname "$0")/.." && pwd)
dest="$repo_root/.cache/libwebp-src"
version="${LIBWEBP_VERSION:-1.2.4}"
src_dir="$dest/libwebp-$version"

if [ -f "$src_dir/src/webp/encode.h" ] && [ -d "$src_dir/sharpyuv" ]; then
  echo "libwebp sources present: $src_dir"
  exit 0
fi

sudo_cmd=""
if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi

# A deb-src entry mirroring debian.sources (bookworm + bookworm-security), added once.
src_list=/etc/apt/sources.list.d/huabu-deb-src.sources
if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "adding deb-src entries: $src_list"
  $sudo_cmd tee "$src_list" >/dev/null <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  $sudo_cmd apt-get update
fi

command -v dpkg-source >/dev/null || $sudo_cmd apt-get install -y --no-install-recommends dpkg-dev

mkdir -p "$dest"
tmp=$(mktemp -d "$dest/.fetch.XXXXXX")
chmod 755 "$tmp"  # apt-get source drops privileges to _apt for the download
trap 'rm -rf "$tmp"' EXIT
# apt-get source unpacks into the current directory as libwebp-<upstream version>, with
# Debian's patches applied. bookworm's candidate is the version of the native libwebp-dev.
(cd "$tmp" && apt-get source libwebp)
got="$tmp/libwebp-$version"
if [ ! -d "$got" ]; then
  echo "error: apt-get source libwebp did not unpack libwebp-$version (got: $(ls "$tmp" | tr '\n' ' '))." >&2
  echo "The wasm build must use the same libwebp version as the native libwebp-dev." >&2
  exit 1
fi
rm -rf "$src_dir"
mv "$got" "$src_dir"
echo "libwebp sources ready: $src_dir"
