#!/usr/bin/env python3
"""The progress report's speed (issue 13): `planwatch report` for 10,000 targets over 1 M observations, and the
daemon's drop-to-alert latency with the report written after every evaluation against the same daemon with
`report.enabled: false` (the report is written after the alert is logged, so it should not add to the latency).

Release build; medians of --runs runs (default 3). Usage: bench/report.py [--runs N]"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the main benchmark's helpers: build paths, generate, latency)

ROOT, WORK, BIN = run.ROOT, run.WORK, run.BIN


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)
    print("building planwatch (release)…", file=sys.stderr)
    run.sh(["swift", "build", "-c", "release", "--product", "planwatch"], cwd=ROOT)
    rows = os.path.join(WORK, "rows-1000000.csv")
    if not os.path.exists(rows):
        print("generating inputs…", file=sys.stderr)
        run.sh([sys.executable, os.path.join(ROOT, "bench", "generate.py"), WORK, "1000000"])
    config = os.path.join(WORK, "config")
    state = run.fresh("report-state")
    run.sh([BIN, "ingest", "--config", config, "--state-dir", state, "--log-dir", state, rows])
    out = os.path.join(WORK, "report")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(WORK, ".report.spare"), ignore_errors=True)

    def report(day):
        return run.timed([BIN, "report", "--config", config, "--state-dir", state, "--as-of", day, "--out", out])
    # The first report into an empty folder, the second (which makes the spare folder), then the steady state
    # the daemon is in: each new day's report rewritten into the spare folder's files and swapped in.
    first, peak, _ = report("2025-06-01")
    second, _, _ = report("2025-06-02")
    steady = [report(f"2025-06-{10 + attempt:02d}")[0] for attempt in range(args.runs)]
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(out) for f in files)
    unchanged, _, _ = report(f"2025-06-{10 + args.runs - 1:02d}")
    evaluate_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run([BIN, "evaluate", "--config", config, "--state-dir", state, "--as-of", "2025-06-30", "--json"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        evaluate_times.append(time.perf_counter() - start)

    print(f"\nplanwatch report benchmark — {os.uname().nodename}, {os.cpu_count()} cores, median of {args.runs} runs\n")
    print(f"report, 10,000 targets over 1,000,000 observations ({size / 1e6:.1f} MB, 10,001 pages), whole command:")
    print(f"  rewritten, as the daemon does each day (median): {statistics.median(steady):.2f} s   runs {[round(t, 2) for t in steady]}")
    print(f"  first into an empty folder: {first:.2f} s; second (making the spare folder): {second:.2f} s; peak {peak:.0f} MiB")
    print(f"  unchanged inputs (skipped after the digest check): {unchanged:.2f} s")
    print(f"  of which evaluating (evaluate --json, same targets, median): {statistics.median(evaluate_times):.2f} s")
    if args.skip_latency:
        return
    off = os.path.join(WORK, "no-report")
    os.makedirs(off, exist_ok=True)
    with open(os.path.join(off, "planwatch.yaml"), "w") as f:
        f.write(f"plans: {os.path.join(ROOT, 'seeds', 'plans.d')}\nreport:\n  enabled: false\n")
    print("measuring drop-to-alert latency with and without the report (about a minute)…", file=sys.stderr)
    with_report, _ = run.latency(None, idle=False)
    without, _ = run.latency(off, idle=False)
    for name, drops in (("with the report (default)", with_report), ("report.enabled: false", without)):
        print(f"drop-to-alert latency, 20 drops, {name}: median {statistics.median(drops) * 1000:.0f} ms, worst {max(drops) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
