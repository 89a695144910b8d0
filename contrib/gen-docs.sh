#!/usr/bin/env bash
# Regenerates the shipped shell completions (contrib/completions/) and man
# pages (docs/man/) from the CLI definition. Run after changing any flag;
# tests/shipped_docs.rs fails while they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/skiff
"$bin" completion bash > contrib/completions/skiff.bash
"$bin" completion zsh > contrib/completions/_skiff
"$bin" completion fish > contrib/completions/skiff.fish
rm -rf docs/man && "$bin" generate-man docs/man
echo "regenerated contrib/completions and docs/man"
