#!/usr/bin/env bash
# Every benchmark of the project, each against its peer measured in the same run, in one report: the cost of
# protection (redis-benchmark against the protected service, the guest directly and redis-server), NBD (vs nbdkit
# file), replication (vs nbdkit), checkpoint pause (vs the pause with nothing changed), failure detection (vs the
# configured timeout), the peer link (TLS round trips), the proxy (vs socat and direct), the failover gap, boot
# time and memory (bin/colo demo). Writes DIR/report.md, DIR/report.json (every figure under a stable key, see
# docs/benchmarks.md) and DIR/checkpoint-pause.svg (the pause against the changed state).
#
# usage: itests/bench/report.sh [--out DIR] [--quick] [--profile] [--compare OLD.json]
#   --out DIR          where the report and each benchmark's log go (default target/bench-report)
#   --quick            smaller sizes and fewer rounds (under ten minutes instead of about thirteen, on 2 cores)
#   --profile          both nodes of the cost-of-protection stage run under async-profiler (4.1, from Maven
#                      Central): a CPU flame graph per node over the stage (DIR/flame-colo-a.html, -colo-b.html)
#                      and over its -c 50 SET run (flame-colo-a-set-c50.html, ...), the busiest threads and
#                      frames of that run in the report, and the JFR recordings (profile-colo-a.jfr, ...)
#   --compare OLD.json after the run, each figure's change against an earlier report.json (also alone:
#                      report.sh --compare OLD.json --against NEW.json compares two reports without running)
# Needs a built tree (mvn -B install -DskipTests) and the peers: nbdkit, nbdcopy, fio, iperf3, socat,
# redis-server, redis-benchmark, python3. Maven resolves what the benchmarks need (exec-maven-plugin) itself, once.
# Exits 1 when a stage failed (the report is written all the same).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/target/bench-report"
quick=false
profile=false
compare=""
against=""
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out="$2"; shift 2 ;;
        --quick) quick=true; shift ;;
        --profile) profile=true; shift ;;
        --compare) compare="$2"; shift 2 ;;
        --against) against="$2"; shift 2 ;;
        *) echo "usage: $0 [--out DIR] [--quick] [--profile] [--compare OLD.json [--against NEW.json]]" >&2; exit 2 ;;
    esac
done
compare_reports() { # old.json new.json: each figure's change
    python3 - "$1" "$2" <<'PY'
import json, sys
old, new = (json.load(open(p))["figures"] for p in sys.argv[1:3])
print("| figure | old | new | new / old |")
print("| --- | ---: | ---: | ---: |")
for key in sorted(set(old) | set(new)):
    a, b = old.get(key), new.get(key)
    ratio = "%.2f" % (b / a) if a not in (None, 0) and b is not None else "—"
    text = lambda v: "—" if v is None else ("%.0f" % v if v == int(v) else "%.4g" % v)
    print("| %s | %s | %s | %s |" % (key, text(a), text(b), ratio))
PY
}
if [ -n "$against" ]; then
    [ -n "$compare" ] || { echo "--against needs --compare OLD.json" >&2; exit 2; }
    compare_reports "$compare" "$against"
    exit 0
fi
[ -z "$compare" ] || [ -f "$compare" ] || { echo "--compare: no such file: $compare" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
report="$out/report.md"
cd "$top"

if $quick; then
    nbd_args=(--size-mib 256 --runtime 5)
    pair_args=(-Dbench.size.mib=256 -Dbench.fio.runtime=5 -Dbench.rounds=3 -Dbench.checkpoint.rounds=3
        -Dbench.cost.requests=2000)
    demo_seconds=3
else
    nbd_args=()
    pair_args=()
    demo_seconds=5
fi

failed_file="$out/failed-stages"
: >"$failed_file"
run() { # name, command...: runs a benchmark into its log, says so, never stops the report
    local name=$1; shift
    local start=$SECONDS status
    echo "[report] $name ..." >&2
    if "$@" >"$out/$name.log" 2>&1; then status=ok; else status="FAILED (exit $?, see $out/$name.log)"; echo "$name" >>"$failed_file"; fi
    status="$status, $((SECONDS - start)) s"
    echo "$status"
    echo "[report] $name: $status" >&2
}

# one Maven run (one JVM) per benchmark: in one JVM, the second pair's JMX connection failed its TLS check
bench_pair() { # name, which benchmark of -Pbench to run
    local only=$1; shift
    run "$only" mvn -B verify -Pbench -pl itests/support,itests/pair -DskipTests "${pair_args[@]}" \
        -Dbench.failure-detection.skip="$([ "$only" = failure-detection ] && echo false || echo true)" \
        -Dbench.replication.skip="$([ "$only" = replication ] && echo false || echo true)" \
        -Dbench.checkpoint.skip="$([ "$only" = checkpoint ] && echo false || echo true)" \
        -Dbench.cost.skip="$([ "$only" = cost ] && echo false || echo true)"
}
profiler_version=4.1
if $profile; then # the nodes of the cost stage start with the profiler's agent (Karaf adds EXTRA_JAVA_OPTS)
    for artifact in async-profiler jfr-converter; do
        mvn -B -q dependency:get -Dartifact=tools.profiler:$artifact:$profiler_version >>"$out/profiler.log" 2>&1 \
            || { echo "--profile: cannot get $artifact $profiler_version (see $out/profiler.log)" >&2; exit 1; }
    done
    profiler_jars="$HOME/.m2/repository/tools/profiler"
    rm -rf "$out/async-profiler" && mkdir -p "$out/async-profiler"
    (cd "$out/async-profiler" && unzip -q -o "$profiler_jars/async-profiler/$profiler_version/async-profiler-$profiler_version.jar" \
        "linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/libasyncProfiler.so")
    rm -f "$out"/flame-* "$out"/profile-*
    # itimer: CPU samples without perf_events, which containers often refuse; a JFR recording per node, written
    # when the node stops, so that any benchmark run's window can be cut out of it afterwards
    cost=$(EXTRA_JAVA_OPTS="-agentpath:$(ls "$out"/async-profiler/linux-*/libasyncProfiler.so)=start,event=itimer,interval=5ms,file=$out/profile-%p.jfr" \
        bench_pair cost)
    jfrconv() { # a conversion that fails is said in the report's log, and the report goes on
        java -jar "$profiler_jars/jfr-converter/$profiler_version/jfr-converter-$profiler_version.jar" "$@" \
            >>"$out/profiler.log" 2>&1 || echo "[report] --profile: jfr-converter $* failed (see $out/profiler.log)" >&2
    }
    read -r _ _ window_from window_to < <(grep -E '^window protected\.c50\.set ' "$out/cost.log" || echo "- - 0 0")
    for recording in "$out"/profile-*.jfr; do
        [ -e "$recording" ] || continue
        pid=${recording##*profile-}; pid=${pid%.jfr}
        node=$(python3 -c 'import json,sys; print(next((n["nodeId"] for n in json.load(open(sys.argv[1]))["nodes"] if str(n["pid"]) == sys.argv[2]), ""))' \
            "$top/itests/pair/target/bench/cost/pair/pair.json" "$pid" 2>/dev/null || true)
        node=${node:-pid$pid}
        mv "$recording" "$out/profile-$node.jfr"
        jfrconv --cpu --title "$node: the cost-of-protection stage" "$out/profile-$node.jfr" "$out/flame-$node.html"
        if [ "$window_to" != 0 ]; then
            jfrconv --cpu --title "$node: redis-benchmark -t set -c 50" --from "$window_from" --to "$window_to" \
                "$out/profile-$node.jfr" "$out/flame-$node-set-c50.html"
            jfrconv --cpu --threads -o collapsed --from "$window_from" --to "$window_to" "$out/profile-$node.jfr" \
                "$out/profile-$node-set-c50.collapsed"
        fi
    done
else
    cost=$(bench_pair cost)
fi
nbd=$(run nbd itests/bench/nbd-benchmark.sh "${nbd_args[@]}")
pair="failure detection $(bench_pair failure-detection); replication $(bench_pair replication); checkpoint $(bench_pair checkpoint)"
cat "$out/failure-detection.log" "$out/replication.log" "$out/checkpoint.log" >"$out/pair.log"
link=$(run peer-link mvn -B -q -pl bundles/dev.colo.transport test-compile exec:java \
    -Dexec.mainClass=dev.colo.transport.internal.PeerLinkBenchmark -Dexec.classpathScope=test)
proxy=$(run proxy mvn -B -q -pl bundles/dev.colo.proxy test-compile exec:java \
    -Dexec.mainClass=dev.colo.proxy.internal.mina.ProxyBenchmark -Dexec.classpathScope=test)

# failover gap, boot time and memory: the demo as a user runs it
demo_dir="$out/demo"
rm -rf "$demo_dir" && mkdir -p "$demo_dir"
tar xzf "$(ls distribution/target/dev.colo.distribution-*.tar.gz | head -1)" -C "$demo_dir"
colo=$(ls -d "$demo_dir"/dev.colo.distribution-*)/bin/colo
demo=$(run demo "$colo" demo --dir "$demo_dir/pair" --seconds "$demo_seconds")
survivor=$(python3 -c 'import json,sys; print(" ".join(str(n["pid"]) for n in json.load(open(sys.argv[1]))["nodes"]))' \
    "$demo_dir/pair/pair.json" 2>/dev/null || true)
rss=$(for pid in $survivor; do ps -o rss= -p "$pid" 2>/dev/null; done | awk '{printf "%d MiB ", $1/1024}')
"$colo" pair down --dir "$demo_dir/pair" >/dev/null 2>&1 || true

# the peer of boot time and memory: redis-server, the service the reference guest imitates, unprotected, started
# until it answers PING, then holding as many keys as the demo's client wrote (100 000 if the log does not say)
redis_peer() {
    local port keys start dir pid
    command -v redis-server >/dev/null || { echo "redis-server is not installed"; return 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    keys=$(grep -oE 'acknowledged writes [0-9]+' "$out/demo.log" | head -1 | grep -oE '[0-9]+$' || echo 100000)
    dir="$out/redis-peer" && rm -rf "$dir" && mkdir -p "$dir"
    start=$(date +%s%N)
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly yes --daemonize yes \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.005; done
    echo "redis-server up (answers PING) in $(( ($(date +%s%N) - start) / 1000000 )) ms"
    redis-benchmark -p "$port" -q -t set -n "$keys" -r "$((keys * 10))" -d 8 >/dev/null
    pid=$(cat "$dir/redis.pid")
    echo "redis-server resident memory holding $(redis-cli -p "$port" dbsize) keys: $(ps -o rss= -p "$pid" | awk '{printf "%d MiB", $1/1024}')"
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$pid"
}
peer=$(run redis-peer redis_peer)

tables() { grep -E '^\|' "$1" || echo "(no table: see $1)"; }
top_consumers() { # a collapsed profile split by thread: two small tables, threads and self frames, by share of samples
    python3 - "$1" <<'PY'
import collections, re, sys
threads, frames, total = collections.Counter(), collections.Counter(), 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    stack, _, count = line.rstrip("\n").rpartition(" ")
    if not count.isdigit():
        continue
    parts = stack.split(";")
    # "[colo-guest-kv-io-2 tid=123]": threads of one pool counted together
    named = re.match(r"^\[(.*?) ?tid=\d+\]$", parts[0])
    thread = re.sub(r"\d+$", "N", named.group(1)) or "(no name)" if named else "(no thread)"
    threads[thread] += int(count)
    frames[re.sub(r"_\[[a-z0-9]\]$", "", parts[-1])] += int(count)
    total += int(count)
for title, counter in (("thread", threads), ("frame on the CPU", frames)):
    print("| %s | share of samples |" % title)
    print("| --- | ---: |")
    for name, count in counter.most_common(8):
        print("| `%s` | %.1f %% |" % (name.replace("|", "\\|"), 100.0 * count / max(total, 1)))
    print()
print("%d samples" % total)
PY
}
lines() { grep -E "$2" "$1" || echo "(not found: see $1)"; }

{
    echo "# Benchmark report"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo) RAM,"
    echo "Java $(java -version 2>&1 | head -1 | cut -d'"' -f2); $($quick && echo quick || echo full) run of \`itests/bench/report.sh\`."
    echo "Each figure is set against its peer measured in the same run; compare ratios, not absolute values,"
    echo "across machines. Logs: \`$out\`; every figure also in \`report.json\`."
    echo
    echo "## Cost of protection ($cost)"
    echo
    echo "redis-benchmark against the protected service (through the primary's proxy), the primary's guest directly,"
    echo "and redis-server with an append-only file forced at every write (always) or every second (everysec), same"
    echo "file system; INCR increments one shared key (concurrent clients: the miscompare case)."
    echo
    tables "$out/cost.log"
    echo
    if $profile; then
        echo "CPU flame graphs of the nodes (async-profiler $profiler_version, itimer every 5 ms; JFR recordings beside"
        echo "them), over the whole stage and over its \`-c 50\` SET run alone:"
        for flame in "$out"/flame-*.html; do [ -e "$flame" ] && echo "[$(basename "$flame")]($(basename "$flame"))"; done
        echo
        for collapsed in "$out"/profile-*-set-c50.collapsed; do
            [ -e "$collapsed" ] || continue
            node=${collapsed##*profile-}; node=${node%-set-c50.collapsed}
            echo "Where $node's CPU went during \`-c 50\` SET: the busiest threads, and the frames that were on the CPU"
            echo "(self time)."
            echo
            top_consumers "$collapsed"
            echo
        done
    fi
    echo "## NBD export vs nbdkit file ($nbd)"
    echo
    tables "$out/nbd.log"
    echo
    echo "## Replication vs nbdkit file, checkpoint pause, failure detection ($pair)"
    echo
    tables "$out/pair.log"
    echo
    echo '```'
    lines "$out/pair.log" 'failure detection over|ratio to timeout|target:'
    echo '```'
    echo
    echo "![checkpoint pause against the changed state](checkpoint-pause.svg)"
    echo
    echo "## Peer link: TLS round trips in one process ($link)"
    echo
    echo '```'
    sed 's/\x1b\[[0-9;]*m//g' "$out/peer-link.log" | grep -vE '^\[|^$' | tail -20 # (without Maven's colour codes)
    echo '```'
    echo
    echo "## Proxy vs direct and socat ($proxy)"
    echo
    tables "$out/proxy.log"
    echo
    echo "## Failover gap, boot time, memory: bin/colo demo --seconds $demo_seconds ($demo)"
    echo
    echo '```'
    lines "$out/demo.log" 'Pair up in|failover gap|longest time|acknowledged writes|checkpoint pause|every invariant|INVARIANT'
    echo "resident memory of the nodes after the run: ${rss:-unknown}"
    echo '```'
    echo
    echo "Peer, the same run ($peer): redis-server alone, unprotected, append-only file on"
    echo
    echo '```'
    lines "$out/redis-peer.log" 'redis-server'
    echo '```'
} >"$report"

python3 - "$out/pair.log" "$out/checkpoint-pause.svg" <<'PY'
import re, sys, math
rows = []
units = {"B": 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3}
header = None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if line.startswith("| changed state"):
        header = cells
        continue
    if header and line.startswith("|") and not line.startswith("| ---"):
        m = re.match(r"([\d.]+)\s*(B|KiB|MiB|GiB)", cells[0])
        if m or cells[0] == "nothing":
            size = float(m.group(1)) * units[m.group(2)] if m else 0.0
            rows.append((size, float(cells[header.index("pause p50 (ms)")])))
    elif header and not line.startswith("|"):
        header = None
w, h, pad = 640, 360, 56
svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (w, h),
       '<rect width="100%" height="100%" fill="white"/>']
if rows:
    xs = [math.log2(max(x, 1)) for x, _ in rows]
    ys = [y for _, y in rows]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y1 = max(max(ys), 5.0) * 1.1
    px = lambda x: pad + (x - x0) / (x1 - x0) * (w - 2 * pad)
    py = lambda y: h - pad - y / y1 * (h - 2 * pad)
    svg.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (pad, h - pad, w - pad, h - pad))
    svg.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (pad, pad, pad, h - pad))
    svg.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="red" stroke-dasharray="4"/>' % (pad, py(5), w - pad, py(5)))
    svg.append('<text x="%d" y="%.1f" fill="red">target 5 ms</text>' % (w - pad - 70, py(5) - 4))
    pts = " ".join("%.1f,%.1f" % (px(x), py(y)) for x, y in zip(xs, ys))
    svg.append('<polyline points="%s" fill="none" stroke="steelblue" stroke-width="2"/>' % pts)
    for (raw, y), x in zip(rows, xs):
        label = next(("%g %s" % (raw / f, u) for u, f in sorted(units.items(), key=lambda kv: -kv[1]) if raw >= f), "0 B")
        svg.append('<circle cx="%.1f" cy="%.1f" r="3" fill="steelblue"/>' % (px(x), py(y)))
        svg.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (px(x), h - pad + 16, label))
        svg.append('<text x="%.1f" y="%.1f" text-anchor="middle">%.1f</text>' % (px(x), py(y) - 6, y))
    svg.append('<text x="%d" y="%d" text-anchor="middle">guest state changed since the last checkpoint</text>' % (w / 2, h - 12))
    svg.append('<text x="16" y="%d" transform="rotate(-90 16 %d)" text-anchor="middle">pause p50 (ms)</text>' % (h / 2, h / 2))
else:
    svg.append('<text x="20" y="40">no checkpoint figures in the log</text>')
svg.append("</svg>")
open(sys.argv[2], "w").write("\n".join(svg) + "\n")
PY
# report.json: every figure under a stable key. A benchmark's own "key value" lines (cost.*) are taken as they
# are; every other number is a cell of a Markdown table in a stage's log, keyed STAGE.ROW.COLUMN, each part the
# label of the first cell and the column header reduced to [a-z0-9_] (docs/benchmarks.md lists them).
python3 - "$out" "$($quick && echo quick || echo full)" cost nbd failure-detection replication checkpoint peer-link proxy <<'PY' >"$out/report.json"
import json, os, re, sys, time
out, mode, stages = sys.argv[1], sys.argv[2], sys.argv[3:]
slug = lambda text: re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", text.lower())).strip("_")
number = re.compile(r"^[-+]?[\d ]*\d(?:\.\d+)?(?=\s|$|[a-zA-Zµ%×x/(])")
figures = {}
for stage in stages:
    path = os.path.join(out, stage + ".log")
    if not os.path.exists(path):
        continue
    header = None
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = re.sub(r"^\[[\w.-]+\] ", "", raw.strip())
        kv = re.match(r"^((?:cost)\.[\w.-]+) (-?[\d.]+)$", line)
        if kv:
            figures[kv.group(1)] = float(kv.group(2))
            continue
        if not line.startswith("|") or stage == "cost":  # the cost table's figures are its cost.* lines
            header = None
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if header is None:
            header = [slug(c) for c in cells]
            continue
        if all(set(c) <= set("-: ") for c in cells):
            continue
        row = slug(cells[0])
        for name, cell in zip(header[1:], cells[1:]):
            m = number.match(cell.replace("\u202f", " "))
            if m and row and name:
                figures.setdefault("%s.%s.%s" % (stage, row, name), float(m.group(0).replace(" ", "")))
json.dump({"date": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()), "mode": mode, "cores": os.cpu_count(),
           "figures": figures}, sys.stdout, indent=1, sort_keys=True)
PY
echo "[report] $report" >&2
cat "$report"
if [ -n "$compare" ]; then
    echo
    echo "## Against $compare"
    echo
    compare_reports "$compare" "$out/report.json" | tee "$out/compare.md"
fi
if [ -s "$failed_file" ]; then
    echo "[report] failed stages: $(tr '\n' ' ' <"$failed_file")" >&2
    exit 1
fi
