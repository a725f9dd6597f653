#!/usr/bin/env bash
# Refreshes the pictures in docs/screenshots/ (shown by the README and docs/devices.md).
#
# The browser tests photograph every page as they check it, into the cargo target directory
# (target/tmp/screenshots), so a test run never changes a tracked file. This script runs those
# tests and copies their pictures into docs/screenshots/; commit the result when the pages
# changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium, chromedriver and axe-core, installed when missing (as for ./scripts/test.sh).
source scripts/test-tools.sh

# The pictures, and the tests that take them.
pictures=(
    index.png
    kiosk.png
    kiosk-ticket.png
    kiosk-print-80mm.png
    kiosk-print-58mm.png
    display.png
    counter.png
    ticket.png
    reports.png
    counter-top-1280x800.png
    feedback-tablet.png
    kiosk-info.png
    kiosk-print-bring-80mm.png
    ticket-rating.png
    book-phone.png
    book-desktop.png
    kiosk-checkin.png
    kiosk-checkin-ticket.png
    counter-appointments.png
)
# (modules of the browser test binary, crates/numerek/tests/browser/)
tests=(smoke:: kiosk:: display:: counter:: reports:: counter_side:: information:: booking:: checkin::)

# Where the tests put them: `screenshots/` in cargo's directory for integration tests' files
# (CARGO_TARGET_TMPDIR, which is `tmp/` in the target directory).
shots="$target_dir/tmp/screenshots"
rm -rf "$shots"

echo "== browser tests"
cargo test --locked -p numerek --test browser -- "${tests[@]}"

echo "== docs/screenshots"
for picture in "${pictures[@]}"; do
    if [[ ! -s "$shots/$picture" ]]; then
        echo "the tests took no $picture (in $shots)" >&2
        exit 1
    fi
    cp "$shots/$picture" "docs/screenshots/$picture"
done
git status --short -- docs/screenshots 2>/dev/null || true
