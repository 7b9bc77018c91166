#!/usr/bin/env bash
# NBD benchmark: our export (the scratch export of a `bin/colo pair up` node) against `nbdkit file` on the
# same file system, in one run:
#   - nbdcopy of SIZE MiB of random data into the export (throughput, median of 3 copies),
#   - fio --ioengine=nbd 4 KiB random writes at queue depth 1 and 32 (IOPS, completion latency p50/p99).
# Both servers first get the same warm-up. Prints a Markdown table with our/nbdkit ratios.
#
# usage: itests/bench/nbd-benchmark.sh [--size-mib N (default 1024)] [--runtime SECONDS (default 15)]
#                                      [--ours NBD_URI (another server to measure instead of the pair's)]
# needs: a built distribution (mvn -B -q install -DskipTests), nbdcopy (libnbd-bin), nbdkit, fio, python3.
set -euo pipefail

SIZE_MIB=1024
RUNTIME=15
COPY_RUNS=3
ours=""
while [ $# -gt 0 ]; do
    case "$1" in
        --size-mib) SIZE_MIB="$2"; shift 2 ;;
        --runtime) RUNTIME="$2"; shift 2 ;;
        --ours) ours="$2"; shift 2 ;;
        *) echo "usage: $0 [--size-mib N] [--runtime SECONDS] [--ours NBD_URI]" >&2; exit 2 ;;
    esac
done

for tool in nbdcopy nbdinfo nbdkit fio python3; do
    command -v "$tool" >/dev/null || { echo "nbd-benchmark: $tool is missing (apt-get install libnbd-bin nbdkit fio)" >&2; exit 1; }
done

top=$(cd "$(dirname "$0")/../.." && pwd)
work="$top/target/nbd-bench"
rm -rf "$work" && mkdir -p "$work"
colo=""
nbdkit_pid=""

cleanup() {
    [ -n "$nbdkit_pid" ] && kill "$nbdkit_pid" 2>/dev/null || true
    [ -n "$colo" ] && "$colo" pair down --dir "$work/pair" >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [ -z "$ours" ]; then
    tarball=$(ls "$top"/distribution/target/dev.colo.distribution-*.tar.gz 2>/dev/null | head -1)
    [ -n "$tarball" ] || { echo "nbd-benchmark: build the distribution first: mvn -B -q install -DskipTests" >&2; exit 1; }
    tar xzf "$tarball" -C "$work"
    colo=$(ls -d "$work"/dev.colo.distribution-*)/bin/colo
    echo "Starting a local pair (its scratch export is the server under test) ..." >&2
    "$colo" pair up --dir "$work/pair" >"$work/pair-up.log" 2>&1 || { cat "$work/pair-up.log" >&2; exit 1; }
    ours=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nodes"][0]["nbdUri"])' "$work/pair/pair.json")
fi
size_bytes=$(nbdinfo --size "$ours")

# The peer: nbdkit's file plugin over a sparse file of the same size, on the same file system.
truncate -s "$size_bytes" "$work/nbdkit.img"
nbdkit_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
nbdkit -f -i 127.0.0.1 -p "$nbdkit_port" file "$work/nbdkit.img" &
nbdkit_pid=$!
peer="nbd://127.0.0.1:$nbdkit_port/"
for _ in $(seq 100); do nbdinfo --size "$peer" >/dev/null 2>&1 && break; sleep 0.1; done

echo "Writing $SIZE_MIB MiB of random data to copy ..." >&2
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$work/random.bin"

copy_mibs() { # uri -> MiB/s of an nbdcopy of random.bin into it: the median of COPY_RUNS copies
    local start end runs=()
    for _ in $(seq "$COPY_RUNS"); do
        start=$(date +%s.%N)
        nbdcopy "$work/random.bin" "$1"
        end=$(date +%s.%N)
        runs+=("$(python3 -c "print($SIZE_MIB / ($end - $start))")")
    done
    python3 -c "import statistics, sys; print(f'{statistics.median(map(float, sys.argv[1:])):.1f}')" "${runs[@]}"
}

fio_randwrite() { # uri depth -> "iops p50_us p99_us"
    fio --name=randwrite --ioengine=nbd --uri="$1" --rw=randwrite --bs=4k --iodepth="$2" \
        --size="$size_bytes" --runtime="$RUNTIME" --time_based --output-format=json >"$work/fio.json" 2>/dev/null
    python3 - "$work/fio.json" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()  # fio's nbd engine prints a line before the JSON
w = json.loads(text[text.index("{"):])["jobs"][0]["write"]
p = w["clat_ns"]["percentile"]
print(f'{w["iops"]:.0f} {p["50.000000"] / 1000:.1f} {p["99.000000"] / 1000:.1f}')
EOF
}

# A server runs for months: both get the same warm-up (for ours, the JIT compiles the hot paths).
echo "warm-up ..." >&2
for uri in "$ours" "$peer"; do
    nbdcopy "$work/random.bin" "$uri"
    fio --name=warmup --ioengine=nbd --uri="$uri" --rw=randwrite --bs=4k --iodepth=32 --size="$size_bytes" \
        --runtime=3 --time_based >/dev/null 2>&1
done
echo "nbdcopy ..." >&2
copy_ours=$(copy_mibs "$ours")
copy_peer=$(copy_mibs "$peer")
echo "fio QD1 ..." >&2
read -r qd1_iops_ours qd1_p50_ours qd1_p99_ours <<<"$(fio_randwrite "$ours" 1)"
read -r qd1_iops_peer qd1_p50_peer qd1_p99_peer <<<"$(fio_randwrite "$peer" 1)"
echo "fio QD32 ..." >&2
read -r qd32_iops_ours qd32_p50_ours qd32_p99_ours <<<"$(fio_randwrite "$ours" 32)"
read -r qd32_iops_peer qd32_p50_peer qd32_p99_peer <<<"$(fio_randwrite "$peer" 32)"

row() { # name ours peer
    python3 -c "print(f'| $1 | $2 | $3 | {float($2) / float($3):.2f} |')"
}
echo
echo "NBD benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; nbdcopy of $SIZE_MIB MiB, fio ${RUNTIME} s per run"
echo
echo "| metric | ours | nbdkit file | ours / nbdkit |"
echo "| --- | ---: | ---: | ---: |"
row "nbdcopy throughput (MiB/s)" "$copy_ours" "$copy_peer"
row "4 KiB randwrite QD1 IOPS" "$qd1_iops_ours" "$qd1_iops_peer"
row "4 KiB randwrite QD1 p50 (µs)" "$qd1_p50_ours" "$qd1_p50_peer"
row "4 KiB randwrite QD1 p99 (µs)" "$qd1_p99_ours" "$qd1_p99_peer"
row "4 KiB randwrite QD32 IOPS" "$qd32_iops_ours" "$qd32_iops_peer"
row "4 KiB randwrite QD32 p50 (µs)" "$qd32_p50_ours" "$qd32_p50_peer"
row "4 KiB randwrite QD32 p99 (µs)" "$qd32_p99_ours" "$qd32_p99_peer"
