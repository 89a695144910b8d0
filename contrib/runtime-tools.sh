#!/usr/bin/env bash
# Runs the OCI runtime-tools validation suite (opencontainers/runtime-tools,
# validation/*/*.go) against skiff's built-in runtime and, side by side, runc
# and crun. Prints one PASS/FAIL row per test program and totals per runtime.
#   sudo contrib/runtime-tools.sh
# Environment:
#   RTV_SRC       runtime-tools source: a git repository to clone
#                 (default: the mirror at /work/.mirror/opencontainers+runtime-tools/repo)
#   RTV_REV       revision to test (default: HEAD of RTV_SRC)
#   RTV_RUNTIMES  runtimes to run, names from: skiff runc crun (default: all three)
#   RTV_TESTS     test programs to run, e.g. "state kill" (default: all)
#   RTV_TIMEOUT   seconds per program (default: 60)
#   RTV_OUT       directory for the TAP logs (default: a new /tmp/runtime-tools.XXXXXX, kept)
#   SKIFF_BIN     skiff binary to test (default: target/release/skiff, built if missing
#                 or REBUILD=1)
# A program PASSes when it exits 0 within the timeout and prints no "not ok"
# line (skips are fine; the *_fail programs print nothing when the runtime
# rightly refuses their config, and exit 1 when it accepts it). Needs root (the suite creates root
# containers) and Go >= 1.21 (the suite's vendored deps use the `slices`
# package): Debian bookworm's golang-go is 1.19, so golang-1.22-go is
# installed from bookworm-backports when no new enough go is found.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RTV_SRC=${RTV_SRC:-/work/.mirror/opencontainers+runtime-tools/repo}
RTV_REV=${RTV_REV:-HEAD}
RTV_RUNTIMES=${RTV_RUNTIMES:-skiff runc crun}
RTV_TIMEOUT=${RTV_TIMEOUT:-60}

[ "$(id -u)" = 0 ] || { echo "run as root (the suite creates root containers)" >&2; exit 1; }

log() { printf 'runtime-tools: %s\n' "$*" >&2; }

# go_ok GO: GO exists and is at least 1.21.
go_ok() {
    local v
    v=$("$1" env GOVERSION 2>/dev/null) || return 1
    v=${v#go}
    [ "${v%%.*}" -gt 1 ] || { v=${v#1.}; [ "${v%%.*}" -ge 21 ]; }
}

find_go() {
    local g
    for g in "$(command -v go || true)" /usr/lib/go-1.2[1-9]/bin/go /usr/local/go/bin/go; do
        [ -n "$g" ] && [ -x "$g" ] && go_ok "$g" && { echo "$g"; return 0; }
    done
    return 1
}

GO=$(find_go || true)
if [ -z "$GO" ]; then
    log "installing Go from Debian"
    apt-get update -q >/dev/null
    apt-get install -y -q golang-go >/dev/null
    GO=$(find_go || true)
fi
if [ -z "$GO" ] && grep -q bookworm /etc/os-release; then
    log "golang-go is older than 1.21: installing golang-1.22-go from bookworm-backports"
    if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
        printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
            >/etc/apt/sources.list.d/bookworm-backports.sources
        apt-get update -q >/dev/null
    fi
    apt-get install -y -q -t bookworm-backports golang-1.22-go >/dev/null
    GO=$(find_go || true)
fi
[ -n "$GO" ] || { echo "no Go >= 1.21 found or installable" >&2; exit 1; }
log "using $("$GO" version)"

WORK=$(mktemp -d /tmp/rtv-build.XXXXXX)
RTV_OUT=${RTV_OUT:-$(mktemp -d /tmp/runtime-tools.XXXXXX)}
mkdir -p "$RTV_OUT"

# crun 1.8 runs on a hybrid cgroup host only if the cgroup2 hierarchy holds no
# controllers (see contrib/bench/runtime.sh); such controllers are bound to
# their own v1 hierarchies while crun runs, and given back after.
BOUND=()
bind_v2_controllers() {
    [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ] || return 0
    local ctl
    for ctl in $(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null); do
        if mkdir -p "/sys/fs/cgroup/$ctl" && mount -t cgroup -o "$ctl" cgroup "/sys/fs/cgroup/$ctl"; then
            BOUND+=("$ctl")
            log "bound cgroup controller $ctl to a v1 hierarchy for crun"
        fi
    done
}
unbind_v2_controllers() {
    local ctl
    for ctl in "${BOUND[@]}"; do
        # Test cgroups left behind would keep the hierarchy busy.
        find "/sys/fs/cgroup/$ctl" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
        umount "/sys/fs/cgroup/$ctl" && rmdir "/sys/fs/cgroup/$ctl"
    done
    BOUND=()
}
trap 'unbind_v2_controllers; rm -rf "$WORK"' EXIT

# Build the suite: runtimetest (static: it runs inside the test rootfs) and
# one executable per validation/*/*.go.
log "building runtime-tools ($RTV_REV of $RTV_SRC) in $WORK"
git clone -q "$RTV_SRC" "$WORK/src"
git -C "$WORK/src" checkout -q "$RTV_REV"
SUITE_REV=$(git -C "$WORK/src" describe --long --always --tags 2>/dev/null || git -C "$WORK/src" rev-parse --short HEAD)
export GOFLAGS=-mod=vendor GOTOOLCHAIN=local GOCACHE="$WORK/gocache" GOPATH="$WORK/gopath"
(
    cd "$WORK/src"
    CGO_ENABLED=0 "$GO" build -tags "netgo osusergo" -o "$WORK/run/runtimetest" ./cmd/runtimetest
    for f in validation/*/*.go; do
        [[ $f == validation/util/* ]] && continue
        "$GO" build -o "$WORK/run/${f%.go}.t" "./$f"
    done
)
cp "$WORK/src/rootfs-$("$GO" env GOARCH).tar.gz" "$WORK/run/"
mapfile -t ALL_TESTS < <(cd "$WORK/run/validation" && ls -d -- */ | tr -d /)
TESTS=(${RTV_TESTS:-${ALL_TESTS[@]}})

# The skiff runtime is run through the argv[0] entry point, as tools do.
mkdir -p "$WORK/bin"
if [[ " $RTV_RUNTIMES " == *" skiff "* ]]; then
    if [ -z "${SKIFF_BIN:-}" ]; then
        SKIFF_BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/skiff"
        if [ ! -x "$SKIFF_BIN" ] || [ -n "${REBUILD:-}" ]; then
            (cd "$REPO_ROOT" && cargo build --release --quiet)
        fi
    fi
    cp "$SKIFF_BIN" "$WORK/bin/skiff"
    ln -sf skiff "$WORK/bin/skiff-runtime"
fi
# crun 1.8 refuses any ociVersion newer than the ones it knows ("unknown
# version specified"), and the suite writes 1.3.0: crun is run through a
# wrapper that lowers it to 1.0.2 in the bundle on create/run (RTV_CRUN_RAW=1
# runs crun as is).
if [[ " $RTV_RUNTIMES " == *" crun "* ]] && command -v crun >/dev/null; then
    cat >"$WORK/bin/crun-compat" <<WRAPPER
#!/usr/bin/env bash
bundle=. sub=""
args=("\$@")
for ((i = 0; i < \${#args[@]}; i++)); do
    case \${args[i]} in
        --bundle|-b) bundle=\${args[i+1]} ;;
        --bundle=*) bundle=\${args[i]#*=} ;;
        create|run) [ -z "\$sub" ] && sub=\${args[i]} ;;
    esac
done
[ -n "\$sub" ] && [ -f "\$bundle/config.json" ] &&
    sed -i -E 's/"ociVersion": *"1\\.[1-9][0-9]*\\.[0-9]+[^"]*"/"ociVersion":"1.0.2"/' "\$bundle/config.json"
exec $(command -v crun) "\$@"
WRAPPER
    chmod 0755 "$WORK/bin/crun-compat"
fi
runtime_path() {
    case $1 in
        skiff) echo "$WORK/bin/skiff-runtime" ;;
        crun) if [ -z "${RTV_CRUN_RAW:-}" ]; then echo "$WORK/bin/crun-compat"; else command -v crun; fi ;;
        *) command -v "$1" ;;
    esac
}

declare -A RESULT
for rt in $RTV_RUNTIMES; do
    path=$(runtime_path "$rt") || { log "$rt not found, skipped"; continue; }
    log "running ${#TESTS[@]} programs against $rt ($path)"
    [ "$rt" = crun ] && bind_v2_controllers
    mkdir -p "$RTV_OUT/$rt"
    for t in "${TESTS[@]}"; do
        out="$RTV_OUT/$rt/$t.tap"
        set +e
        # The programs find runtimetest and the rootfs tarball in their cwd.
        (cd "$WORK/run" && RUNTIME="$path" timeout -k 5 "$RTV_TIMEOUT" "validation/$t/$t.t") >"$out" 2>&1
        rc=$?
        set -e
        if [ $rc = 124 ] || [ $rc = 137 ]; then
            r=TIMEOUT
        elif [ $rc = 0 ] && ! grep -q '^not ok' "$out"; then
            r=PASS
        else
            r=FAIL
        fi
        RESULT[$rt/$t]=$r
    done
    [ "$rt" = crun ] && unbind_v2_controllers
done

# The table (markdown, so it can go into docs/compatibility.md as is).
RTS=()
for rt in $RTV_RUNTIMES; do [ -d "$RTV_OUT/$rt" ] && RTS+=("$rt"); done
versions=""
for rt in "${RTS[@]}"; do
    case $rt in
        skiff) v=$("$WORK/bin/skiff" --version 2>/dev/null | head -1) ;;
        *) v=$("$(runtime_path "$rt")" --version 2>/dev/null | head -1) ;;
    esac
    versions+="$rt: ${v:-?}; "
done
echo
echo "runtime-tools $SUITE_REV, $(date -u +%Y-%m-%d), $(uname -r), ${versions%; }"
echo
printf '| program |'; for rt in "${RTS[@]}"; do printf ' %s |' "$rt"; done; echo
printf '|---|'; for rt in "${RTS[@]}"; do printf -- '---|'; done; echo
declare -A PASSED
for t in "${TESTS[@]}"; do
    printf '| %s |' "$t"
    for rt in "${RTS[@]}"; do
        r=${RESULT[$rt/$t]}
        [ "$r" = PASS ] && PASSED[$rt]=$((${PASSED[$rt]:-0} + 1))
        printf ' %s |' "$r"
    done
    echo
done
printf '| **total passed** |'
for rt in "${RTS[@]}"; do printf ' **%s/%s** |' "${PASSED[$rt]:-0}" "${#TESTS[@]}"; done
echo
echo
echo "TAP logs: $RTV_OUT/<runtime>/<program>.tap"
