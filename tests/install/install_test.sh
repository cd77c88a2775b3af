#!/usr/bin/env bash
# The installed h2conform works on its own, from any working directory:
#   1. `cmake --install BUILD --prefix TMP/prefix`; from another folder, `--dryrun`,
#      `--dryrun --coverage` and a real run against nghttpd (peers/nghttpd.sh on a free
#      loopback port, TLS) with a JSON report; without PREFIX/share/h2conform the binary
#      must fail with exit 2 and name where its data belongs.
#   2. `cpack -G DEB`; the package's fields; `dpkg-deb -x` into a folder (the system is
#      left alone) and its /usr/bin/h2conform answers `--dryrun` from another folder.
#   tests/install/install_test.sh BUILD_DIR SOURCE_DIR
# Exit 0 passed, 1 failed, 77 skipped (nghttpd or dpkg-deb missing).
set -uo pipefail
build=$1 source=$2
. "$source/scripts/lib.sh"
command -v nghttpd >/dev/null || { echo "nghttpd is not installed: skipping"; exit 77; }
command -v dpkg-deb >/dev/null || { echo "dpkg-deb is not installed: skipping"; exit 77; }

temp_workspace
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 2

# 1. cmake --install
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "cmake --install"; }
bin="$tmp/prefix/bin/h2conform"
[ -x "$bin" ] || fail "no $bin"
for d in cases specs docs/coverage; do
  [ -d "$tmp/prefix/share/h2conform/$d" ] || fail "no share/h2conform/$d"
done
out=$("$bin" --dryrun 2>&1) || fail "installed --dryrun: $out"
grep -q "cases selected" <<<"$out" || fail "installed --dryrun printed no summary: $out"
out=$("$bin" --dryrun --coverage 2>&1) || fail "installed --dryrun --coverage: $out"
grep -q "RFC 9113" <<<"$out" || fail "installed --dryrun --coverage: no RFC 9113 line: $out"
"$bin" --help | grep -q "$source" && fail "--help shows the source path $source"
echo "installed: --dryrun and --dryrun --coverage work from another folder"

port=$(free_port) || exit 2
bash "$source/peers/nghttpd.sh" "$port" tls "$tmp/nghttpd" 2>"$tmp/nghttpd.log" &
server_pid=$!
wait_port "$port" 10 "$server_pid" || { cat "$tmp/nghttpd.log"; fail "nghttpd did not listen on 127.0.0.1:$port"; }
"$bin" -h 127.0.0.1 -p "$port" -t -k --json-report "$tmp/run.json" >"$tmp/run.out" 2>&1
status=$?
stop_server
{ [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; } || { tail -n 20 "$tmp/run.out"; fail "installed run against nghttpd exited $status"; }
grep -q '"cases"' "$tmp/run.json" || fail "the run wrote no results"
echo "installed: a run against nghttpd exited $status ($(tail -n 1 "$tmp/run.out"))"

mv "$tmp/prefix/share/h2conform" "$tmp/moved"
"$bin" --dryrun >"$tmp/missing.out" 2>&1
status=$?
[ "$status" -eq 2 ] || fail "without its data the installed binary exited $status, not 2"
grep -q "share/h2conform" "$tmp/missing.out" || fail "the error does not name share/h2conform: $(cat "$tmp/missing.out")"
echo "installed: without share/h2conform: $(cat "$tmp/missing.out")"

# 2. the Debian package
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$tmp"/pkg/h2conform_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { cat "$tmp/cpack.log"; fail "cpack wrote no h2conform_*.deb"; }
[ "$(dpkg-deb -f "$deb" Package)" = h2conform ] || fail "package name: $(dpkg-deb -f "$deb" Package)"
dpkg-deb -f "$deb" Depends | grep -q "libssl3" || fail "Depends lacks libssl3: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -f "$deb" Maintainer | grep -q "h2conform maintainers" || fail "Maintainer: $(dpkg-deb -f "$deb" Maintainer)"
dpkg-deb -x "$deb" "$tmp/deb" || fail "dpkg-deb -x"
out=$("$tmp/deb/usr/bin/h2conform" --dryrun 2>&1) || fail "packaged --dryrun: $out"
grep -q "cases selected" <<<"$out" || fail "packaged --dryrun printed no summary: $out"
echo "package: $(basename "$deb") ($(dpkg-deb -f "$deb" Version), $(du -k "$deb" | cut -f1) KiB); its binary answers --dryrun"
