#!/usr/bin/env bash
# CI entry: prepare the machine (packages, test user, devices), then run every
# test target. Integration tests run the binary as $SKIFF_TEST_USER when root.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

if [ "$(id -u)" -eq 0 ]; then
    bash "$REPO_ROOT/contrib/setup.sh"
else
    sudo bash "$REPO_ROOT/contrib/setup.sh"
fi

# rustup installs cargo under ~/.cargo/bin, which a non-login shell may not have on PATH.
if ! command -v cargo >/dev/null 2>&1; then
    for d in "${HOME:-/root}/.cargo/bin" /root/.cargo/bin /usr/local/cargo/bin; do
        if [ -x "$d/cargo" ]; then
            PATH="$d:$PATH"
            break
        fi
    done
fi
export PATH

export SKIFF_TEST_USER=${SKIFF_TEST_USER:-skiff-test}
export RUST_BACKTRACE=${RUST_BACKTRACE:-1}
export CARGO_TERM_COLOR=never

status=0
cargo test --no-fail-fast --all-targets 2>&1 || status=$?
echo "test.sh: cargo test exited with status $status"
exit "$status"
