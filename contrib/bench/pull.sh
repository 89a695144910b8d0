#!/usr/bin/env bash
# Pull benchmark: skiff vs Podman, rootless, same local registry, image
# removed before every run. Prints medians and the skiff/podman ratio.
#   sudo contrib/bench/pull.sh            (RUNS=N to change the run count)
. "$(dirname "$0")/common.sh"

prepare_skiff
start_registry
make_image busybox:latest "$(busybox_rootfs)"
make_image debian:bookworm "$(debian_rootfs)"

echo "skiff $("$SKIFF" --version | awk '{print $2}'), $(podman --version), $RUNS runs each, registry $REG"
printf '%-18s %12s %12s %8s\n' image "skiff (ms)" "podman (ms)" ratio
for img in busybox:latest debian:bookworm; do
    ref="$REG/bench/$img"
    as_user hyperfine --runs "$RUNS" --warmup 1 --export-json "$RESULTS/pull-${img%%:*}.json" --style none \
        --prepare "$SKIFF rmi -f $ref >/dev/null 2>&1; $SKIFF image prune -a -f >/dev/null 2>&1; true" \
        "$SKIFF pull -q $ref" \
        --prepare "podman rmi -f $ref >/dev/null 2>&1; true" \
        "podman pull -q --tls-verify=false $ref" >/dev/null
    s=$(median_ms "$RESULTS/pull-${img%%:*}.json" 0); p=$(median_ms "$RESULTS/pull-${img%%:*}.json" 1)
    printf '%-18s %12s %12s %8s\n' "$img" "$s" "$p" "$(ratio "$s" "$p")"
done
