# Shared helpers for the benchmark scripts (sourced, not run).
# Run as root: images are built with root tools, then every timed command runs
# rootless as $BENCH_USER through setpriv, as a desktop user would run it.
set -euo pipefail

BENCH_USER=${BENCH_USER:-skiff-test}
CACHE=${BENCH_CACHE:-/var/cache/skiff-bench}
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${RUNS:-5}

[ "$(id -u)" = 0 ] || { echo "run as root (it sets up a registry and runs the tools as $BENCH_USER)" >&2; exit 1; }
id "$BENCH_USER" >/dev/null 2>&1 || { echo "user $BENCH_USER missing: run contrib/setup.sh first" >&2; exit 1; }
for t in hyperfine skopeo umoci docker-registry podman python3; do
    command -v "$t" >/dev/null || { echo "$t missing: run contrib/setup.sh first" >&2; exit 1; }
done

BUID=$(id -u "$BENCH_USER"); BGID=$(id -g "$BENCH_USER")
WORK=$(mktemp -d /tmp/skiff-bench.XXXXXX)
chmod 0755 "$WORK"
BHOME="$WORK/home"; mkdir -p "$BHOME"; chown "$BUID:$BGID" "$BHOME"
RESULTS="$WORK/results"; mkdir -p "$RESULTS"; chown "$BUID:$BGID" "$RESULTS"
BRUN="/run/user/$BUID"; mkdir -p "$BRUN"; chown "$BUID:$BGID" "$BRUN"; chmod 0700 "$BRUN"
REG_PID=""
cleanup() {
    [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null || true
    as_user podman system reset -f >/dev/null 2>&1 || true
    as_user "$SKIFF" unshare rm -rf "$BHOME/.local/share/skiff" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Runs a command as the bench user with a clean, explicit environment.
as_user() {
    setpriv --reuid="$BUID" --regid="$BGID" --init-groups -- \
        env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$BHOME" \
        XDG_RUNTIME_DIR="$BRUN" LANG=C.UTF-8 "$@"
}

# The skiff binary under test, copied where the bench user can execute it.
prepare_skiff() {
    if [ ! -x "$REPO_ROOT/target/release/skiff" ] || [ -n "${REBUILD:-}" ]; then
        (cd "$REPO_ROOT" && cargo build --release --quiet)
    fi
    mkdir -p "$WORK/bin"; cp "$REPO_ROOT/target/release/skiff" "$WORK/bin/skiff"; chmod 0755 "$WORK/bin" "$WORK/bin/skiff"
    SKIFF="$WORK/bin/skiff"
}

start_registry() {
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    mkdir -p "$WORK/registry"
    cat > "$WORK/registry/config.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $WORK/registry/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port}
YML
    docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
    REG_PID=$!
    REG="127.0.0.1:$port"
    for _ in $(seq 50); do curl -fs "http://$REG/v2/" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "registry did not start: $(cat "$WORK/registry/log")" >&2; exit 1
}

# make_image NAME:TAG ROOTFS_DIR: an OCI image with one layer, pushed with skopeo.
make_image() {
    local ref=$1 rootfs=$2 layout="$WORK/oci"
    [ -d "$layout" ] || umoci init --layout "$layout"
    umoci new --image "$layout:${ref##*:}-${ref%%:*}"
    umoci insert --image "$layout:${ref##*:}-${ref%%:*}" "$rootfs" / >/dev/null
    umoci config --image "$layout:${ref##*:}-${ref%%:*}" --config.cmd /bin/sh >/dev/null
    skopeo copy --quiet --dest-tls-verify=false "oci:$layout:${ref##*:}-${ref%%:*}" "docker://$REG/bench/$ref"
}

busybox_rootfs() {
    local d="$WORK/busybox-rootfs"
    mkdir -p "$d/bin" "$d/etc" "$d/tmp"
    cp /bin/busybox "$d/bin/busybox"
    for a in sh echo true ls cat sleep nc; do ln -sf busybox "$d/bin/$a"; done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$d/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$d/etc/group"
    echo "$d"
}

debian_rootfs() {
    local d="$CACHE/rootfs-debian"
    if [ ! -x "$d/bin/bash" ]; then
        mkdir -p "$CACHE"
        local mirror
        mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
        debootstrap --variant=minbase bookworm "$d" "${mirror:-http://deb.debian.org/debian}" >"$CACHE/debootstrap.log" 2>&1 \
            || { echo "debootstrap failed: see $CACHE/debootstrap.log" >&2; exit 1; }
    fi
    echo "$d"
}

# median_ms FILE.json INDEX -> median of the INDEXth command in ms
median_ms() {
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.1f" % (r["median"]*1000))' "$1" "$2"
}
ratio() { python3 -c 'import sys; print("%.2f" % (float(sys.argv[1])/float(sys.argv[2])))' "$1" "$2"; }
