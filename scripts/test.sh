#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script).
# It installs what the tests need when it is missing, checks formatting and lints, then runs
# every test of the workspace: core rules and model tests, store, server (in-process and real
# sockets), the real binary end to end, and the web pages in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium, chromedriver, axe-core and schemathesis, installed when missing.
source scripts/test-tools.sh

echo "== formatting"
cargo fmt --all --check

echo "== lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== tests"
# --no-fail-fast: every test target runs even when one fails, so one failure never hides the
# rest; cargo still exits non-zero (and so does this script) if any test failed.
cargo test --workspace --locked --no-fail-fast
