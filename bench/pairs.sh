#!/usr/bin/env bash
# Runs one benchmark in two checkouts back to back, alternating which goes first, ROUNDS times,
# so both see the same machine (this one is shared and noisy: compare medians and ratios).
#   bench/pairs.sh OLD_CHECKOUT NEW_CHECKOUT ROUNDS bench/actor.ts 3
# Each run's output goes to stdout under a "== <label> round <n>" line.
set -euo pipefail
old=$1 new=$2 rounds=$3
shift 3
for ((n = 1; n <= rounds; n++)); do
  if ((n % 2)); then
    (cd "$old" && echo "== old round $n" && node_modules/.bin/bun "$@")
    (cd "$new" && echo "== new round $n" && node_modules/.bin/bun "$@")
  else
    (cd "$new" && echo "== new round $n" && node_modules/.bin/bun "$@")
    (cd "$old" && echo "== old round $n" && node_modules/.bin/bun "$@")
  fi
done
