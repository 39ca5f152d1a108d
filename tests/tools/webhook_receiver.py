#!/usr/bin/python3
"""A loopback webhook receiver for tests.

Prints "PORT <n>" first, then serves on 127.0.0.1:
  POST/PUT/HEAD/... any path   a delivery: recorded, answered per the current mode
  GET  /_log                   every recorded request as a JSON array
  POST /_control               {"mode": "ok"|"500"|"429"|"400"|"503"|"hang",
                                "retry_after": n, "count": k, "delay": s}: the next k
                               requests (all, when count is absent) get that answer,
                               recorded at once and answered `delay` seconds later
Each record: method, path, headers, body, arrival (unix time, float), peer_port
(the same on a reused connection), status,
signature_ok (true/false; null when no --secret). With --log FILE each record
is also appended to FILE as one JSON line.
"""
import argparse
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self, secret, log_path, hang_seconds):
        self.secret = secret
        self.log_path = log_path
        self.hang_seconds = hang_seconds
        self.lock = threading.Lock()
        self.records = []
        self.mode = {"mode": "ok"}
        self.remaining = None  # None: the mode holds until changed

    def next_mode(self):
        with self.lock:
            mode = dict(self.mode)
            if self.remaining is not None:
                self.remaining -= 1
                if self.remaining <= 0:
                    self.mode, self.remaining = {"mode": "ok"}, None
            return mode

    def record(self, rec):
        with self.lock:
            self.records.append(rec)
            if self.log_path:
                with open(self.log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(rec) + "\n")


def signature_ok(secret, headers, body):
    if secret is None:
        return None
    ts = headers.get("X-Cqcwatch-Timestamp", "")
    got = headers.get("X-Cqcwatch-Signature", "")
    mac = hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(got, "sha256=" + mac)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients can reuse connections

    def log_message(self, fmt, *args):
        pass

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        if self.path == "/_log":
            with self.server.state.lock:
                data = json.dumps(self.server.state.records).encode()
            return self.reply(200, data)
        self.delivery()

    def do_POST(self):
        if self.path == "/_control":
            ctl = json.loads(self.read_body() or b"{}")
            st = self.server.state
            with st.lock:
                st.mode = ctl
                st.remaining = ctl.get("count")
            return self.reply(200, b"{}")
        self.delivery()

    do_PUT = do_POST
    do_HEAD = do_GET
    do_OPTIONS = do_GET

    def delivery(self):
        st = self.server.state
        body = self.read_body()
        mode = st.next_mode() if self.command == "POST" else {"mode": "ok"}
        status = {"ok": 200, "500": 500, "503": 503, "429": 429, "400": 400}.get(mode["mode"], 200)
        st.record({
            "method": self.command,
            "path": self.path,
            "headers": {k: v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
            "arrival": time.time(),
            "peer_port": self.client_address[1],
            "status": 0 if mode["mode"] == "hang" else status,
            "signature_ok": signature_ok(st.secret, self.headers, body),
        })
        if "delay" in mode:
            time.sleep(float(mode["delay"]))
        if mode["mode"] == "hang":
            time.sleep(st.hang_seconds)
            self.close_connection = True
            return
        extra = {}
        if "retry_after" in mode:
            extra["Retry-After"] = str(mode["retry_after"])
        self.reply(status, b'{"ok":true}' if status == 200 else b'{"error":"as told"}', extra)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--secret")
    ap.add_argument("--log")
    ap.add_argument("--hang-seconds", type=float, default=30.0)
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(args.secret, args.log, args.hang_seconds)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    sys.exit(main())
