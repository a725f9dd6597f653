#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script).
# It installs what the tests need when it is missing, checks formatting and lints, then runs
# every test of the workspace: core rules and model tests, store, server (in-process and real
# sockets), the real binary end to end, and the web pages in headless Chromium; and the unit tests
# of the pages' shared modules in Node.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium, chromedriver, Node, axe-core and schemathesis, installed when missing.
source scripts/test-tools.sh

echo "== formatting"
cargo fmt --all --check

echo "== lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

# The page modules' tests take seconds, so they run first; like every cargo test target they all
# run even when one fails, and a failure there fails the script only after cargo's tests have
# run and said their own result.
echo "== page module tests (node --test web/common/test/)"
pages=0
node --test --test-reporter=spec web/common/test/*.test.js || pages=$?

echo "== tests"
# --no-fail-fast: every test target runs even when one fails, so one failure never hides the
# rest; cargo still exits non-zero (and so does this script) if any test failed.
cargo=0
cargo test --workspace --locked --no-fail-fast || cargo=$?

if ((pages != 0)); then
    echo "FAILED: the page module tests (node, see \"== page module tests\" above)" >&2
fi
if ((cargo != 0)); then
    echo "FAILED: cargo test" >&2
fi
if ((pages != 0 || cargo != 0)); then
    exit 1
fi
