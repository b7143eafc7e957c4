#!/usr/bin/env python3
"""A stand-in for Alertmanager's POST /api/v2/alerts on loopback, for the delivery tests. Writes its port to argv[1],
records every request as one JSON line {"status": N, "alerts": [...]} in argv[2] (after answering), and answers
by argv[3]:
  refuse-data-twice  404 with a reverse proxy's body until it has refused PlanData alerts in two requests (as a
                     proxy in front of a restarting Alertmanager does), then 200
  invalid            400 with Alertmanager's kind of body, every time"""
import http.server, json, os, sys, threading

PORT_FILE, LOG, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
LOCK = threading.Lock()
STATE = {"refused_data": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        alerts = json.loads(body or b"[]")
        with LOCK:
            if MODE == "invalid":
                status, text = 400, b'{"code":400,"message":"maxLength in body should be 10"}'
            elif STATE["refused_data"] < 2:
                status, text = 404, b"<html><body>404 Not Found (nginx)</body></html>"
                if any(alert["labels"].get("alertname") == "PlanData" for alert in alerts):
                    STATE["refused_data"] += 1
            else:
                status, text = 200, b""
            self.send_response(status)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)
            with open(LOG, "a") as log:
                log.write(json.dumps({"path": self.path, "status": status, "alerts": alerts}) + "\n")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".part", "w") as port:
    port.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".part", PORT_FILE)
server.serve_forever()
