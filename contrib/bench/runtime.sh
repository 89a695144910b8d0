#!/usr/bin/env bash
# OCI runtime benchmark: create+start+wait+delete (`RUNTIME run` of `true`,
# which deletes the container when it exits) of the same busybox bundle with
# skiff, runc and crun side by side in one hyperfine run, rootless (as the
# bench user, `spec --rootless` bundle) and as root. Prints medians and ratios.
#   sudo contrib/bench/runtime.sh          (RT_RUNS=N, default 100)
#   SKIFF_BIN=path  time that binary instead of building the release one
#                   (numbers from a debug build are not representative)
. "$(dirname "$0")/common.sh"

RT_RUNS=${RT_RUNS:-100}
for t in runc crun; do
    command -v "$t" >/dev/null || { echo "$t missing: run contrib/setup.sh first" >&2; exit 1; }
done

if [ -n "${SKIFF_BIN:-}" ]; then
    mkdir -p "$WORK/bin"; cp "$SKIFF_BIN" "$WORK/bin/skiff"; chmod 0755 "$WORK/bin" "$WORK/bin/skiff"
    SKIFF="$WORK/bin/skiff"
else
    prepare_skiff
fi
# Timed through the argv[0] entry point tools use.
ln -sf skiff "$WORK/bin/skiff-runtime"
SKIFF_RT="$WORK/bin/skiff-runtime"

ROOTFS=$(busybox_rootfs)

# crun 1.8 runs on a hybrid cgroup host only if the cgroup2 hierarchy holds no
# controllers. This machine leaves hugetlb there; bind such controllers to
# their own v1 hierarchies for the run (skiff and runc do not need it), and
# give them back on exit.
BOUND=()
if [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ] && [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
    for ctl in $(cat /sys/fs/cgroup/unified/cgroup.controllers); do
        if mkdir -p "/sys/fs/cgroup/$ctl" && mount -t cgroup -o "$ctl" cgroup "/sys/fs/cgroup/$ctl"; then
            BOUND+=("$ctl")
            echo "bench: bound cgroup controller $ctl to a v1 hierarchy for crun (undone on exit)"
        fi
    done
fi
unbind() { for ctl in "${BOUND[@]}"; do umount "/sys/fs/cgroup/$ctl" && rmdir "/sys/fs/cgroup/$ctl"; done; }
trap 'unbind; cleanup' EXIT

# make_bundle DIR [--rootless]: busybox rootfs + `skiff runtime spec` config
# running `true` without a terminal; one config for all three runtimes.
# (runc 1.1's own `spec` puts caps in the ambient set without inheritable
# ones, which skiff rejects as a config that cannot be honoured.)
make_bundle() {
    local dir=$1 flag=${2:-}
    mkdir -p "$dir"
    cp -a "$ROOTFS" "$dir/rootfs"
    if [ -n "$flag" ]; then
        chown -R "$BUID:$BGID" "$dir"
        as_user "$SKIFF" runtime spec --rootless --bundle "$dir"
    else
        "$SKIFF" runtime spec --bundle "$dir"
    fi
    python3 - "$dir/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["true"]
c["ociVersion"] = "1.0.2"  # crun 1.8 refuses versions it does not know (1.2.0)
if any(n["type"] == "user" for n in c["linux"]["namespaces"]):
    # As `runc spec --rootless`: no cgroup namespace (crun rejects one on a
    # hybrid cgroup layout when rootless).
    c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "cgroup"]
json.dump(c, open(p, "w"), indent=1)
PY
}

# bench NAME RUNNER...: one hyperfine run of the three runtimes, prints a row.
bench() {
    local name=$1; shift
    local state="$WORK/state-$name" bundle="$WORK/bundle-$name" json="$RESULTS/runtime-$name.json"
    local crun_opt=""
    # crun refuses the hybrid cgroup layout rootless; skiff and runc skip
    # cgroups there on their own.
    [ "$name" = root ] || crun_opt="--cgroup-manager=disabled "
    mkdir -p "$state"/{skiff,runc,crun}
    [ "$name" = root ] || chown -R "$BUID:$BGID" "$state"
    local cmds=(-n skiff "$SKIFF_RT --root $state/skiff run --bundle $bundle bench-skiff"
        -n runc "runc --root $state/runc run --bundle $bundle bench-runc")
    [ "${CRUN_OK[$name]}" = 1 ] && cmds+=(-n crun "crun ${crun_opt}--root $state/crun run --bundle $bundle bench-crun")
    "$@" hyperfine -N --runs "$RT_RUNS" --warmup 5 --style none --export-json "$json" "${cmds[@]}" >/dev/null
    local s r c="n/a" rc="n/a"
    s=$(median_ms "$json" 0); r=$(median_ms "$json" 1)
    if [ "${CRUN_OK[$name]}" = 1 ]; then c=$(median_ms "$json" 2); rc=$(ratio "$s" "$c"); fi
    printf '%-10s %10s %10s %10s %12s %12s\n' "$name" "$s" "$r" "$c" "$(ratio "$s" "$r")" "$rc"
}

make_bundle "$WORK/bundle-rootless" --rootless
make_bundle "$WORK/bundle-root"

# Each runtime must succeed once before timing (hyperfine -N only checks exit
# codes). skiff and runc must work; crun is timed only where it runs at all
# (crun 1.8 refuses this machine's hybrid cgroup layout rootless).
declare -A CRUN_OK
for mode in rootless root; do
    for rt in "$SKIFF_RT" runc crun; do
        d="$WORK/check-$(basename "$rt")-$mode"; mkdir -p "$d"
        opt=(); [ "$rt" = crun ] && [ "$mode" = rootless ] && opt=(--cgroup-manager=disabled)
        if [ "$mode" = rootless ]; then
            chown "$BUID:$BGID" "$d"
            out=$(as_user "$rt" "${opt[@]}" --root "$d" run --bundle "$WORK/bundle-rootless" check 2>&1) && ok=1 || ok=0
        else
            out=$("$rt" --root "$d" run --bundle "$WORK/bundle-root" check 2>&1) && ok=1 || ok=0
        fi
        if [ "$rt" = crun ]; then
            CRUN_OK[$mode]=$ok
            [ "$ok" = 1 ] || echo "crun cannot run the $mode bundle here, not timed: $(echo "$out" | tail -1)"
        elif [ "$ok" != 1 ]; then
            echo "$(basename "$rt") failed $mode: $out" >&2; exit 1
        fi
    done
done

echo "skiff $("$SKIFF" --version | awk '{print $NF}'), $(runc --version | head -1), $(crun --version | head -1), $RT_RUNS runs each"
printf '%-10s %10s %10s %10s %12s %12s\n' mode "skiff ms" "runc ms" "crun ms" "skiff/runc" "skiff/crun"
bench rootless as_user
bench root env
