#!/usr/bin/env bash
# Networking benchmark: skiff vs Podman (runc), rootless, default network
# (slirp4netns for both), side by side in one run:
#   - 1 GB sent from the host through a published port into the container,
#     where `nc -l -e dd of=/dev/null bs=1M` reads it straight off the socket
#     in 1 MiB reads (MB/s, median of 3); skiff with its built-in forwarder
#     (the default) and with slirp4netns's add_hostfwd, Podman with its
#     default (rootlessport)
#   - `run --rm IMAGE true` latency with the default network (hyperfine -N)
#   sudo contrib/bench/network.sh        (RUNS=N, default 15)
RUNS=${RUNS:-15}
. "$(dirname "$0")/common.sh"

prepare_skiff
start_registry
make_image busybox:latest "$(busybox_rootfs)"
ref="$REG/bench/busybox:latest"
as_user "$SKIFF" pull -q "$ref" >/dev/null
as_user podman pull -q --tls-verify=false "$ref" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# send_gb PORT -> seconds to push 1 GiB and see the receiver close.
send_gb() {
    python3 - "$1" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
for _ in range(100):
    try:
        s = socket.create_connection(("127.0.0.1", port)); break
    except OSError:
        time.sleep(0.05)
buf = b"\0" * (1 << 20)
t = time.monotonic()
for _ in range(1024):
    s.sendall(buf)
s.shutdown(socket.SHUT_WR)
while s.recv(65536):
    pass
print("%.3f" % (time.monotonic() - t))
PY
}

throughput() { # engine-command-prefix... -> median MB/s of 3
    local results=() port cid secs
    local net=()
    [ -n "${NET:-}" ] && net=(--network "$NET")
    for _ in 1 2 3; do
        port=$(free_port)
        cid=$(as_user "$@" run -d "${net[@]}" -p "$port:5000" "$ref" nc -l -p 5000 -e dd of=/dev/null bs=1M)
        sleep 0.5
        secs=$(send_gb "$port")
        as_user "$@" rm -f "$cid" >/dev/null 2>&1
        results+=("$(python3 -c "print('%.0f' % (1024/$secs))")")
    done
    printf '%s\n' "${results[@]}" | sort -n | sed -n 2p
}

echo "skiff $("$SKIFF" --version | awk '{print $2}'), $(podman --version), runc $(runc --version | awk 'NR==1{print $3}'), slirp4netns $(slirp4netns --version | awk 'NR==1{print $3}')"
s_tp=$(throughput "$SKIFF")
s_sl=$(NET=slirp4netns:port_handler=slirp4netns throughput "$SKIFF")
p_tp=$(throughput podman --runtime /usr/bin/runc)
printf '%-44s %10s %10s %8s\n' benchmark skiff podman ratio
printf '%-44s %10s %10s %8s\n' "1 GiB through a published port (MB/s)" "$s_tp" "$p_tp" "$(ratio "$s_tp" "$p_tp")"
printf '%-44s %10s %10s %8s\n' "  same, skiff port_handler=slirp4netns" "$s_sl" "$p_tp" "$(ratio "$s_sl" "$p_tp")"

as_user hyperfine -N --runs "$RUNS" --warmup 2 --export-json "$RESULTS/netrun.json" --style none \
    "$SKIFF run --rm $ref true" \
    "podman --runtime /usr/bin/runc run --rm $ref true" >/dev/null
s=$(median_ms "$RESULTS/netrun.json" 0); p=$(median_ms "$RESULTS/netrun.json" 1)
printf '%-44s %10s %10s %8s\n' "run --rm IMAGE true, default network (ms)" "$s" "$p" "$(ratio "$s" "$p")"

# Root: skiff's CNI bridge against Podman's (Debian's podman 4.3 as root uses
# the CNI plugins too), each in a store of its own under $WORK so the host's
# stores are left alone. Measured, no target. Podman as root raises the
# nofile and nproc limits by default, which this host's root (no
# CAP_SYS_RESOURCE) may not: its runs pin them to 1024.
if [ -z "${SKIP_ROOT:-}" ]; then
    SR=(--root "$WORK/root-skiff" --runroot "$WORK/run-skiff")
    PR=(--root "$WORK/root-podman" --runroot "$WORK/run-podman" --runtime /usr/bin/runc)
    "$SKIFF" "${SR[@]}" pull -q "$ref" >/dev/null
    podman "${PR[@]}" pull -q --tls-verify=false "$ref" >/dev/null
    hyperfine -N --runs "$RUNS" --warmup 2 --export-json "$RESULTS/netroot.json" --style none \
        "$SKIFF ${SR[*]} run --rm $ref true" \
        "podman ${PR[*]} run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 $ref true" >/dev/null
    s=$(median_ms "$RESULTS/netroot.json" 0); p=$(median_ms "$RESULTS/netroot.json" 1)
    printf '%-44s %10s %10s %8s\n' "root: run --rm IMAGE true, bridge (ms)" "$s" "$p" "$(ratio "$s" "$p")"
    "$SKIFF" "${SR[@]}" rm -af >/dev/null 2>&1 || true
    podman "${PR[@]}" system reset -f >/dev/null 2>&1 || true
fi
