#!/usr/bin/env python3
"""A tiny Alertmanager webhook receiver for run-alertmanager-test.sh.

    webhook.py OUTPUT PORTFILE

Listens on 127.0.0.1 on a port the kernel picks, writes that port to PORTFILE (after binding, so a reader that
sees the file can connect), and appends every POST body it receives to OUTPUT as one compact JSON object per
line, flushed and fsynced before it answers 200. A body that is not JSON is recorded as {"invalid": "<text>"} and
still answered 200, so Alertmanager never retries into duplicates. GET answers 200 "ok" (a liveness probe).
Runs until SIGTERM or SIGINT.
"""
import http.server
import json
import os
import signal
import sys
import threading


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    output_path, port_path = sys.argv[1], sys.argv[2]
    lock = threading.Lock()
    output = open(output_path, "a", encoding="utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            try:
                record = json.loads(body)
            except ValueError:
                record = {"invalid": body.decode("utf-8", "replace")}
            line = json.dumps(record, separators=(",", ":"), sort_keys=True)
            with lock:
                output.write(line + "\n")
                output.flush()
                os.fsync(output.fileno())
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "3")
            self.end_headers()
            self.wfile.write(b"ok\n")

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            sys.stderr.write("webhook: %s\n" % (format % args))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    temporary = port_path + ".tmp"
    with open(temporary, "w", encoding="ascii") as handle:
        handle.write("%d\n" % server.server_address[1])
    os.rename(temporary, port_path)

    def stop(_signum, _frame) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever(poll_interval=0.1)
    server.server_close()
    output.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
