#!/usr/bin/env bash
# `make demo`: the eleven functions answering real Connect events on this machine, with
# no AWS account and no Salesforce org: one event per operation, fourteen in all (sf-lookup
# also answers lookup_all, sf-search and sf-search-one a SOSL statement).
#
# Starts the local Salesforce sandbox (crates/sf-sandbox) with its sample org, runs the
# functions under `cargo lambda watch` (the Lambda Runtime API emulator), invokes each
# with its event from events/, prints the answers, and stops everything it started.
# Exits non-zero if any function fails.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "==> building the functions and the sandbox"
cargo build --quiet --workspace --bins

# Cargo's target directory, wherever CARGO_TARGET_DIR or a cargo config puts it.
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

echo "==> starting the Salesforce sandbox"
"$target_dir/debug/sf-sandbox" --port 0 >"$work/sandbox.out" 2>"$work/sandbox.err" &
pids+=($!)
for _ in $(seq 1 100); do
  [ -s "$work/sandbox.out" ] && break
  sleep 0.1
done
sandbox_url=$(head -n 1 "$work/sandbox.out")
case "$sandbox_url" in
  http://127.0.0.1:*) echo "    $sandbox_url" ;;
  *) echo "the sandbox did not start:" >&2; cat "$work/sandbox.err" >&2; exit 1 ;;
esac

# The sandbox's default connected app, through the client credentials flow.
cat >"$work/functions.env" <<ENV
SF_LOGIN_URL=$sandbox_url
SF_CREDENTIALS='{"ConsumerKey":"sandbox-consumer-key","ConsumerSecret":"sandbox-consumer-secret"}'
RUST_LOG=info
ENV

port=$(free_port)
echo "==> starting cargo lambda watch on port $port"
cargo lambda watch --quiet --ignore-changes --invoke-address 127.0.0.1 --invoke-port "$port" \
  --env-file "$work/functions.env" >"$work/watch.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
  (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

failures=0
for pair in \
  sf-lookup:lookup sf-lookup:lookup_all sf-create:create sf-update:update sf-phone-lookup:phoneLookup \
  sf-delete:delete sf-query:query sf-query-one:queryOne \
  sf-create-chatter-post:createChatterPost sf-create-chatter-comment:createChatterComment \
  sf-search:search sf-search-one:searchOne sf-search:searchSOSL sf-search-one:searchOneSOSL; do
  function=${pair%%:*}
  event=events/${pair#*:}.json
  echo
  echo "==> $function  ($event)"
  if answer=$(cargo lambda invoke "$function" --invoke-address 127.0.0.1 --invoke-port "$port" \
      --data-file "$event" --output-format json 2>&1); then
    echo "$answer"
  else
    echo "FAILED: $answer"
    failures=$((failures + 1))
  fi
done

echo
if [ "$failures" -ne 0 ]; then
  echo "$failures of 14 events failed; the functions' log follows" >&2
  cat "$work/watch.log" >&2
  exit 1
fi
echo "All 11 functions answered their 14 events."
