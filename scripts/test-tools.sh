# What the tests need besides cargo, installed when missing: headless Chromium and chromedriver
# (Debian packages), Node for the page modules' unit tests (Debian's `nodejs`), axe-core (npm)
# and schemathesis (PyPI, in a virtualenv). Sourced by
# scripts/test.sh and scripts/screenshots.sh from the repository root; exports NUMEREK_AXE_JS
# and NUMEREK_SCHEMATHESIS, which the tests read, and sets target_dir (the cargo target
# directory, CARGO_TARGET_DIR or ./target, as an absolute path).

# axe-core, the accessibility rules the browser tests run on every page (pinned).
AXE_VERSION=4.14.1
# schemathesis, the property-based fuzzer crates/numerek/tests/it/hostile.rs runs over the API's
# OpenAPI document (pinned; from PyPI into a virtualenv under the cargo target directory).
SCHEMATHESIS_VERSION=4.32.5

echo "== test tools"
# Headless Chromium and chromedriver from Debian (versions always match), Node for
# `node --test`, npm for axe-core, Python for schemathesis.
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
# Python with venv and pip (ensurepip), for schemathesis.
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3 python3-venv)
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "The tests need the Debian packages: ${missing[*]}. Install them as root:" >&2
        echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
fi
# The page tests use node:test as Node 18.19 has it (Debian 12's own Node is 18.20).
if ! node -e 'const [major, minor] = process.versions.node.split(".").map(Number);
              process.exit(major > 18 || (major === 18 && minor >= 19) ? 0 : 1)'; then
    echo "The page tests need Node 18.19 or later; this is Node $(node --version)." >&2
    exit 1
fi
echo "node $(node --version)"
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

echo "== API fuzz tool"
fuzz_venv="$target_dir/fuzz-venv"
export NUMEREK_SCHEMATHESIS="$fuzz_venv/bin/schemathesis"
# Asked to run, not looked up: a virtualenv moved with its target directory keeps its old paths
# in its scripts and must be made again.
if ! "$NUMEREK_SCHEMATHESIS" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    echo "installing schemathesis $SCHEMATHESIS_VERSION"
    python3 -m venv --clear "$fuzz_venv"
    "$fuzz_venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION"
fi
echo "schemathesis $SCHEMATHESIS_VERSION: $NUMEREK_SCHEMATHESIS"
