#!/usr/bin/env bash
# The second command: every test (unit, integration, security, end-to-end).
# Ends with a line "tests: N passed, N failed".
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
set +e
mkdir -p .test-results
rm -f .test-results/*.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/main.json
main=$?
npx vitest run --config sandbox/vitest.config.ts --reporter=default --reporter=json --outputFile.json=.test-results/sandbox.json
sandbox=$?
npx vitest run --config tests/e2e/vitest.config.ts --reporter=default --reporter=json --outputFile.json=.test-results/e2e.json
e2e=$?
node scripts/test-summary.mjs .test-results/main.json .test-results/sandbox.json .test-results/e2e.json
summary=$?
[ $main -eq 0 ] && [ $sandbox -eq 0 ] && [ $e2e -eq 0 ] && [ $summary -eq 0 ]
