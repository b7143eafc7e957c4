#!/usr/bin/env python3
"""`planwatch fetch` of one large file (issue 15), over plain http and over https, side by side with curl
fetching the same address into a file: wall time and peak memory (max RSS) per run, medians of --runs runs,
and the ratios. The server is Python's http.server on loopback (its TLS with the test certificate of
Tests/PlanWatchCLITests/Fixtures/fetch/tls), so both clients meet the same server; its speed bounds both.

Release build. Usage: bench/fetch.py [--mb 64] [--runs 3]"""
import argparse
import http.server
import os
import shutil
import ssl
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the main benchmark's helpers: build paths)

ROOT, WORK, BIN = run.ROOT, run.WORK, run.BIN
TLS = os.path.join(ROOT, "Tests", "PlanWatchCLITests", "Fixtures", "fetch", "tls")


def measured(args):
    """Wall seconds and max RSS (MiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(args)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def serve(folder, certificate):
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=folder, **k)  # noqa: E731
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if certificate:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(TLS, "server.pem"), os.path.join(TLS, "server.key"))
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("curl"):
        sys.exit("curl is missing: apt-get install -y curl")
    print("building planwatch (release)…", file=sys.stderr)
    run.sh(["swift", "build", "-c", "release", "--product", "planwatch"], cwd=ROOT)
    folder = os.path.join(WORK, "fetch")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(os.path.join(folder, "www"))
    # A canonical CSV of about --mb MiB (distinct rows, so it is what a large download looks like).
    path = os.path.join(folder, "www", "big.csv")
    with open(path, "w") as f:
        f.write("indicator,region,period,value\n")
        row = 0
        while f.tell() < args.mb << 20:
            f.write(f"urbanization_rate,CN-AH,{1900 + row % 125},{50 + (row % 9973) / 1000:.3f}\n")
            row += 1
    size = os.path.getsize(path)
    plain = serve(os.path.join(folder, "www"), False)
    secure = serve(os.path.join(folder, "www"), True)
    ca = os.path.join(TLS, "ca.pem")
    plans = os.path.join(folder, "plans")
    os.makedirs(plans)
    with open(os.path.join(plans, "sources.yaml"), "w") as f:
        f.write(f"""sources:
  - {{id: bench-http, name: bench-http, fetch: {{url: "http://127.0.0.1:{plain}/big.csv", timeout: 120s}}}}
  - {{id: bench-https, name: bench-https, fetch: {{url: "https://127.0.0.1:{secure}/big.csv", ca_file: {ca}, timeout: 120s}}}}
""")
    with open(os.path.join(folder, "planwatch.yaml"), "w") as f:
        f.write(f"plans: plans\ningest:\n  max_file_size: {size * 2}\n")
    config = os.path.join(folder, "planwatch.yaml")

    def planwatch(source):
        state = os.path.join(folder, "state")
        shutil.rmtree(state, ignore_errors=True)  # every run downloads (no validators, an empty inbox)
        return measured([BIN, "fetch", "--config", config, "--state-dir", state, "--log-dir", os.path.join(folder, "log"), source])

    def curl(url, *extra):
        return measured(["curl", "-fsS", *extra, "-o", os.path.join(folder, "curl.out"), url])

    cases = [
        ("http", lambda: planwatch("bench-http"), lambda: curl(f"http://127.0.0.1:{plain}/big.csv")),
        ("https", lambda: planwatch("bench-https"), lambda: curl(f"https://127.0.0.1:{secure}/big.csv", "--cacert", ca)),
    ]
    print(f"fetch of {size / (1 << 20):.1f} MiB on loopback, medians of {args.runs} runs (release build)")
    print(f"{'':6} {'planwatch s':>12} {'curl s':>8} {'ratio':>6}   {'planwatch MiB':>13} {'curl MiB':>9}")
    for name, ours, theirs in cases:
        mine = [ours() for _ in range(args.runs)]
        other = [theirs() for _ in range(args.runs)]
        t1, m1 = statistics.median(x[0] for x in mine), statistics.median(x[1] for x in mine)
        t2, m2 = statistics.median(x[0] for x in other), statistics.median(x[1] for x in other)
        print(f"{name:6} {t1:12.2f} {t2:8.2f} {t1 / t2:6.2f}   {m1:13.0f} {m2:9.0f}")


if __name__ == "__main__":
    main()
