#!/usr/bin/env bash
# The CI templates work as copied, from a fresh copy of the repository with nothing beside it:
#   1. Copy the tracked files (git ls-files) into TMP/clone/h2conform; TMP/clone holds nothing
#      else. Configure it with H2CONFORM_BUILD_TESTS=OFF and GoogleTest hidden, as the
#      templates' `scripts/build.sh --binary-only` does (configure only: a second full build
#      would cost minutes).
#   2. Put the binary of this build tree into the copy's build tree at the same place and
#      check that it reads the copy's data: a case file removed from the copy is missing
#      from its `list`.
#   3. From a stand-in for the user's project, run the copy's ci/run-against.sh with the
#      H2CONFORM_ARGS and flags both templates use (only the port and the server command,
#      nghttpd over TLS, differ): the first run writes the baseline and exits 0, the second
#      compares with it; the JSON, JUnit and HTML reports are written.
#   tests/install/ci_template_test.sh BUILD_DIR SOURCE_DIR
# Exit 0 passed, 1 failed, 77 skipped (no git checkout, nghttpd missing, or a build tree
# outside the source tree).
set -uo pipefail
build=$(cd "$1" && pwd -P) source=$(cd "$2" && pwd -P)
. "$source/scripts/lib.sh"
command -v nghttpd >/dev/null || { echo "nghttpd is not installed: skipping"; exit 77; }
git -C "$source" rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "$source is not a git checkout: skipping"; exit 77; }
case $build in
  "$source"/*) build_rel=${build#"$source"/} ;;
  *) echo "the build tree is outside the source tree: skipping"; exit 77 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1. A fresh copy, configured without tests.
copy="$tmp/clone/h2conform"
mkdir -p "$copy"
(cd "$source" && git ls-files -z | xargs -0 cp --parents -t "$copy") || fail "copying the tracked files"
[ "$(ls "$tmp/clone")" = h2conform ] || fail "the copy's parent holds more than the copy"
# (The pattern is split so that this file does not match it.)
grep -rlE '\.\./sha''red|SHA''RED_DIR' "$copy" --include='*.txt' --include='*.cmake' --include='*.cc' \
  --include='*.h' --include='*.sh' --include='*.py' --include='*.md' --include='*.yml' && fail "references to a folder beside the checkout"
cmake -S "$copy" -B "$tmp/build-off" -G Ninja -DH2CONFORM_BUILD_TESTS=OFF \
  -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; fail "configure with H2CONFORM_BUILD_TESTS=OFF"; }
grep -q "^runner/cli/h2conform:" <(ninja -C "$tmp/build-off" -t targets all 2>/dev/null) || fail "no h2conform target"
ninja -C "$tmp/build-off" -t targets all | grep -qE '^[a-z_]+_test:' && fail "test targets with H2CONFORM_BUILD_TESTS=OFF"
echo "fresh copy: configures with H2CONFORM_BUILD_TESTS=OFF and without GoogleTest"

# 2. The binary in the copy's build tree reads the copy's data.
bin="$copy/$build_rel/runner/cli/h2conform"
mkdir -p "$(dirname "$bin")" && cp "$build/runner/cli/h2conform" "$bin" || fail "placing the binary"
removed=$(cd "$copy" && git -C "$source" ls-files cases | grep '\.json$' | head -n 1)
rm "$copy/$removed"
mkdir -p "$tmp/project" && cd "$tmp/project" || exit 2
full=$("$build/runner/cli/h2conform" list | wc -l)
mine=$("$bin" list) || fail "the copy's binary: list failed: $mine"
[ "$(wc -l <<<"$mine")" -lt "$full" ] || fail "the copy's binary lists $full cases: it did not read the copy's cases/"
echo "fresh copy: its binary reads its own cases/ and specs/ ($(wc -l <<<"$mine") of $full cases, $removed removed)"

# 3. run-against.sh as the templates call it.
args_gh=$(sed -n 's/^ *H2CONFORM_ARGS: //p' "$copy/ci/github-actions.yml")
args_gl=$(sed -n 's/^ *H2CONFORM_ARGS: //p' "$copy/ci/gitlab-ci.yml")
call='s|.*/opt/h2conform/ci/run-against.sh \(.*\) -- ./server --port 8443$|\1|p'
flags_gh=$(sed -n "$call" "$copy/ci/github-actions.yml")
flags_gl=$(sed -n "$call" "$copy/ci/gitlab-ci.yml")
[ -n "$args_gh" ] && [ "$args_gh" = "$args_gl" ] || fail "H2CONFORM_ARGS differ or are missing: '$args_gh' / '$args_gl'"
[ -n "$flags_gh" ] && [ "$flags_gh" = "$flags_gl" ] || fail "run-against.sh flags differ or are missing: '$flags_gh' / '$flags_gl'"
grep -q -- "--port 8443" <<<"$flags_gh" || fail "no --port 8443 in '$flags_gh'"
run_template() {
  local port
  port=$(free_port) || exit 2
  # shellcheck disable=SC2086
  H2CONFORM_ARGS=$args_gh "$copy/ci/run-against.sh" ${flags_gh//8443/$port} -- \
    bash "$copy/peers/nghttpd.sh" "$port" tls "$tmp/server" >"$tmp/out" 2>"$tmp/err"
}
run_template
status=$?
[ "$status" -eq 0 ] || { cat "$tmp/err"; tail -n 5 "$tmp/out"; fail "first run exited $status, not 0"; }
[ -f h2conform-known-failures.txt ] || fail "the first run wrote no baseline"
grep -q "commit h2conform-known-failures.txt" "$tmp/err" || fail "the first run did not say to commit the baseline: $(cat "$tmp/err")"
for f in h2conform.json h2conform-junit.xml h2conform.html; do [ -s "$f" ] || fail "no $f"; done
echo "first run: exit 0; $(grep -v '^#' h2conform-known-failures.txt | wc -l) known failures written"
rm -f h2conform.json h2conform-junit.xml h2conform.html
run_template
status=$?
[ "$status" -eq 0 ] || { cat "$tmp/err"; tail -n 5 "$tmp/out"; fail "second run (with the baseline) exited $status, not 0"; }
for f in h2conform.json h2conform-junit.xml h2conform.html; do [ -s "$f" ] || fail "second run: no $f"; done
if grep -qv '^#' h2conform-known-failures.txt; then
  grep -q 'known_failure' h2conform-junit.xml || fail "the JUnit of the second run marks no known failure"
fi
echo "second run: exit 0 against the baseline ($(tail -n 1 "$tmp/out"))"
