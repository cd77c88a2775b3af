#!/usr/bin/env bash
# An early ending must give the verdict the full wait gives. Against each configuration given
# (NAME:MODE of peers/, e.g. nghttpd:clear), the whole server catalogue runs twice on the same
# server: as usual, where a case waiting for an error ends once PINGs sent after the offending
# frame are answered, and with --wait-full-timeout, where it waits out its timeout. Every case's
# verdict must be the same in both runs, except the cases peers/expected/NAME-MODE.tsv lists as
# unstable (their verdict varies from run to run anyway). A case whose verdicts differ is run
# again alone, three times in each mode: when a verdict of one mode also comes up in the other,
# the server's answer varies from run to run (a race on its side, reported and not failed);
# when the two modes never share a verdict, the early ending changed it, and the test fails.
#
# Usage: tests/peers/early_ending_test.sh H2CONFORM SOURCE_DIR NAME:MODE...
# Exit 0 when every verdict matches, 1 on a difference, 77 when no configuration's server is
# installed (the test is then skipped), 2 when a server does not start.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 H2CONFORM SOURCE_DIR NAME:MODE..." >&2; exit 64; }
binary=$1 root=$2
shift 2
. "$root/scripts/lib.sh"
temp_workspace
ran=0 status=0
for config in "$@"; do
  name=${config%%:*} mode=${config##*:}
  server=$(sed -n 's/^command -v \([a-z0-9_]*\) .*/\1/p' "$root/peers/$name.sh" | head -n 1)
  if [ -n "$server" ] && ! command -v "$server" >/dev/null; then
    echo "$name $mode: $server is not installed, left out"; continue
  fi
  port=$(free_port)
  "$root/peers/$name.sh" "$port" "$mode" "$tmp/$name-$mode" >"$tmp/$name-$mode.log" 2>&1 &
  server_pid=$!
  wait_port "$port" 30 "$server_pid" || { echo "$name $mode did not start:"; cat "$tmp/$name-$mode.log"; exit 2; }
  flags=(-h 127.0.0.1 -p "$port" -S -o 2 --parallel 4)
  [ "$mode" = tls ] && flags+=(-t -k)
  for run in early full; do
    extra=()
    [ $run = full ] && extra=(--wait-full-timeout)
    start=$(date +%s%N)
    "$binary" "${flags[@]}" "${extra[@]}" --json-report "$tmp/$name-$mode-$run.json" >/dev/null || [ $? -eq 1 ]
    echo "$name $mode, $run: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  done
  ran=$((ran + 1))
  python3 - "$tmp/$name-$mode-early.json" "$tmp/$name-$mode-full.json" "$root/peers/expected/$name-$mode.tsv" \
    >"$tmp/$name-$mode-differ" <<'EOF'
import json, sys
early, full, expected = sys.argv[1:]
unstable = set()
try:
    for line in open(expected):
        parts = line.rstrip("\n").split("\t")
        if len(parts) > 1 and parts[1] == "unstable":
            unstable.add(parts[0])
except FileNotFoundError:
    pass
verdicts = [{c["id"]: (c["verdict"], c["reason"]) for c in json.load(open(f))["cases"]} for f in (early, full)]
differ = [i for i in verdicts[0] if i not in unstable and verdicts[0][i][0] != verdicts[1].get(i, ("missing",))[0]]
for i in differ:
    print(f"{i}\t{verdicts[0][i][0]} when ended early ({verdicts[0][i][1]}), "
          f"{verdicts[1].get(i, ('missing', ''))[0]} after the full wait ({verdicts[1].get(i, ('', ''))[1]})")
print(f"  {len(verdicts[0])} cases, {len(differ)} differ, {len(unstable)} unstable ones not compared", file=sys.stderr)
EOF
  while IFS=$'\t' read -r id what; do
    early_seen=() full_seen=()
    for round in 1 2 3; do
      for run in early full; do
        extra=()
        [ $run = full ] && extra=(--wait-full-timeout)
        "$binary" "${flags[@]}" "${extra[@]}" --json-report "$tmp/again.json" "$id" </dev/null >/dev/null || [ $? -eq 1 ]
        verdict=$(python3 -c 'import json,sys; print(next(c["verdict"] for c in json.load(open(sys.argv[1]))["cases"] if c["id"] == sys.argv[2]))' "$tmp/again.json" "$id")
        if [ $run = early ]; then early_seen+=("$verdict"); else full_seen+=("$verdict"); fi
      done
    done
    shared=$(comm -12 <(printf '%s\n' "${early_seen[@]}" | sort -u) <(printf '%s\n' "${full_seen[@]}" | sort -u))
    if [ -n "$shared" ]; then
      echo "  $id varies from run to run (early: ${early_seen[*]}; full: ${full_seen[*]}), not compared: $what"
    else
      echo "  $id: $what; alone, three times each: early ${early_seen[*]}, full ${full_seen[*]}"
      status=1
    fi
  done <"$tmp/$name-$mode-differ"
  stop_server
done
[ $ran -gt 0 ] || exit 77
exit $status
