#!/usr/bin/env bash
# Fetches and unpacks nghttp2's source package into DIR (default build-fuzz/nghttp2-source) with
# `apt-get source`, and prints the unpacked tree's path on its last line. The nghttp2_* baseline
# fuzzers compile that tree's lib/*.c, unmodified, with the same fuzzing flags as ours
# (-DH2CONFORM_NGHTTP2_SOURCE=PATH, see fuzzers/README.md); nghttp2 is under the MIT licence.
#
# The version is the source version of the installed libnghttp2-dev when the archive still has
# it (Debian 12: 1.52.0-1+deb12u*), otherwise the archive's current one. On Debian, apt reads a
# private list of deb-src lines for this release (deb.debian.org, main and security) with its
# own state under DIR, so neither root nor deb-src lines in /etc/apt are needed; elsewhere the
# system's deb-src lines are used. A tree already in DIR is reused. Needs apt-get and dpkg-source
# (dpkg-dev). Every download is bounded by NGHTTP2_SOURCE_TIMEOUT seconds (default 600).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build-fuzz/nghttp2-source}
limit=${NGHTTP2_SOURCE_TIMEOUT:-600}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

found() {
  local t
  for t in "$dir"/nghttp2-*/; do
    if [ -f "$t/lib/nghttp2_session.c" ] && [ -f "$t/lib/includes/nghttp2/nghttp2ver.h.in" ]; then
      echo "${t%/}"
      return 0
    fi
  done
  return 1
}
if tree=$(found); then
  echo "$tree"
  exit 0
fi

command -v apt-get >/dev/null && command -v dpkg-source >/dev/null || {
  echo "nghttp2-source: needs apt-get and dpkg-source (dpkg-dev)" >&2
  exit 1
}
apt=(apt-get -q -o "APT::Sandbox::User=$(id -un)")
id=$(. /etc/os-release 2>/dev/null && echo "${ID:-}")
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
if [ "$id" = debian ] && [ -n "$codename" ]; then
  state="$dir/apt"
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/parts"
  cat > "$state/sources.list" <<EOF
deb-src http://deb.debian.org/debian $codename main
deb-src http://deb.debian.org/debian-security $codename-security main
EOF
  apt+=(-o "Dir::Etc::SourceList=$state/sources.list" -o "Dir::Etc::SourceParts=$state/parts"
        -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache")
  timeout "$limit" "${apt[@]}" update >&2
fi

version=$(dpkg-query -W -f='${source:Version}' libnghttp2-dev 2>/dev/null || true)
cd "$dir"
if [ -z "$version" ] || ! timeout "$limit" "${apt[@]}" source "nghttp2=$version" >&2; then
  timeout "$limit" "${apt[@]}" source nghttp2 >&2
fi
if tree=$(found); then
  echo "$tree"
else
  echo "nghttp2-source: no nghttp2 tree in $dir after apt-get source" >&2
  exit 1
fi
