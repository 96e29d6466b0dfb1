#!/bin/sh
# run-cases.sh — run an example once per line of a cases file and compare
# what it did with the expected transcript.
#
#   run-cases.sh [--show FILE] PROGRAM CASES EXPECTED
#
# Every line of CASES but blank lines and '#' comments is one run: the
# example's name, then its arguments as the shell reads them; $DATA is the
# directory CASES is in.  The transcript has for each run "$ LINE", the
# standard output, the standard error with "2> " before each line,
# "[exit N]" when the status is not 0, and with --show the contents of
# FILE after "--- FILE".  $DATA's path is written as $DATA.  Each run has a
# fresh scratch directory (under the current one) as its working
# directory, so that concurrent tests do not share files.  A difference
# is printed as a unified diff and fails.
set -eu

show=
if [ "${1-}" = --show ]; then
  show=$2
  shift 2
fi
[ $# -eq 3 ] || { echo "usage: $0 [--show FILE] PROGRAM CASES EXPECTED" >&2; exit 2; }
program=$1 cases=$2 expected=$3
program=$(cd "$(dirname "$program")" && pwd)/$(basename "$program")
DATA=$(cd "$(dirname "$cases")" && pwd)

actual=$(mktemp) stderr=$(mktemp) scratch=$(mktemp -d "${PWD}/run-cases.XXXXXX")
trap 'rm -rf "$actual" "$stderr" "$scratch"' EXIT

while IFS= read -r line; do
  case $line in '' | '#'*) continue ;; esac
  eval "set -- $line"
  shift
  echo "\$ $line"
  rm -rf "$scratch" && mkdir "$scratch"
  status=0
  (cd "$scratch" && exec "$program" "$@") </dev/null 2>"$stderr" || status=$?
  sed 's/^/2> /' "$stderr"
  [ "$status" -eq 0 ] || echo "[exit $status]"
  if [ -n "$show" ] && [ -f "$scratch/$show" ]; then
    echo "--- $show"
    cat "$scratch/$show"
  fi
done <"$cases" | awk -v data="$DATA" '{
  out = ""
  while ((i = index($0, data)) > 0) {
    out = out substr($0, 1, i - 1) "$DATA"
    $0 = substr($0, i + length(data))
  }
  print out $0
}' >"$actual"

diff -u "$expected" "$actual"
