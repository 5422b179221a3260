#!/usr/bin/env bash
# Installs what Tandem needs and builds it. Safe to run again: it only does what is missing.
#   scripts/setup.sh          for running the app
#   scripts/setup.sh --test   also what the test suite needs (Chromium)
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_node
# bubblewrap and the toolchains run candidates' code; sqlite3 backs SQL questions.
ensure_apt bubblewrap sqlite3 || say "Continuing: code runs will be unavailable until these are installed."
if [ "${1:-}" = "--test" ]; then
  ensure_apt chromium
fi
ensure_npm_deps
ensure_build
