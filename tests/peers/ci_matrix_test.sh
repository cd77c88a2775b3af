#!/usr/bin/env bash
# ci/matrix against nghttpd (both modes) and, when installed, Varnish (cleartext only: its
# recipe says TLS is not supported): every run's results JSON, the matrix page and a Markdown
# row per supported configuration with numbers in every count column.
#   tests/peers/ci_matrix_test.sh SOURCE_DIR H2CONFORM_BINARY
# Exit 0 as described, 1 otherwise, 77 nghttpd is not installed.
set -uo pipefail
source_dir=$1 binary=$2
. "$source_dir/scripts/lib.sh"
command -v nghttpd >/dev/null || { echo "nghttpd is not installed: skipping"; exit 77; }
temp_workspace
recipes=(nghttpd)
command -v varnishd >/dev/null && recipes+=(varnish)
# Only the generic group (H2CONFORM_ARGS reaches h2conform): the rows, not the verdicts, are
# under test here.
H2CONFORM=$binary H2CONFORM_ARGS=generic bash "$source_dir/ci/matrix" "$tmp/out" "${recipes[@]}" >"$tmp/table" 2>"$tmp/err"
code=$?
failed=0
fail() { echo "FAIL: $*"; failed=1; }
[ "$code" -eq 0 ] || fail "ci/matrix exited $code: $(cat "$tmp/err")"
row='^| %s | [^|]+ | %s | [0-9]+ | [0-9]+ | [0-9]+ | [0-9]+ | [0-9]+ | [0-9]+ | [0-9]+\.[0-9] s |$'
expect_row() {
  # shellcheck disable=SC2059
  grep -Eq "$(printf "$row" "$1" "$2")" "$tmp/table" || fail "no row for $1 $2 in the table"
  [ -s "$tmp/out/$1-$2.json" ] || fail "no results file $1-$2.json"
}
expect_row nghttpd clear
expect_row nghttpd tls
if [[ " ${recipes[*]} " == *" varnish "* ]]; then
  expect_row varnish clear
  grep -q '| varnish | [^|]* | tls |' "$tmp/table" && fail "a row for varnish tls, which is not supported"
  grep -q 'varnish tls: not supported' "$tmp/err" || fail "no note that varnish tls is not supported"
fi
# nghttpd passes most of the generic group over cleartext; every count is of that group only.
pass=$(sed -n 's/^| nghttpd | [^|]* | clear | \([0-9]*\) .*/\1/p' "$tmp/table")
generic=$("$binary" list generic | grep -c "MUST")  # merged cases answer to their old generic ids too
[ "${pass:-0}" -gt $((generic / 2)) ] || fail "nghttpd clear passed ${pass:-no} of $generic generic cases"
total=$(sed -n 's/^| nghttpd | [^|]* | clear | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) .*/\1+\2+\3+\4+\5+\6/p' "$tmp/table")
[ "$((total))" -eq "$generic" ] || fail "nghttpd clear counts add up to $((total)), not the $generic generic cases"
[ -s "$tmp/out/matrix.html" ] || fail "no matrix.html"
cmp -s "$tmp/table" "$tmp/out/matrix.md" || fail "matrix.md is not the printed table"
cat "$tmp/table"
[ "$failed" -eq 0 ]
