#!/usr/bin/env python3
"""Checks a static planwatch HTML report in a real headless Chromium.

Usage: Tests/report/browser-check.py REPORT_DIR [--out .build-report] [--expect TARGET_ID=N ...]
       [--expect-attr TARGET_ID SELECTOR ATTRIBUTE VALUE ...]

Opens index.html and the target pages (targets/central-rd-share-2025.html,
targets/anhui-urbanization-1pp.html, every TARGET_ID named by --expect, and with --all-targets every
other targets/*.html) as file:// URLs over
the DevTools protocol, collects console errors, exceptions, Log errors and failed or external
resource loads, takes full-page PNG screenshots into OUT (kept on failure too), and checks the
report's DOM contract with Runtime.evaluate (chart structure and accessibility, point counts
against the values table, sparklines and badges on the index, no external URLs, no <script>).

Prints one line per check ("ok   ..." / "FAIL ..."), then a summary. Exit status: 1 if any check
failed, 0 otherwise. Where no Chromium can be found, installed (apt-get, as root or with
passwordless sudo) or started, prints "browser-check: skipped: <reason>" and exits 0.

Needs Python 3.8+ and the standard library only. The websocket client is websocket-client
(PyPI) when importable or installable with pip into .build-report/pylib; otherwise a small
built-in RFC 6455 client is used. PW_BROWSER_CHECK_WS=builtin|websocket-client forces one.
--chromium PATH (or $CHROMIUM) picks the browser binary; --no-install never calls apt-get.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_TARGETS = ["central-rd-share-2025", "anhui-urbanization-1pp"]
INDEX_VIEWPORT = (1280, 900)
TARGET_VIEWPORT = (1100, 800)
BROWSER_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
WEBSOCKET_CLIENT_REQ = "websocket-client>=1.6,<2"
START_TIMEOUT = 60.0     # seconds for Chromium to print its DevTools endpoint (slow on a busy machine)
COMMAND_TIMEOUT = 60.0   # seconds for one DevTools command
LOAD_TIMEOUT = 30.0      # seconds for a page's load event
SETTLE = 0.3             # seconds to keep listening for late console messages after load


class Skip(Exception):
    """Chromium cannot be obtained or started: the whole check is skipped (exit 0)."""


class CDPError(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Results


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, ok, name, detail=""):
        detail = re.sub(r"\s+", " ", str(detail)).strip()   # one line per check, stack traces included
        line = name + (": " + detail if detail else "")
        if ok:
            self.passed += 1
            print("ok   " + line, flush=True)
        else:
            self.failed.append(line)
            print("FAIL " + line, flush=True)
        return ok


# --------------------------------------------------------------------------------------------
# WebSocket clients: websocket-client when available, else a minimal built-in one.


class BuiltinWebSocket:
    """Just enough RFC 6455 for DevTools: text frames, masking, fragmentation, ping/close."""

    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, url, timeout):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "ws":
            raise CDPError("unsupported websocket URL " + url)
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + ("?" + parts.query if parts.query else "")
        # No Origin header: Chromium 111+ rejects websocket clients that send one unless started
        # with --remote-allow-origins.
        request = (f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise CDPError("websocket handshake: connection closed")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        if not re.match(r"HTTP/1\.1 101\b", lines[0]):
            raise CDPError("websocket handshake refused: " + lines[0])
        headers = dict((k.strip().lower(), v.strip()) for k, _, v in (l.partition(":") for l in lines[1:]))
        expected = base64.b64encode(hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            raise CDPError("websocket handshake: bad Sec-WebSocket-Accept")

    def settimeout(self, seconds):
        self.sock.settimeout(seconds)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buf)))
            if not chunk:
                raise CDPError("websocket closed by Chromium")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _send_frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        if n:
            key = (mask * (n // 4 + 1))[:n]
            payload = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")
        self.sock.sendall(header + mask + payload)

    def send(self, text):
        self._send_frame(0x1, text.encode("utf-8"))

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            fin, opcode, n = b0 & 0x80, b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                key = (mask * (n // 4 + 1))[:n]
                payload = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")
            if opcode == 0x8:
                raise CDPError("websocket closed by Chromium")
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode == 0xA:
                continue
            message += payload
            if fin:
                return message.decode("utf-8")

    def close(self):
        try:
            self._send_frame(0x8, struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()


def load_websocket_client(out_dir):
    """Returns the websocket-client module, installing it into .build-report/pylib if missing,
    or None (the built-in client is used then). Prints why on stderr."""
    pylib = REPO / ".build-report" / "pylib"
    if pylib.is_dir():
        sys.path.insert(0, str(pylib))
    try:
        import websocket  # noqa: F401
        if hasattr(websocket, "create_connection"):
            return websocket
    except ImportError:
        pass
    pylib.mkdir(parents=True, exist_ok=True)
    log = Path(out_dir) / "pip-websocket-client.log"
    cmd = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
           "--quiet", "--target", str(pylib), WEBSOCKET_CLIENT_REQ]
    print(f"browser-check: installing {WEBSOCKET_CLIENT_REQ} into {pylib}", file=sys.stderr, flush=True)
    try:
        with open(log, "w") as fh:
            rc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, timeout=300,
                                env=dict(os.environ, PIP_ROOT_USER_ACTION="ignore")).returncode
    except (OSError, subprocess.TimeoutExpired) as exc:
        rc = str(exc)
    if rc != 0:
        print(f"browser-check: pip install failed ({rc}, see {log}); using the built-in websocket client",
              file=sys.stderr, flush=True)
        return None
    if str(pylib) not in sys.path:
        sys.path.insert(0, str(pylib))
    sys.modules.pop("websocket", None)
    try:
        import websocket
        return websocket
    except ImportError as exc:
        print(f"browser-check: websocket-client unusable after install ({exc}); using the built-in client",
              file=sys.stderr, flush=True)
        return None


class ClientWebSocket:
    """Adapter over websocket-client with the same three methods as BuiltinWebSocket."""

    def __init__(self, module, url, timeout):
        self.module = module
        # suppress_origin: see BuiltinWebSocket; max_size unlimited is the default here.
        self.ws = module.create_connection(url, timeout=timeout, suppress_origin=True,
                                           enable_multithread=False)

    def settimeout(self, seconds):
        self.ws.settimeout(seconds)

    def send(self, text):
        self.ws.send(text)

    def recv(self):
        try:
            data = self.ws.recv()
        except self.module.WebSocketTimeoutException:
            raise socket.timeout()
        except self.module.WebSocketConnectionClosedException:
            raise CDPError("websocket closed by Chromium")
        if isinstance(data, bytes):
            data = data.decode("utf-8")
        return data

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass


# --------------------------------------------------------------------------------------------
# DevTools protocol over one browser-level connection, with flattened target sessions.


class CDP:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events = []      # every event received, in order: dicts with method, params, sessionId

    def _recv(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout()
        self.ws.settimeout(remaining)
        return json.loads(self.ws.recv())

    def send(self, method, params=None, session=None, timeout=COMMAND_TIMEOUT):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while True:
            try:
                reply = self._recv(deadline)
            except socket.timeout:
                raise CDPError(f"{method}: no answer within {timeout:.0f} s")
            if "method" in reply:
                self.events.append(reply)
            elif reply.get("id") == self.next_id:
                if "error" in reply:
                    err = reply["error"]
                    raise CDPError(f"{method}: {err.get('message')} ({err.get('code')}) {err.get('data', '')}".strip())
                return reply.get("result", {})

    def wait_event(self, method, session, start, timeout):
        """Returns the first event METHOD of SESSION at or after index START, waiting up to TIMEOUT."""
        deadline = time.monotonic() + timeout
        i = start
        while True:
            while i < len(self.events):
                ev = self.events[i]
                i += 1
                if ev.get("method") == method and ev.get("sessionId") == session:
                    return ev
            try:
                reply = self._recv(deadline)
            except socket.timeout:
                return None
            if "method" in reply:
                self.events.append(reply)

    def drain(self, seconds):
        deadline = time.monotonic() + seconds
        while True:
            try:
                reply = self._recv(deadline)
            except socket.timeout:
                return
            if "method" in reply:
                self.events.append(reply)


# --------------------------------------------------------------------------------------------
# Getting and starting Chromium


def tail_of(path, pattern=None, n=3):
    try:
        lines = [l.strip() for l in Path(path).read_text(errors="replace").splitlines() if l.strip()]
    except OSError:
        return ""
    if pattern:
        picked = [l for l in lines if re.search(pattern, l)]
        lines = picked or lines
    lines = list(dict.fromkeys(reversed(lines)))[:n][::-1]   # the last N distinct lines, in order
    return " | ".join(lines)


def find_chromium(explicit):
    if explicit:
        path = shutil.which(explicit) or (explicit if os.access(explicit, os.X_OK) else None)
        if not path:
            raise Skip(f"the Chromium binary given ({explicit}) does not exist or is not executable")
        return path
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def install_chromium(out_dir):
    names = ", ".join(BROWSER_NAMES)
    if not shutil.which("apt-get"):
        raise Skip(f"no Chromium binary on PATH (looked for {names}) and no apt-get to install one")
    if os.geteuid() == 0:
        prefix = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], stdout=subprocess.DEVNULL,
                                                 stderr=subprocess.DEVNULL).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        raise Skip(f"no Chromium binary on PATH (looked for {names}); installing one needs root "
                   "or passwordless sudo")
    log = Path(out_dir) / "apt-chromium.log"
    env_cmd = prefix + ["env", "DEBIAN_FRONTEND=noninteractive"]
    print(f"browser-check: no Chromium found; running apt-get install -y chromium (log: {log})",
          file=sys.stderr, flush=True)
    started = time.monotonic()

    def run(args, mode):
        with open(log, mode) as fh:
            fh.write("$ " + " ".join(args) + "\n")
            fh.flush()
            try:
                return subprocess.run(args, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                      timeout=1800).returncode
            except subprocess.TimeoutExpired:
                fh.write("timed out after 1800 s\n")
                return "timeout"

    rc = run(env_cmd + ["apt-get", "install", "-y", "chromium"], "w")
    if rc != 0:
        print("browser-check: apt-get install failed; running apt-get update and retrying",
              file=sys.stderr, flush=True)
        rc_update = run(env_cmd + ["apt-get", "update"], "a")
        rc = run(env_cmd + ["apt-get", "install", "-y", "chromium"], "a")
        if rc != 0:
            raise Skip(f"apt-get install -y chromium failed (exit {rc}; apt-get update exit {rc_update}): "
                       f"{tail_of(log, r'^(E|W):', 2)} (log: {log})")
    print(f"browser-check: installed chromium in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    path = find_chromium(None)
    if not path:
        raise Skip(f"apt-get install -y chromium succeeded but none of {names} is on PATH")
    return path


class Browser:
    def __init__(self, binary, out_dir):
        self.binary = binary
        self.profile = tempfile.mkdtemp(prefix="pw-browser-check-")
        self.stderr_log = Path(out_dir) / "chromium-stderr.log"
        self.proc = None
        self.stderr_lines = []
        self.endpoint = None
        self.found = threading.Event()

    def start(self):
        args = [self.binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
                "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--hide-scrollbars", "--mute-audio",
                "--force-color-profile=srgb", "about:blank"]
        try:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, start_new_session=True)
        except OSError as exc:
            self.stop()
            raise Skip(f"cannot run {self.binary}: {exc}")
        threading.Thread(target=self._read_stderr, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        port_file = Path(self.profile) / "DevToolsActivePort"
        while time.monotonic() < deadline and not self.found.is_set():
            if port_file.exists():
                lines = port_file.read_text().split()
                if len(lines) >= 2 and lines[0].isdigit():
                    self.endpoint = f"ws://127.0.0.1:{lines[0]}{lines[1]}"
                    break
            if self.proc.poll() is not None:
                time.sleep(0.2)  # let the reader thread collect the last lines
                self.stop()
                raise Skip(f"{self.binary} exited with status {self.proc.returncode} before opening DevTools: "
                           f"{self._stderr_tail()}")
            self.found.wait(0.1)
        if not self.endpoint:
            self.stop()
            raise Skip(f"{self.binary} printed no 'DevTools listening on' line within {START_TIMEOUT:.0f} s: "
                       f"{self._stderr_tail()}")
        return self.endpoint

    def _read_stderr(self):
        with open(self.stderr_log, "w") as log:
            for raw in self.proc.stderr:
                line = raw.decode("utf-8", "replace").rstrip()
                log.write(line + "\n")
                log.flush()
                self.stderr_lines.append(line)
                m = re.search(r"DevTools listening on (ws://\S+)", line)
                if m and not self.endpoint:
                    self.endpoint = m.group(1)
                    self.found.set()

    def _stderr_tail(self):
        # Chromium logs dbus connection errors on machines without a session bus; they never matter.
        lines = [l for l in self.stderr_lines if l.strip() and "dbus" not in l and "DevTools listening" not in l]
        return " | ".join(lines[-3:]) or "(no output on stderr)"

    def stop(self, cdp=None):
        if self.proc and self.proc.poll() is None:
            if cdp is not None:
                try:
                    cdp.send("Browser.close", timeout=5)
                except Exception:
                    pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                for sig in (signal.SIGTERM, signal.SIGKILL):
                    try:
                        os.killpg(self.proc.pid, sig)   # the group of the browser this script started
                    except ProcessLookupError:
                        break
                    try:
                        self.proc.wait(timeout=5)
                        break
                    except subprocess.TimeoutExpired:
                        continue
        shutil.rmtree(self.profile, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# In-page checks. Each returns [[ok, name, detail], ...] by value; none throws.

JS_COMMON = r"""
(() => {
  const out = [];
  const add = (ok, name, detail) => out.push([!!ok, name, detail || ""]);
  const short = (s, n) => { s = String(s).replace(/\s+/g, " ").trim(); return s.length > (n || 60) ? s.slice(0, (n || 60) - 1) + "…" : s; };
  // External references: src/href-like attributes of every element (SVG's xlink:href included,
  // which the CSS selector [href] would miss), srcset, and url(...) in style attributes and <style>.
  const urlAttrs = new Set(["src", "href", "srcset", "poster", "data", "action", "formaction", "background", "cite"]);
  const bad = [];
  const links = [];
  const judge = (where, value, anchor) => {
    const v = value.trim();
    if (v === "" || v.startsWith("#")) return;
    const lower = v.toLowerCase();
    // A link to a publication (<a href="https://…" rel="external">) is followed only when clicked: allowed.
    if (anchor && /^https?:\/\//.test(lower)) return;
    if (/^(https?:|\/\/|\\\\)/.test(lower)) { bad.push(where + '="' + short(v, 50) + '" (external)'); return; }
    if (lower.startsWith("data:")) return;
    if (/^[a-z][a-z0-9+.-]*:/.test(lower)) { bad.push(where + '="' + short(v, 50) + '" (absolute URL)'); return; }
    if (v.startsWith("/")) { bad.push(where + '="' + short(v, 50) + '" (absolute path, not relative)'); return; }
  };
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.localName.toLowerCase();
      const where = el.localName + "[" + attr.name + "]";
      if (urlAttrs.has(name)) {
        if (name === "srcset") attr.value.split(",").forEach(part => judge(where, part.trim().split(/\s+/)[0] || ""));
        else judge(where, attr.value, el.localName === "a" && name === "href" && (el.getAttribute("rel") || "").split(/\s+/).includes("external"));
      } else if (name === "style") {
        for (const m of attr.value.matchAll(/url\(\s*['"]?([^'")]*)/gi)) judge(where + " url()", m[1]);
      }
    }
  }
  for (const st of document.querySelectorAll("style")) {
    for (const m of st.textContent.matchAll(/url\(\s*['"]?([^'")]*)/gi)) judge("<style> url()", m[1]);
    for (const m of st.textContent.matchAll(/@import\s+['"]([^'"]*)/gi)) judge("<style> @import", m[1]);
  }
  add(bad.length === 0, "no external src/href/url() references",
      bad.length ? bad.length + ": " + bad.slice(0, 4).join("; ") : document.querySelectorAll("[src],[href]").length + " src/href attributes, all relative or #fragments");
  // Relative links: returned resolved (file://) so Python can check that the files exist.
  for (const a of document.querySelectorAll("a[href]")) {
    const raw = a.getAttribute("href").trim();
    if (raw && !raw.startsWith("#") && !/^[a-z][a-z0-9+.-]*:/i.test(raw) && !raw.startsWith("/")) links.push([raw, a.href]);
  }
  const scripts = document.querySelectorAll("script").length;
  add(scripts === 0, "no <script> elements", scripts ? scripts + " found" : "");
  const styles = [...document.querySelectorAll("style")];
  const stylesheets = document.querySelectorAll('link[rel~="stylesheet" i]').length;
  add(styles.length === 1 && styles[0].parentElement === document.head && stylesheets === 0,
      "one inline <style> in <head>, no linked stylesheets",
      styles.length + " <style> (" + styles.filter(s => s.parentElement === document.head).length + " in head), " + stylesheets + " <link rel=stylesheet>");
  add(styles.some(s => /@media\s+print\b/i.test(s.textContent)), "<style> has an @media print block", "");
  return {checks: out, links: links};
})()
"""

JS_INDEX = r"""
(() => {
  const out = [];
  const add = (ok, name, detail) => out.push([!!ok, name, detail || ""]);
  const text = el => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");
  const plans = document.querySelectorAll("table.pw-plan");
  add(plans.length > 0, "index has table.pw-plan", plans.length + " plan table(s)");
  const rows = [...document.querySelectorAll("tr.pw-target-row")];
  add(rows.length > 0, "index has tr.pw-target-row rows", rows.length + " row(s)");
  const outside = rows.filter(r => !r.closest("table.pw-plan")).length;
  add(outside === 0, "every target row is inside a table.pw-plan", outside ? outside + " outside" : "");
  const badges = document.querySelectorAll(".pw-badge");
  add(badges.length > 0, "index has .pw-badge elements", badges.length + " badge(s)");
  const noId = [], noBadge = [], noLink = [], noTrend = [], sparkNoName = [];
  let sparks = 0, nodata = 0;
  const hrefs = [];
  rows.forEach((r, i) => {
    const id = r.dataset.target || "";
    const state = r.dataset.state || "";
    const label = id || ("row " + (i + 1));
    if (!id || !state) noId.push(label + (id ? "" : " (no data-target)") + (state ? "" : " (no data-state)"));
    if (!r.querySelector(".pw-badge.pw-state-" + CSS.escape(state || "?"))) {
      const b = r.querySelector(".pw-badge");
      noBadge.push(label + (b ? " has badge class '" + b.className + "' for data-state '" + state + "'" : " has no .pw-badge"));
    }
    const want = "targets/" + id + ".html";
    const link = [...r.querySelectorAll("a[href]")].find(a => a.getAttribute("href") === want);
    if (!link) noLink.push(label + " (want <a href=\"" + want + "\">)"); else hrefs.push([want, link.href]);
    const spark = r.querySelector("svg.pw-sparkline");
    const nd = r.querySelector(".pw-nodata");
    if (spark) {
      sparks++;
      const name = (spark.getAttribute("aria-label") || "").trim() ||
        (spark.getAttribute("aria-labelledby") || "").split(/\s+/).map(x => text(document.getElementById(x))).join(" ").trim();
      if (spark.getAttribute("role") !== "img" || !name) sparkNoName.push(label);
    } else if (nd && text(nd)) {
      nodata++;
    } else {
      noTrend.push(label);
    }
  });
  add(noId.length === 0, "every target row has data-target and data-state", noId.join("; "));
  add(noBadge.length === 0, "every target row has a .pw-badge.pw-state-STATE matching data-state", noBadge.slice(0, 4).join("; "));
  add(noLink.length === 0, "every target row links to targets/ID.html", noLink.slice(0, 4).join("; "));
  add(noTrend.length === 0, "every target row has an svg.pw-sparkline or a .pw-nodata cell with text",
      noTrend.length ? "missing in: " + noTrend.slice(0, 6).join(", ") : sparks + " sparkline(s), " + nodata + " no-data cell(s)");
  add(sparkNoName.length === 0, "every sparkline has role=img and an aria-label", sparkNoName.slice(0, 6).join(", "));
  return {checks: out, rowLinks: hrefs, rowIds: rows.map(r => r.dataset.target || "")};
})()
"""

JS_TARGET = r"""
(() => {
  const out = [];
  const add = (ok, name, detail) => out.push([!!ok, name, detail || ""]);
  const text = el => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");
  const short = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
  const num = v => v !== null && v.trim() !== "" && Number.isFinite(Number(v));
  const charts = document.querySelectorAll("svg.pw-chart");
  add(charts.length >= 1, "chart svg.pw-chart exists", charts.length > 1 ? charts.length + " charts; checking the first" : "");
  const svg = charts[0];
  if (!svg) return {checks: out, points: null, plotted: null};
  add(!!svg.closest("figure.pw-figure"), "chart is inside figure.pw-figure", "");
  const cap = svg.closest("figure") && svg.closest("figure").querySelector("figcaption");
  add(!!cap && text(cap) !== "", "figure has a non-empty <figcaption>", "");
  const vb = (svg.getAttribute("viewBox") || "").trim().split(/[\s,]+/);
  add(vb.length === 4 && vb.every(num) && Number(vb[2]) > 0 && Number(vb[3]) > 0, "chart has a viewBox \"0 0 W H\"", "viewBox=\"" + (svg.getAttribute("viewBox") || "") + "\"");
  add(svg.getAttribute("role") === "img", "chart has role=\"img\"", "role=" + JSON.stringify(svg.getAttribute("role")));
  // Accessible name: aria-labelledby ids must all resolve to elements with text (or aria-label).
  const ids = (svg.getAttribute("aria-labelledby") || "").trim().split(/\s+/).filter(Boolean);
  const missing = ids.filter(id => !document.getElementById(id));
  const empty = ids.filter(id => document.getElementById(id) && !text(document.getElementById(id)));
  const labelled = ids.map(id => text(document.getElementById(id))).join(" ").trim();
  const name = labelled || (svg.getAttribute("aria-label") || "").trim();
  const titled = ids.some(id => { const e = document.getElementById(id); return e && e.localName === "title" && text(e); });
  add(name !== "" && missing.length === 0 && empty.length === 0 && (titled || (svg.getAttribute("aria-label") || "").trim()),
      "chart has an accessible name (aria-labelledby → <title> with text)",
      (ids.length ? "aria-labelledby=\"" + ids.join(" ") + "\"" : "no aria-labelledby") +
      (missing.length ? "; no element with id " + missing.join(", ") : "") +
      (empty.length ? "; empty: " + empty.join(", ") : "") +
      (!titled && ids.length ? "; none of them is a <title>" : "") + (name ? "; name: " + short(name, 60) : ""));
  const desc = [...svg.children].find(e => e.localName === "desc");
  const described = (svg.getAttribute("aria-describedby") || "").trim().split(/\s+/).filter(Boolean)
      .map(id => text(document.getElementById(id))).join(" ").trim();
  const linkedDesc = ids.map(id => document.getElementById(id)).some(e => e && e.localName !== "title" && text(e));
  add(text(desc) !== "" || described !== "" || linkedDesc, "chart has a text alternative (<desc> or aria-describedby)",
      text(desc) ? "<desc>: " + short(text(desc), 60) : described ? "aria-describedby: " + short(described, 60) : "");
  const need = ["line.pw-deadline", "line.pw-today", "path.pw-required", "path.pw-projection"];
  for (const sel of need) {
    const n = svg.querySelectorAll(sel).length;
    add(n > 0, "chart has " + sel, n ? "" : "none in svg.pw-chart");
  }
  const tgt = svg.querySelectorAll("line.pw-target").length, ref = svg.querySelectorAll("path.pw-reference").length;
  add(tgt + ref > 0, "chart has line.pw-target or path.pw-reference", tgt + " target line(s), " + ref + " reference path(s)");
  // Observed points against the values table.
  const points = [...svg.querySelectorAll(".pw-point")];
  const table = document.querySelector("table.pw-values");
  add(!!table, "page has table.pw-values", "");
  const rows = table ? [...table.querySelectorAll("tbody tr")] : [];
  const badFlag = rows.filter(r => !["0", "1"].includes(r.getAttribute("data-plotted")));
  add(badFlag.length === 0, "every values row has data-plotted=\"1\" or \"0\"",
      badFlag.length ? badFlag.length + " row(s) without, first: " + short(text(badFlag[0]), 60) : rows.length + " row(s)");
  const plotted = rows.filter(r => r.getAttribute("data-plotted") === "1").length;
  const revised = points.filter(p => p.classList.contains("pw-revised")).length;
  add(points.length === plotted, ".pw-point count equals plotted rows of table.pw-values",
      points.length + " point(s) (" + revised + " revised) vs " + plotted + " row(s) with data-plotted=\"1\" (of " + rows.length + ")");
  const noGeom = [], noData = [], outside = [];
  const box = svg.getBoundingClientRect();
  points.forEach((p, i) => {
    const label = "#" + (i + 1) + " " + p.localName + (p.dataset.period ? " " + p.dataset.period : "");
    const geom = p.localName === "circle" ? (num(p.getAttribute("cx")) && num(p.getAttribute("cy")))
               : ((p.getAttribute("d") || "").trim() !== "" || (p.getAttribute("transform") || "").trim() !== "");
    if (!geom) noGeom.push(label);
    const missingAttrs = ["data-period", "data-value", "data-source"].filter(a => !(p.getAttribute(a) || "").trim());
    const problems = missingAttrs.length ? ["lacks " + missingAttrs.join(", ")] : [];
    if (!missingAttrs.includes("data-value") && !num(p.getAttribute("data-value")))
      problems.push("data-value=\"" + p.getAttribute("data-value") + "\" is not a number");
    if (problems.length) noData.push(label + " " + problems.join(", "));
    const r = p.getBoundingClientRect();
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    if (geom && (!(r.width > 0 && r.height > 0) || cx < box.left - 1 || cx > box.right + 1 || cy < box.top - 1 || cy > box.bottom + 1))
      outside.push(label + " at (" + Math.round(cx - box.left) + "," + Math.round(cy - box.top) + ") size " + Math.round(r.width) + "×" + Math.round(r.height));
  });
  add(noGeom.length === 0, "every .pw-point has numeric cx/cy (circle) or a d/transform", noGeom.slice(0, 4).join("; "));
  add(noData.length === 0, "every .pw-point has data-period, numeric data-value, data-source", noData.slice(0, 4).join("; "));
  add(outside.length === 0, "every .pw-point is drawn (non-empty box) inside the chart", outside.slice(0, 4).join("; "));
  return {checks: out, points: points.length, plotted: plotted};
})()
"""


def evaluate(cdp, session, expression):
    res = cdp.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                        "awaitPromise": True}, session=session)
    if "exceptionDetails" in res:
        d = res["exceptionDetails"]
        raise CDPError("in-page check threw: " + (d.get("exception", {}).get("description") or d.get("text", "")))
    return res["result"].get("value")


def png_size(path):
    with open(path, "rb") as fh:
        head = fh.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack("!II", head[16:24])


def collect_page_errors(events, session):
    """Console errors, exceptions, Log errors, failed loads and non-file requests of SESSION."""
    console, failed, external = [], [], []
    urls = {}
    for ev in events:
        if ev.get("sessionId") != session:
            continue
        m, p = ev["method"], ev.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            console.append(f"console.{p['type']}: {args}")
        elif m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            console.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            e = p["entry"]
            console.append(f"log ({e.get('source')}): {e.get('text')}" + (f" [{e['url']}]" if e.get("url") else ""))
        elif m == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            urls[p.get("requestId")] = url
            if not re.match(r"(file|data|about|blob):", url):
                external.append(url)
        elif m == "Network.loadingFailed" and not p.get("canceled"):
            failed.append(f"{urls.get(p.get('requestId'), p.get('requestId'))}: {p.get('errorText')}"
                          + (f" (blocked: {p['blockedReason']})" if p.get("blockedReason") else ""))
        elif m == "Network.responseReceived":
            status = p.get("response", {}).get("status", 0)
            if status >= 400:
                failed.append(f"{p['response'].get('url')}: HTTP {status}")
    return console, failed, external


def check_page(cdp, results, report, rel, label, viewport, out_dir, kind, expect, attrs=()):
    path = report / rel
    if not results.check(path.is_file(), f"{label}: page exists", str(path) if not path.is_file() else rel):
        return
    url = path.resolve().as_uri()
    target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            cdp.send(domain + ".enable", session=session)
        width, height = viewport
        cdp.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                        "deviceScaleFactor": 1, "mobile": False}, session=session)
        mark = len(cdp.events)
        nav = cdp.send("Page.navigate", {"url": url}, session=session)
        if not results.check(not nav.get("errorText"), f"{label}: loads", nav.get("errorText", "")):
            return
        loaded = cdp.wait_event("Page.loadEventFired", session, mark, LOAD_TIMEOUT)
        if not results.check(loaded is not None, f"{label}: load event", "" if loaded else f"none within {LOAD_TIMEOUT:.0f} s"):
            return
        evaluate(cdp, session, "document.fonts.ready.then(() => true)")
        cdp.drain(SETTLE)

        common = evaluate(cdp, session, JS_COMMON)
        for ok, name, detail in common["checks"]:
            results.check(ok, f"{label}: {name}", detail)
        specific = evaluate(cdp, session, JS_INDEX if kind == "index" else JS_TARGET)
        for ok, name, detail in specific["checks"]:
            results.check(ok, f"{label}: {name}", detail)
        broken = []
        for raw, resolved in common["links"]:
            local = urllib.parse.urlsplit(resolved)
            if local.scheme == "file" and not Path(urllib.parse.unquote(local.path)).exists():
                broken.append(raw)
        results.check(not broken, f"{label}: relative links resolve to existing files",
                      ", ".join(broken[:5]) if broken else f"{len(common['links'])} link(s)")

        if kind == "target":
            # The name Chromium's accessibility tree computes, not just the attributes.
            obj = cdp.send("Runtime.evaluate", {"expression": "document.querySelector('svg.pw-chart')"},
                           session=session)["result"]
            if obj.get("objectId"):
                nodes = cdp.send("Accessibility.getPartialAXTree", {"objectId": obj["objectId"],
                                                                    "fetchRelatives": False},
                                 session=session).get("nodes", [])
                node = next((n for n in nodes if not n.get("ignored")), nodes[0] if nodes else {})
                role = node.get("role", {}).get("value", "")
                name = str(node.get("name", {}).get("value", "")).strip()
                results.check(role in ("image", "img") and name != "",
                              f"{label}: accessibility tree exposes the chart as an image with a name",
                              f"role {role or '(none)'}, name {name[:60] + ('…' if len(name) > 60 else '')!r}")
            # --expect-attr: an element's attribute as the browser's DOM holds it (exact coordinates).
            for target_id, selector, attribute, wanted in attrs:
                if target_id != label:
                    continue
                got = evaluate(cdp, session, "(() => { const e = document.querySelector(%s); return e ? e.getAttribute(%s) : null; })()"
                               % (json.dumps(selector), json.dumps(attribute)))
                results.check(got == wanted, f"{label}: {selector} {attribute}", f"{got!r}" + ("" if got == wanted else f", expected {wanted!r}"))
            n_exp = expect.get(label)
            if n_exp is not None:
                results.check(specific.get("points") == n_exp, f"{label}: --expect {label}={n_exp}",
                              f"{specific.get('points')} .pw-point element(s)")

        # Full-page screenshot at the viewport width.
        metrics = cdp.send("Page.getLayoutMetrics", session=session)
        size = metrics.get("cssContentSize") or metrics.get("contentSize")
        full_w = max(width, int(round(size["width"])))
        full_h = max(height, int(round(size["height"])))
        shot = cdp.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                   "clip": {"x": 0, "y": 0, "width": full_w, "height": full_h,
                                                            "scale": 1}}, session=session)
        png = Path(out_dir) / ((label if kind == "target" else "index") + ".png")
        png.write_bytes(base64.b64decode(shot["data"]))
        dims = png_size(png)
        results.check(dims == (full_w, full_h), f"{label}: full-page screenshot",
                      f"{display(png)} {dims[0]}×{dims[1]}" + ("" if dims == (full_w, full_h) else f", page is {full_w}×{full_h}")
                      if dims else f"{png} is not a PNG")

        cdp.drain(0.1)
        console, failed, external = collect_page_errors(cdp.events[mark:], session)
        results.check(not console, f"{label}: no console errors, exceptions or Log errors", "; ".join(console[:4]))
        results.check(not failed, f"{label}: no failed resource loads", "; ".join(failed[:4]))
        results.check(not external, f"{label}: no requests beyond file:/data:", "; ".join(external[:4]))
    finally:
        try:
            cdp.send("Target.closeTarget", {"targetId": target}, timeout=10)
        except CDPError:
            pass


JS_WIDTH = r"""
(() => {
  const iw = window.innerWidth, sw = document.documentElement.scrollWidth;
  // What sticks out: elements whose right edge passes the viewport, outside a box that scrolls on its own.
  const wide = [...document.querySelectorAll("body *")].filter(e => {
    if (e.closest(".pw-scroll")) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > iw + 1;
  }).slice(0, 3).map(e => e.localName + (e.className && e.className.baseVal === undefined ? "." + e.className : ""));
  const links = [...document.querySelectorAll('a[href$=".csv"]')].map(a => a.getAttribute("href"));
  const method = document.querySelectorAll('a[href$="method.html"]').length;
  return {iw: iw, sw: sw, wide: wide, csv: links, method: method};
})()
"""

JS_ZH = r"""
(() => {
  const cjk = s => /[\u4e00-\u9fff]/.test(s || "");
  const text = el => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");
  const h1 = document.querySelector("h1"), badge = document.querySelector(".pw-badge");
  return {lang: document.documentElement.lang, h1: text(h1), h1zh: cjk(text(h1)), badge: text(badge),
          badgezh: cjk(text(badge)), title: document.title, titlezh: cjk(document.title)};
})()
"""


def open_session(cdp, width, height):
    target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "DOM", "CSS"):
        cdp.send(domain + ".enable", session=session)
    cdp.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                    "mobile": False}, session=session)
    return target, session


def navigate(cdp, session, path):
    mark = len(cdp.events)
    nav = cdp.send("Page.navigate", {"url": path.resolve().as_uri()}, session=session)
    if nav.get("errorText"):
        return nav["errorText"]
    if cdp.wait_event("Page.loadEventFired", session, mark, LOAD_TIMEOUT) is None:
        return f"no load event within {LOAD_TIMEOUT:.0f} s"
    evaluate(cdp, session, "document.fonts.ready.then(() => true)")
    return None


def screenshot(cdp, session, png, width, height):
    metrics = cdp.send("Page.getLayoutMetrics", session=session)
    size = metrics.get("cssContentSize") or metrics.get("contentSize")
    clip = {"x": 0, "y": 0, "width": max(width, int(round(size["width"]))),
            "height": max(height, int(round(size["height"]))), "scale": 1}
    shot = cdp.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip},
                    session=session)
    png.write_bytes(base64.b64decode(shot["data"]))


def check_widths(cdp, results, report, out_dir, tag, shots):
    """Every page of REPORT (index, method, each target) at 400 and 1400 px: no horizontal overflow
    (document scrollWidth ≤ viewport), a methodology link and a CSV link where a page offers one; a
    screenshot at 400 px of the pages named in SHOTS."""
    pages = ["index.html", "method.html"] + sorted("targets/" + p.name for p in (report / "targets").glob("*.html"))
    for width, height in ((400, 800), (1400, 900)):
        target, session = open_session(cdp, width, height)
        try:
            widest = 0
            for rel in pages:
                name = f"{tag}{rel} at {width} px"
                problem = navigate(cdp, session, report / rel)
                if not results.check(problem is None, f"{name}: loads", problem or ""):
                    continue
                got = evaluate(cdp, session, JS_WIDTH)
                widest = max(widest, got["sw"])
                results.check(got["sw"] <= got["iw"], f"{name}: no horizontal overflow",
                              f"scrollWidth {got['sw']} vs viewport {got['iw']}"
                              + (f"; sticking out: {', '.join(got['wide'])}" if got["sw"] > got["iw"] else ""))
                if rel != "method.html" and width == 400:
                    want = "index.csv" if rel == "index.html" else Path(rel).stem + ".csv"
                    results.check(want in got["csv"], f"{name}: links its CSV download {want}", ", ".join(got["csv"]))
                    results.check(got["method"] > 0, f"{name}: links the methodology page", "")
                if width == 400 and rel in shots:
                    png = Path(out_dir) / (tag.replace("/", "-") + Path(rel).stem + "-400.png")
                    screenshot(cdp, session, png, width, height)
            print(f"browser-check: {tag or 'en/'} widest page at {width} px: {widest} px", flush=True)
        finally:
            try:
                cdp.send("Target.closeTarget", {"targetId": target}, timeout=10)
            except CDPError:
                pass


def check_csv(results, report):
    """Every CSV download starts with a UTF-8 byte-order mark and a header; the index's has a row a target."""
    files = [report / "index.csv"] + sorted((report / "targets").glob("*.csv"))
    bad = []
    for path in files:
        data = path.read_bytes() if path.is_file() else b""
        lines = [l for l in data.split(b"\r\n") if l]
        if not data.startswith(b"\xef\xbb\xbf") or not lines or (path.name == "index.csv" and len(lines) < 2):
            bad.append(path.name)
    results.check(not bad and len(files) > 1, "every CSV download has a UTF-8 BOM, a header and rows",
                  ", ".join(bad[:4]) if bad else f"{len(files)} file(s)")


def check_chinese(cdp, results, report, out_dir, target_id):
    """The zh report: the index and a target page are in Chinese (lang, title, heading or badge) and their
    Chinese text is drawn with a CJK font (the platform font Chromium used), not boxes."""
    target, session = open_session(cdp, 400, 800)
    try:
        for rel in ("index.html", f"targets/{target_id}.html"):
            name = f"zh/{rel}"
            problem = navigate(cdp, session, report / rel)
            if not results.check(problem is None, f"{name}: loads", problem or ""):
                continue
            got = evaluate(cdp, session, JS_ZH)
            results.check(got["lang"] == "zh", f"{name}: <html lang=\"zh\">", got["lang"])
            results.check(got["titlezh"], f"{name}: the title is Chinese", got["title"][:60])
            chinese = got["h1zh"] if rel == "index.html" else got["badgezh"]
            results.check(chinese, f"{name}: the {'heading' if rel == 'index.html' else 'state badge'} is Chinese",
                          got["h1"][:60] if rel == "index.html" else got["badge"])
            doc = cdp.send("DOM.getDocument", session=session)["root"]["nodeId"]
            selector = "h1" if rel == "index.html" else ".pw-badge"
            node = cdp.send("DOM.querySelector", {"nodeId": doc, "selector": selector}, session=session)["nodeId"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session).get("fonts", [])
            families = [f.get("familyName", "") for f in fonts]
            results.check(any("CJK" in f or "Han" in f or "Hei" in f or "Ming" in f for f in families),
                          f"{name}: Chinese drawn with a CJK font", ", ".join(families) or "no fonts reported")
            screenshot(cdp, session, Path(out_dir) / ("zh-" + Path(rel).stem + "-400.png"), 400, 800)
    finally:
        try:
            cdp.send("Target.closeTarget", {"targetId": target}, timeout=10)
        except CDPError:
            pass


def display(path):
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_expect(values):
    expect = {}
    for item in values:
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)=(\d+)", item)
        if not m:
            raise SystemExit(f"browser-check: --expect wants TARGET_ID=N, got {item!r}")
        expect[m.group(1)] = int(m.group(2))
    return expect


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report", metavar="REPORT_DIR")
    ap.add_argument("--out", default=str(REPO / ".build-report"),
                    help="where screenshots and logs go (default: .build-report in the repository)")
    ap.add_argument("--expect", action="append", default=[], metavar="TARGET_ID=N",
                    help="the chart of TARGET_ID must have N observed points (repeatable)")
    ap.add_argument("--expect-attr", action="append", default=[], nargs=4, metavar=("TARGET_ID", "SELECTOR", "ATTRIBUTE", "VALUE"),
                    help="on TARGET_ID's page the first element matching SELECTOR has ATTRIBUTE = VALUE (repeatable)")
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM"), help="browser binary to use")
    ap.add_argument("--no-install", action="store_true", help="skip instead of installing Chromium with apt-get")
    ap.add_argument("--all-targets", action="store_true", help="also check every other targets/*.html")
    ap.add_argument("--zh", metavar="ZH_REPORT_DIR", help="the same report written with --lang zh: checked in Chinese")
    args = ap.parse_args()
    started = time.monotonic()
    expect = parse_expect(args.expect)
    report = Path(args.report)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = Results()

    if not results.check((report / "index.html").is_file(), "report directory has index.html", str(report)):
        print(f"browser-check: {results.passed} passed, {len(results.failed)} failed")
        return 1
    attrs = [tuple(a) for a in args.expect_attr]
    targets = list(DEFAULT_TARGETS) + [t for t in expect if t not in DEFAULT_TARGETS]
    targets += [a[0] for a in attrs if a[0] not in targets]
    if args.all_targets:
        targets += sorted(p.stem for p in (report / "targets").glob("*.html") if p.stem not in targets)

    try:
        binary = find_chromium(args.chromium)
        if not binary:
            if args.no_install:
                raise Skip(f"no Chromium binary on PATH (looked for {', '.join(BROWSER_NAMES)}) and --no-install given")
            binary = install_chromium(out_dir)
        browser = Browser(binary, out_dir)
        endpoint = browser.start()
    except Skip as exc:
        print(f"browser-check: skipped: {exc}")
        return 0

    cdp = None
    try:
        forced = os.environ.get("PW_BROWSER_CHECK_WS", "")
        module = None if forced == "builtin" else load_websocket_client(out_dir)
        if forced == "websocket-client" and module is None:
            raise CDPError("PW_BROWSER_CHECK_WS=websocket-client but websocket-client is unavailable")
        try:
            ws = ClientWebSocket(module, endpoint, 10) if module else BuiltinWebSocket(endpoint, 10)
        except Exception as exc:
            raise Skip(f"cannot connect to Chromium's DevTools at {endpoint}: {exc}")
        cdp = CDP(ws)
        version = cdp.send("Browser.getVersion")
        print(f"browser-check: {version.get('product')} ({binary}), DevTools {endpoint.split('/devtools')[0]}, "
              f"websocket: {'websocket-client ' + getattr(module, '__version__', '') if module else 'built-in'}",
              flush=True)
        pages = [("index.html", "index", INDEX_VIEWPORT, "index")]
        pages += [(f"targets/{t}.html", t, TARGET_VIEWPORT, "target") for t in targets]
        for rel, label, viewport, kind in pages:
            try:
                check_page(cdp, results, report, rel, label, viewport, out_dir, kind, expect, attrs)
            except CDPError as exc:
                results.check(False, f"{label}: DevTools", str(exc))
        shots = {"index.html", "method.html"} | {f"targets/{t}.html" for t in targets}
        check_csv(results, report)
        try:
            check_widths(cdp, results, report, out_dir, "", shots)
            if args.zh:
                check_widths(cdp, results, Path(args.zh), out_dir, "zh/", {"index.html", f"targets/{DEFAULT_TARGETS[1]}.html"})
                check_chinese(cdp, results, Path(args.zh), out_dir, DEFAULT_TARGETS[1])
        except CDPError as exc:
            results.check(False, "page widths: DevTools", str(exc))
    except Skip as exc:
        print(f"browser-check: skipped: {exc}")
        return 0
    except CDPError as exc:
        results.check(False, "DevTools session", str(exc))
    finally:
        browser.stop(cdp)       # Browser.close over DevTools, then SIGTERM/SIGKILL to its process group
        if cdp is not None:
            cdp.ws.close()

    took = time.monotonic() - started
    print(f"browser-check: {results.passed} passed, {len(results.failed)} failed in {took:.1f} s; "
          f"screenshots in {display(out_dir)}")
    for line in results.failed:
        print("  failed: " + line)
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
