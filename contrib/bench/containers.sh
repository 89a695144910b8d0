#!/usr/bin/env bash
# Container benchmark: skiff vs Podman (with runc), rootless, side by side in
# one run, same busybox image from the same local registry:
#   - `run --rm --network none IMAGE true` latency
#   - `ps -a` with 10 exited containers, and `images`
#   - resident memory of skiff's per-container monitor vs Podman's conmon
# Prints medians and the skiff/podman ratios.
#   sudo contrib/bench/containers.sh        (RUNS=N, default 20)
RUNS=${RUNS:-20}
. "$(dirname "$0")/common.sh"

prepare_skiff
start_registry
make_image busybox:latest "$(busybox_rootfs)"
ref="$REG/bench/busybox:latest"
as_user "$SKIFF" pull -q "$ref" >/dev/null
as_user podman pull -q --tls-verify=false "$ref" >/dev/null

echo "skiff $("$SKIFF" --version | awk '{print $2}'), $(podman --version), runc $(runc --version | awk 'NR==1{print $3}'), $RUNS runs each"
printf '%-34s %12s %12s %8s\n' benchmark "skiff (ms)" "podman (ms)" ratio

bench() { # name, skiff command, podman command
    as_user hyperfine -N --runs "$RUNS" --warmup 2 --export-json "$RESULTS/$1.json" --style none \
        "$2" "$3" >/dev/null
    local s p
    s=$(median_ms "$RESULTS/$1.json" 0); p=$(median_ms "$RESULTS/$1.json" 1)
    printf '%-34s %12s %12s %8s\n' "$4" "$s" "$p" "$(ratio "$s" "$p")"
}

bench run "$SKIFF run --rm --network none $ref true" \
    "podman --runtime /usr/bin/runc run --rm --network none $ref true" \
    "run --rm --network none IMAGE true"

for i in $(seq 10); do
    as_user "$SKIFF" run --network none "$ref" true >/dev/null
    as_user podman --runtime /usr/bin/runc run --network none "$ref" true >/dev/null
done
bench ps "$SKIFF ps -a" "podman ps -a" "ps -a (10 exited containers)"
bench images "$SKIFF images" "podman images" "images"

# Monitor memory: one detached container each, then VmRSS and Pss of the
# skiff monitor and of conmon.
mem() { # pid -> "rss_kb pss_kb"
    awk '/^VmRSS:/{r=$2} END{printf "%s ", r}' "/proc/$1/status"
    awk '/^Pss:/{print $2}' "/proc/$1/smaps_rollup"
}
sid=$(as_user "$SKIFF" run -d --network none "$ref" sleep 600)
pid=$(as_user podman --runtime /usr/bin/runc run -d --network none "$ref" sleep 600)
sleep 1
smon=$(pgrep -f "__monitor.*$sid" | head -1)
cmon=$(pgrep -f "conmon.*${pid:0:12}" | head -1)
read -r srss spss <<<"$(mem "$smon")"
read -r crss cpss <<<"$(mem "$cmon")"
printf '%-34s %12s %12s %8s\n' "monitor RSS (kB) skiff vs conmon" "$srss" "$crss" "$(ratio "$srss" "$crss")"
printf '%-34s %12s %12s %8s\n' "monitor PSS (kB) skiff vs conmon" "$spss" "$cpss" "$(ratio "$spss" "$cpss")"
as_user "$SKIFF" rm -f "$sid" >/dev/null
as_user podman rm -f -t 0 "$pid" >/dev/null
