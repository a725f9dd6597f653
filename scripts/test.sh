#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script).
# It installs what the tests need when it is missing, checks formatting and lints, then runs
# every test of the workspace: core rules and model tests, store, server (in-process and real
# sockets), the real binary end to end, and the web pages in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# axe-core, the accessibility rules the browser tests run on every page (pinned).
AXE_VERSION=4.14.1

echo "== browser test tools"
# Headless Chromium and chromedriver from Debian (versions always match), npm for axe-core.
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "The browser tests need the Debian packages: ${missing[*]}. Install them as root:" >&2
        echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
fi
target_dir="${CARGO_TARGET_DIR:-target}"
[[ $target_dir == /* ]] || target_dir="$(pwd)/$target_dir"
web_test="$target_dir/web-test"
axe_package="$web_test/node_modules/axe-core/package.json"
if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$axe_package"; then
    echo "installing axe-core $AXE_VERSION"
    npm install --prefix "$web_test" "axe-core@$AXE_VERSION" --save-exact --no-audit --no-fund
fi
export NUMEREK_AXE_JS="$web_test/node_modules/axe-core/axe.min.js"
dpkg-query -W chromium chromium-driver 2>/dev/null || true
echo "axe-core $AXE_VERSION: $NUMEREK_AXE_JS"

echo "== formatting"
cargo fmt --all --check

echo "== lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== tests"
cargo test --workspace --locked
