#!/usr/bin/env bash
# The first command: installs what is missing, builds, and starts Tandem.
# With no configuration it uses an embedded PostgreSQL under ./data.
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node --enable-source-maps build/server.js
