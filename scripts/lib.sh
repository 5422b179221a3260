# Shared by the project's scripts: idempotent installs of what is missing.
set -euo pipefail

say() { printf '\033[1m[tandem]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1
  fi
}

# ensure_apt PACKAGE... : installs the Debian packages that are not installed yet.
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    say "Please install these packages with your system's package manager: ${missing[*]}"
    return 1
  fi
  say "Installing ${missing[*]} with apt-get"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
     ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    say "Could not install them. Run as root: apt-get update && apt-get install -y ${missing[*]}"
    return 1
  fi
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    say "Node.js 20.19 or newer (with npm) is required. Install it from https://nodejs.org or your distribution (Debian: the nodejs package from NodeSource), then run this again."
    exit 1
  fi
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
    say "Node.js $(node -v) is too old: Tandem needs 20.19 or newer (22 and 24 work too)."
    exit 1
  fi
}

# Installs npm dependencies when node_modules is missing or older than the lockfile.
ensure_npm_deps() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "Installing npm dependencies"
    # npm 11 refuses `npm ci` when the lockfile lacks other platforms' optional
    # binaries (npm/cli#4828); `npm install` honours the locked versions and fills them in.
    npm ci --no-audit --no-fund || npm install --no-audit --no-fund
  fi
}

# Builds the app when build/ is missing or any source is newer than it.
ensure_build() {
  if [ -f build/handler.js ] && [ -f build/server.js ] && [ -f build/doc-worker.js ] && [ -z "$(find src static drizzle sandbox realtime interviewer server.ts svelte.config.js vite.config.ts package-lock.json scripts/build-server.mjs -newer build/server.js -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  say "Building the app"
  local log
  log=$(mktemp)
  # Quiet on success (dependencies' bundler warnings are noise); the whole log on failure.
  if ! npm run -s build >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    say "The build failed."
    return 1
  fi
  rm -f "$log"
}
