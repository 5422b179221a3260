#!/usr/bin/env bash
# Installs what Tandem needs and builds it. Safe to run again: it only does what is missing.
#   scripts/setup.sh          for running the app
#   scripts/setup.sh --test   also what the test suite needs (Chromium)
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_node
# The sandbox: bubblewrap isolates runs; nsenter (util-linux) joins HTTP-test harnesses to a
# run's network; the toolchains run candidates' code (sqlite3 backs SQL questions).
ensure_apt bubblewrap util-linux dash tar ||
  say "Continuing: code runs will be unavailable until these are installed."
ensure_apt python3 gcc g++ sqlite3 openjdk-17-jdk-headless golang-go ||
  say "Continuing: languages whose toolchain is missing are reported as unavailable."
if [ "${1:-}" = "--test" ]; then
  ensure_apt chromium
fi
ensure_npm_deps
ensure_build
