#!/usr/bin/env bash
# Prepare a Debian (bookworm) machine to build, test and run skiff rootless.
# Idempotent; run as root:  sudo ./contrib/setup.sh [--build] [--demo]
#   --build  cargo build --release, install target/release/skiff to /usr/local/bin
#            with the skiff-runtime symlink
#   --demo   as the unprivileged test user, import a busybox rootfs and run containers from it
#            (uses $SKIFF_BIN if set, else skiff on PATH, else target/release/skiff)
set -euo pipefail

TEST_USER=${SKIFF_TEST_USER:-skiff-test}
SUBID_COUNT=65536
SUBID_DEFAULT_START=100000
PACKAGES=(
    uidmap slirp4netns passt fuse-overlayfs docker-registry skopeo umoci
    busybox-static debootstrap libseccomp-dev pkg-config apache2-utils zstd
    hyperfine podman runc crun containernetworking-plugins iproute2 ca-certificates curl
    openssl procps util-linux mount python3
)

DO_BUILD=0
DO_DEMO=0
for arg in "$@"; do
    case "$arg" in
        --build) DO_BUILD=1 ;;
        --demo) DO_DEMO=1 ;;
        -h|--help)
            sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
            exit 0 ;;
        *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

log() { printf 'setup: %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh must run as root (try: sudo $0 $*)" >&2
    exit 1
fi

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# --- 1. packages -------------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists unless they are less than a day old.
    lists_fresh=0
    if [ -d /var/lib/apt/lists ] && [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit 2>/dev/null)" ]; then
        lists_fresh=1
    fi
    if [ "$lists_fresh" -eq 0 ]; then
        apt-get update
    fi
    if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
        # Stale lists can point at removed versions: refresh once and retry.
        apt-get update
        apt-get install -y --no-install-recommends "${missing[@]}"
    fi
else
    log "all packages already installed"
fi

# --- 2. test user and subordinate id ranges ----------------------------------
if ! getent passwd "$TEST_USER" >/dev/null; then
    log "creating user $TEST_USER"
    useradd --create-home --shell /bin/bash "$TEST_USER"
fi

# Print the first id after every range already allocated in the file (or the default).
next_subid_start() {
    local file=$1
    awk -F: -v def="$SUBID_DEFAULT_START" '
        NF >= 3 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { end = $2 + $3; if (end > max) max = end }
        END { if (max < def) max = def; printf "%.0f\n", max }' "$file"
}

ensure_subids() {
    local user=$1 file start
    for file in /etc/subuid /etc/subgid; do
        touch "$file"
        if grep -q "^${user}:" "$file"; then
            continue
        fi
        # The numeric uid also counts as an entry for newuidmap.
        if grep -q "^$(id -u "$user"):" "$file"; then
            continue
        fi
        start=$(next_subid_start "$file")
        log "adding $user:$start:$SUBID_COUNT to $file"
        printf '%s:%s:%s\n' "$user" "$start" "$SUBID_COUNT" >>"$file"
    done
}

ensure_subids "$TEST_USER"
if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ] && getent passwd "$SUDO_USER" >/dev/null; then
    ensure_subids "$SUDO_USER"
fi

# --- 3. device nodes that rootless networking and fuse-overlayfs need --------
if [ ! -c /dev/net/tun ]; then
    log "creating /dev/net/tun"
    mkdir -p /dev/net
    mknod /dev/net/tun c 10 200
fi
for dev in /dev/net/tun /dev/fuse; do
    if [ -c "$dev" ] && [ "$(stat -c %a "$dev")" != 666 ]; then
        log "chmod 0666 $dev"
        chmod 0666 "$dev"
    fi
done

# --- 4. XDG_RUNTIME_DIR for the test user ------------------------------------
TEST_UID=$(id -u "$TEST_USER")
TEST_GID=$(id -g "$TEST_USER")
TEST_HOME=$(getent passwd "$TEST_USER" | cut -d: -f6)
RUNTIME_DIR=/run/user/$TEST_UID
if [ ! -d "$RUNTIME_DIR" ] || [ "$(stat -c '%u:%g:%a' "$RUNTIME_DIR")" != "$TEST_UID:$TEST_GID:700" ]; then
    log "preparing $RUNTIME_DIR"
    mkdir -p "$RUNTIME_DIR"
    chown "$TEST_UID:$TEST_GID" "$RUNTIME_DIR"
    chmod 0700 "$RUNTIME_DIR"
fi

# --- 5. optional release build -----------------------------------------------
find_cargo() {
    if ! command -v cargo >/dev/null 2>&1; then
        local d
        for d in "${HOME:-/root}/.cargo/bin" /root/.cargo/bin /usr/local/cargo/bin; do
            if [ -x "$d/cargo" ]; then
                PATH="$d:$PATH"
                break
            fi
        done
    fi
    command -v cargo >/dev/null 2>&1 || { echo "setup.sh: cargo not found (install rustup)" >&2; exit 1; }
}

if [ "$DO_BUILD" -eq 1 ]; then
    find_cargo
    log "cargo build --release"
    (cd "$REPO_ROOT" && cargo build --release)
    install -m 0755 "$REPO_ROOT/target/release/skiff" /usr/local/bin/skiff
    # argv[0] `skiff-runtime` is the runc-compatible runtime (podman --runtime).
    ln -sfn skiff /usr/local/bin/skiff-runtime
    # argv[0] `docker` speaks Docker's dialect. Only where no real docker is
    # installed: never shadow one.
    if ! command -v docker >/dev/null 2>&1 || [ "$(readlink -f "$(command -v docker)")" = /usr/local/bin/skiff ]; then
        ln -sfn skiff /usr/local/bin/docker
        log "installed /usr/local/bin/docker -> skiff"
    fi
    log "installed /usr/local/bin/skiff and /usr/local/bin/skiff-runtime"
fi

# --- 6. optional offline demo as the unprivileged user -----------------------
as_test_user() {
    setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --init-groups --reset-env -- \
        env HOME="$TEST_HOME" USER="$TEST_USER" LOGNAME="$TEST_USER" \
        XDG_RUNTIME_DIR="$RUNTIME_DIR" LANG=C.UTF-8 \
        PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin "$@"
}

if [ "$DO_DEMO" -eq 1 ]; then
    SKIFF=${SKIFF_BIN:-$(command -v skiff || true)}
    if [ -z "$SKIFF" ] && [ -x "$REPO_ROOT/target/release/skiff" ]; then
        # Not installed: copy it somewhere the test user can execute.
        SKIFF=/usr/local/bin/skiff
        install -m 0755 "$REPO_ROOT/target/release/skiff" "$SKIFF"
    fi
    [ -n "$SKIFF" ] || { echo "setup.sh: skiff is not installed; run with --build" >&2; exit 1; }

    work=$(mktemp -d /tmp/skiff-demo.XXXXXX)
    trap 'rm -rf "$work"' EXIT
    rootfs=$work/rootfs
    mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/root"
    chmod 1777 "$rootfs/tmp"
    chmod 0700 "$rootfs/root"
    install -m 0755 /bin/busybox "$rootfs/bin/busybox"
    for applet in sh echo ls; do
        ln -s busybox "$rootfs/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
    tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$work/busybox.tar" .
    chmod 0755 "$work"
    chmod 0644 "$work/busybox.tar"

    log "demo: skiff import"
    as_test_user "$SKIFF" import "$work/busybox.tar" demo/busybox:latest --change 'CMD ["/bin/sh"]'
    log "demo: skiff images"
    as_test_user "$SKIFF" images
    log "demo: skiff run --rm demo/busybox echo hello"
    as_test_user "$SKIFF" run --rm demo/busybox echo hello
    log "demo: skiff run -d, ps, logs, exec, stop, rm"
    as_test_user "$SKIFF" rm -f demo >/dev/null 2>&1 || true
    as_test_user "$SKIFF" run -d --name demo demo/busybox sh -c 'echo up; while :; do sleep 1; done' >/dev/null
    as_test_user "$SKIFF" ps
    as_test_user "$SKIFF" logs demo
    as_test_user "$SKIFF" exec demo sh -c 'echo "exec in $(hostname)"'
    as_test_user "$SKIFF" stop -t 1 demo >/dev/null
    as_test_user "$SKIFF" rm demo >/dev/null
fi

log "done"
