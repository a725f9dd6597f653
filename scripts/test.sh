#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script).
# It installs what the tests need when it is missing, checks formatting and lints, then runs
# every test of the workspace: core rules and model tests, store, server (in-process and real
# sockets), and the real binary end to end.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== formatting"
cargo fmt --all --check

echo "== lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== tests"
cargo test --workspace --locked
