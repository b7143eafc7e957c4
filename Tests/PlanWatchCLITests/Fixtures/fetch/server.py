#!/usr/bin/env python3
"""A loopback HTTP server for the fetch test: writes its port to argv[1], then serves
  /data.csv        a CSV with an ETag (304 for If-None-Match of the current one); /set?v=2 changes it
  /data.csv.gz     the same CSV gzipped, no validators (a 200 with the same bytes each time)
  /wdi.zip         a zip of the CSV and a WDI metadata companion
  /sdmx.csv        an SDMX-CSV answer (Eurostat's layout: the fixture sources/eurostat-gdp-meur.csv)
  /redirect        302 to /data.csv
  /fail            500
  /slow            answers after 5 s
  /truncated       says Content-Length 1000, sends 100 bytes and closes
  /last-modified   the CSV with Last-Modified: Mon, 30 Sep 2024 08:00:00 GMT
  /to-plain        302 to the plain server's /data.csv (from the https servers)
  /office.zip      a zip of an office's SDMX-CSV in codes of its own (AH, URB_RATE) and its metadata companion,
                   with Last-Modified: Mon, 30 Sep 2024 08:00:00 GMT
  /vintaged.csv    a canonical CSV with a vintage column and no source column
  /chunked         the CSV in chunks (Transfer-Encoding: chunked, one size line with an extension)
  /chunked-cut     chunks, then the connection closes without the last (zero) chunk
  /unframed        the CSV with neither Content-Length nor chunks: it ends when the server closes
  /huge-error?size=N, /huge-error-close?size=N, /huge-redirect?size=N
                   a 500 with a body of N bytes (a first line, then x's) framed by Content-Length, the same 500
                   ended by closing, a 302 to /data.csv with such a body
  /always-304      304 Not Modified to every request, validators or not
  /hostile         a 500 whose body sets the terminal's title, clears the screen, carries an OSC 8 link and a CSI
and logs each request line to argv[2]. The same handler also answers over TLS (tls/README.md) on three more ports:
one with a certificate from the test CA for 127.0.0.1, one with the CA's certificate for another host, one
self-signed. The port file holds the four ports: plain, https, https for another host, https self-signed."""
import gzip, http.server, io, os, ssl, sys, threading, time, zipfile

VERSION = {"v": "1"}
ROWS = {"1": "urbanization_rate,CN-AH,2023,61.51\n", "2": "urbanization_rate,CN-AH,2023,61.51\nurbanization_rate,CN-AH,2024,62.57\n"}


OFFICE_SDMX = (
    b"STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,MEASURE,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE\n"
    b"dataflow,OFFICE:DF_URB(1.0),I,AH,URB_RATE,PC,2023,61.51\n"
    b"dataflow,OFFICE:DF_URB(1.0),I,AH,URB_RATE,PC,2024,62.57\n"
)


def csv():
    return ("indicator,region,period,value,source\n" + ROWS[VERSION["v"]].replace("\n", ",Anhui Provincial Bureau of Statistics\n")).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        with open(sys.argv[2], "a") as log:
            log.write(f"{self.command} {self.path} {self.headers.get('If-None-Match', '-')}\n")

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_huge(self, status, size, headers=(), framed=True):
        """Sends a body of `size` bytes in pieces of 1 MiB; a client that stops reading is no error here."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if framed:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        first = b"the data service is down for maintenance\n"
        piece = b"x" * (1 << 20)
        try:
            self.wfile.write(first)
            left = size - len(first)
            while left > 0:
                self.wfile.write(piece[:left])
                left -= len(piece)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def do_GET(self):
        etag = f'"v{VERSION["v"]}"'
        size = int(self.path.split("size=")[1]) if "size=" in self.path else 0
        if self.path.startswith("/huge-error?"):
            self.send_huge(500, size)
        elif self.path.startswith("/huge-error-close?"):
            self.send_huge(500, size, framed=False)
        elif self.path.startswith("/huge-redirect?"):
            self.send_huge(302, size, [("Location", "/data.csv")])
        elif self.path == "/always-304":
            self.send(304)
        elif self.path == "/hostile":
            link = "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"
            self.send(500, f"\x1b]0;pwned\x07\x1b[2J{link} \u009b31m".encode())
        elif self.path.startswith("/set?v="):
            VERSION["v"] = self.path.split("=")[1]
            self.send(200, b"ok")
        elif self.path == "/data.csv":
            if self.headers.get("If-None-Match") == etag:
                self.send(304)
            else:
                self.send(200, csv(), [("ETag", etag), ("Content-Type", "text/csv")])
        elif self.path == "/data.csv.gz":
            self.send(200, gzip.compress(csv(), mtime=0))
        elif self.path == "/wdi.zip":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
                info = zipfile.ZipInfo("data.csv", date_time=(2024, 1, 1, 0, 0, 0))
                z.writestr(info, csv())
                z.writestr(zipfile.ZipInfo("Metadata_Country_data.csv", date_time=(2024, 1, 1, 0, 0, 0)), b'"Country Code",\n')
            self.send(200, buffer.getvalue())
        elif self.path == "/sdmx.csv":
            here = os.path.dirname(os.path.abspath(__file__))
            with open(os.path.join(here, "..", "sources", "eurostat-gdp-meur.csv"), "rb") as f:
                self.send(200, f.read(), [("Content-Type", "application/vnd.sdmx.data+csv; version=1.0.0")])
        elif self.path == "/last-modified":
            self.send(200, csv(), [("Last-Modified", "Mon, 30 Sep 2024 08:00:00 GMT")])
        elif self.path == "/office.zip":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(zipfile.ZipInfo("DF_URB.csv", date_time=(2024, 9, 30, 8, 0, 0)), OFFICE_SDMX)
                z.writestr(zipfile.ZipInfo("Metadata_DF_URB.csv", date_time=(2024, 9, 30, 8, 0, 0)), b"CODE,LABEL\nURB_RATE,Urbanization rate\n")
            self.send(200, buffer.getvalue(), [("Last-Modified", "Mon, 30 Sep 2024 08:00:00 GMT")])
        elif self.path == "/vintaged.csv":
            self.send(200, b"indicator,region,period,value,vintage\nurbanization_rate,CN-HA,2023,58.08,2024-04-15\n")
        elif self.path in ("/chunked", "/chunked-cut"):
            body = csv()
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            pieces = [body[:7], body[7:50], body[50:]]
            for number, piece in enumerate(pieces):
                self.wfile.write(f"{len(piece):x}{';note=1' if number == 1 else ''}\r\n".encode() + piece + b"\r\n")
                self.wfile.flush()
            if self.path == "/chunked":
                self.wfile.write(b"0\r\n\r\n")
            self.close_connection = True
        elif self.path == "/unframed":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(csv())
            self.close_connection = True
        elif self.path == "/to-plain":
            self.send(302, b"", [("Location", f"http://127.0.0.1:{PORTS[0]}/data.csv")])
        elif self.path == "/redirect":
            self.send(302, b"", [("Location", "/data.csv")])
        elif self.path == "/fail":
            self.send(500, b"internal error")
        elif self.path == "/slow":
            time.sleep(5)
            self.send(200, csv())
        elif self.path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(csv()[:100])
            self.wfile.flush()
            self.close_connection = True
        else:
            self.send(404, b"not found")


PORTS = []
servers = []
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tls")
for certificate in [None, "server", "other", "self"]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if certificate:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(here, certificate + ".pem"), os.path.join(here, certificate + ".key"))
        server.socket = context.wrap_socket(server.socket, server_side=True)
    servers.append(server)
    PORTS.append(server.server_address[1])
for server in servers[1:]:
    threading.Thread(target=server.serve_forever, daemon=True).start()
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(" ".join(map(str, PORTS)))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
servers[0].serve_forever()
