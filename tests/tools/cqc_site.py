#!/usr/bin/python3
"""A loopback imitation of the CQC website for cqcwatch's tests.

Serves the local authority assessment reports listing (paged), report pages,
their /summary pages and press releases, in the shapes described in
shared/REAL-PAGES.md, with ETag / Last-Modified / 304 and gzip. Tests steer it
at run time over HTTP on the same port:

  POST /_control/publish   {"slug", "council", "rating", "scores": [9 ints or null: left off the summary],
                            "published": "3 October 2025", "embargoed_until": ISO-8601 (optional),
                            "press_release_slug" (optional), "href" (optional: the listing's link instead of
                            the report's own path, e.g. to another host), "landing_rating" (optional: the
                            landing page states the rating too, as CQC's do)}, or a JSON list of them (bulk)
  POST /_control/withdraw  {"slug"}
  POST /_control/fault     {"path", "fault": "500"|"429"|"503"|"hang"|"truncate"|"huge"|
                            "gzip-bomb"|"redirect-other-host"|"redirect"|"none",
                            "retry_after" (optional), "location" (for "redirect"),
                            "times" (optional: apply this many times, then clear)}
  GET  /_control/log       the requests seen, oldest first (JSON list)
  POST /_control/reset     the initial reports, no faults, an empty log

Usage: /usr/bin/python3 cqc_site.py [--tls CERT KEY] [--page-size N] [--empty]
The first line on stdout is "PORT <n>"; nothing else is printed there.
Standard library only.
"""

import argparse
import datetime
import email.utils
import gzip
import hashlib
import html
import http.server
import json
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import zlib

LISTING = "/care-services/local-authority-assessment-reports"
PRESS = "/press-release/"
PRESS_LISTING = "/press-releases"
HANG_LIMIT_S = 120
HUGE_BYTES = 100 * 1024 * 1024
BOMB_INFLATED_BYTES = 1024 * 1024 * 1024
BOMB_CRC32 = 0x5B64C2B0  # CRC-32 of 2**30 zero bytes (zlib.crc32 over 1024 MiB of zeros)

STATEMENTS = [
    "Assessing needs",
    "Supporting people to lead healthier lives",
    "Equity in experience and outcomes",
    "Care provision, integration and continuity",
    "Partnerships and communities",
    "Safe pathways, systems and transitions",
    "Safeguarding",
    "Governance, management and sustainability",
    "Learning, improvement and innovation",
]

RATING_WORDS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
}

INITIAL_REPORTS = [
    {"slug": "northfold-0925", "council": "Northfold Council", "rating": "good",
     "scores": [3, 3, 2, 3, 3, 2, 3, 3, 2], "published": "12 September 2025"},
    {"slug": "eastmere-1025", "council": "London Borough of Eastmere", "rating": "requires_improvement",
     "scores": [2, 2, 3, 2, 2, 2, 2, 2, 3], "published": "3 October 2025"},
    {"slug": "westbridge-1125", "council": "Westbridge City Council", "rating": "outstanding",
     "scores": [4, 3, 4, 4, 3, 3, 4, 3, 4], "published": "14 November 2025"},
]


def esc(text):
    """Escapes element text; apostrophes stay as they are on the real pages."""
    return html.escape(text, quote=False)


def http_date(ts):
    return email.utils.formatdate(ts, usegmt=True)


def council_short(council):
    for prefix in ("London Borough of ", "City of "):
        if council.startswith(prefix):
            council = council[len(prefix):]
    for suffix in (" City Council", " County Council", " Council"):
        if council.endswith(suffix):
            council = council[: -len(suffix)]
    return council


def page(title, body):
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)} | Care Quality Commission</title></head>\n"
            f"<body><header><a href=\"/\">Care Quality Commission</a></header>\n"
            f"<main>\n<h1>{esc(title)}</h1>\n{body}\n</main>\n"
            "<footer>Care Quality Commission</footer></body></html>\n")


class Site:
    """Reports, faults and the request log, shared by the handler threads."""

    def __init__(self, page_size, empty):
        self.lock = threading.Lock()
        self.page_size = page_size
        self.empty = empty
        self.bomb = None
        self.reset()

    def reset(self):
        with self.lock:
            now = time.time()
            self.reports = {}
            self.order = []  # slugs, oldest first
            if not self.empty:
                for r in INITIAL_REPORTS:
                    self._publish(dict(r), now)
            self.faults = {}
            self.log = []
            self.changed_at = now

    def _publish(self, report, now):
        report.setdefault("published", datetime.date.today().strftime("%-d %B %Y"))
        report.setdefault("press_release_slug", "cqc-rates-" + report["slug"])
        report["updated_at"] = now
        report["withdrawn"] = False
        if report["slug"] not in self.reports:
            self.order.append(report["slug"])
        self.reports[report["slug"]] = report
        self.changed_at = now

    def publish(self, report):
        for key in ("slug", "council", "rating", "scores"):
            if key not in report:
                raise ValueError(f"publish: missing '{key}'")
        if report["rating"] not in RATING_WORDS or len(report["scores"]) != 9:
            raise ValueError("publish: rating must be a key of RATING_WORDS and scores nine numbers")
        with self.lock:
            self._publish(report, time.time())

    def withdraw(self, slug):
        with self.lock:
            if slug not in self.reports:
                raise ValueError(f"withdraw: no report '{slug}'")
            self.reports[slug]["withdrawn"] = True
            self.changed_at = time.time()

    def visible(self, report, now):
        if report["withdrawn"]:
            return False
        until = report.get("embargoed_until")
        if not until:
            return True
        lifts = datetime.datetime.fromisoformat(until.replace("Z", "+00:00"))
        if lifts.tzinfo is None:
            lifts = lifts.replace(tzinfo=datetime.timezone.utc)
        return datetime.datetime.now(datetime.timezone.utc) >= lifts

    def visible_report(self, slug):
        """The report with this slug if it is visible now, else None (no scan)."""
        now = time.time()
        with self.lock:
            r = self.reports.get(slug)
            return r if r is not None and self.visible(r, now) else None

    def visible_reports(self):
        """Newest first, as CQC lists them; embargoed and withdrawn ones hidden."""
        now = time.time()
        with self.lock:
            return [self.reports[s] for s in reversed(self.order) if self.visible(self.reports[s], now)]

    def take_fault(self, path, full_path):
        with self.lock:
            key = full_path if full_path in self.faults else path
            fault = self.faults.get(key)
            if fault is None:
                return None
            if "times" in fault:
                fault["times"] -= 1
                if fault["times"] <= 0:
                    del self.faults[key]
            return dict(fault)

    def set_fault(self, spec):
        if "path" not in spec or "fault" not in spec:
            raise ValueError("fault: needs 'path' and 'fault'")
        with self.lock:
            if spec["fault"] == "none":
                self.faults.pop(spec["path"], None)
            else:
                self.faults[spec["path"]] = dict(spec)

    def record(self, entry):
        with self.lock:
            self.log.append(entry)

    def log_json(self):
        with self.lock:
            return json.dumps(self.log)

    def bomb_bytes(self):
        """A valid gzip body (about 1 MB) that inflates to 1 GiB of zeros.

        After a full flush deflate starts afresh, so every 1 MiB of zeros compresses
        to the same bytes: compress one block and repeat it, never holding 1 GiB.
        """
        with self.lock:
            if self.bomb is None:
                packer = zlib.compressobj(9, zlib.DEFLATED, -15)
                block = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
                header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
                trailer = struct.pack("<II", BOMB_CRC32, BOMB_INFLATED_BYTES & 0xFFFFFFFF)
                count = BOMB_INFLATED_BYTES >> 20
                self.bomb = header + block * count + packer.flush(zlib.Z_FINISH) + trailer
            return self.bomb


def listing_html(reports, page_no, page_size):
    first = (page_no - 1) * page_size
    shown = reports[first: first + page_size]
    items = "\n".join(
        f"<li><a href=\"{esc(r.get('href') or LISTING + '/' + r['slug'])}\">{esc(r['council'])}: local authority "
        "assessment</a>"
        f"<p>Published: {esc(r['published'])}</p></li>" for r in shown)
    pager = []
    if page_no > 1:
        prev = LISTING if page_no == 2 else f"{LISTING}?page={page_no - 1}"
        pager.append(f"<a rel=\"prev\" href=\"{prev}\">Previous page</a>")
    if first + page_size < len(reports):
        pager.append(f"<a rel=\"next\" href=\"{LISTING}?page={page_no + 1}\">Next page</a>")
    body = ("<p>We are assessing how local authorities meet their duties under Part 1 of the Care Act (2014).</p>\n"
            "<h2>Assessment reports</h2>\n<p>Our reports, starting with the most recently published:</p>\n"
            f"<ul class=\"reports\">\n{items}\n</ul>\n<nav class=\"pager\">{' '.join(pager)}</nav>\n"
            "<h2>Assessments in progress</h2>\n<ul><li>Southholm</li><li>Upper Vale</li></ul>\n"
            "<h2>Pilot assessments</h2>\n<p>We completed 5 pilot assessments to test our assessment framework.</p>")
    return page("Local authority assessment reports", body)


def report_html(r):
    title = f"{r['council']}: local authority assessment"
    # "landing_rating": the landing page states the rating too (and no scores), as CQC's do.
    rating = (f"<h3>Local authority rating and score</h3>\n<ul><li>{esc(r['council'])}"
              f"<p>{RATING_WORDS[r['rating']]}</p></li></ul>\n") if r.get("landing_rating") else ""
    body = (f"<p>Assessment published: {esc(r['published'])}</p>\n{rating}"
            f"<p><a href=\"{LISTING}/{r['slug']}/summary\">Overall summary</a></p>\n"
            "<p>This report describes how the local authority meets its duties under Part 1 of the Care Act.</p>")
    return page(title, body)


def summary_html(r):
    title = f"{r['council']}: local authority assessment"
    # A null score is a statement the page leaves out (and then it states no percentage);
    # "stated_percent" is the headline figure as the page states it (a test's contradiction).
    known = [s for s in r["scores"] if s is not None]
    pct = round(sum(known) * 100 / 36) if len(known) == 9 else None
    pct = r.get("stated_percent", pct)
    scores = "\n".join(f"<li><h3>{label}</h3><p>Score: {score}</p></li>"
                       for label, score in zip(STATEMENTS, r["scores"]) if score is not None)
    body = (f"<p>Published: {esc(r['published'])} Page last updated: {esc(r['published'])}</p>\n"
            "<h2>Overall summary</h2>\n<h3>Local authority rating and score</h3>\n"
            f"<ul><li>{esc(r['council'])}<p>{RATING_WORDS[r['rating']]}</p></li></ul>\n"
            + (f"<p>Overall rating for {esc(council_short(r['council']))}: {pct}%</p>\n" if pct is not None else "") +
            f"<h3>Quality statement scores</h3>\n<ul class=\"scores\">\n{scores}\n</ul>\n"
            "<h2>Summary of people's experiences</h2>\n<p>People told us about their care and support.</p>")
    return page(title, body)


def press_release_html(r):
    rating = RATING_WORDS[r["rating"]].lower()
    council = r["council"]
    title = f"CQC rates {council}'s adult social care provision as {rating}"
    areas = "\n".join(f"<li>{label} \u2013 {score}</li>" for label, score in zip(STATEMENTS, r["scores"]))
    body = (f"<p>Published: {esc(r['published'])} Page last updated: {esc(r['published'])}</p>\n"
            f"<p>The Care Quality Commission (CQC), has rated {esc(council)} as {rating}, in how well they "
            "are meeting their responsibilities to ensure people have access to adult social care and support "
            "under the Care Act (2014).</p>\n"
            "<p>CQC looked at nine areas spread across four themes. CQC has given each of these nine areas a "
            "score out of four.</p>\n"
            f"<ol>\n{areas}\n</ol>\n"
            f"<p>The full report is at <a href=\"{LISTING}/{r['slug']}\">{esc(council)}</a>.</p>")
    return page(title, body)


def press_listing_html(reports):
    items = "\n".join(
        f"<li><a href=\"{PRESS}{r['press_release_slug']}\">CQC rates {esc(r['council'])}'s adult social "
        f"care provision as {RATING_WORDS[r['rating']].lower()}</a></li>" for r in reports)
    return page("Press releases", f"<ul class=\"news\">\n{items}\n</ul>")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cqc-site/1"
    # Headers and body go out in two writes: without this, Nagle plus the client's
    # delayed ACK adds 40 ms to every 200.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):  # keep stdout for the PORT line only
        pass

    # ---- plumbing -------------------------------------------------------

    def do_GET(self):
        self.handle_any("GET")

    def do_HEAD(self):
        self.handle_any("HEAD")

    def do_POST(self):
        self.handle_any("POST")

    def handle_any(self, method):
        self.entry = None
        parsed = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if parsed.path.startswith("/_control/"):
            return self.control(method, parsed.path, body)
        self.entry = {"method": method, "path": self.path, "headers": dict(self.headers.items()),
                      "time": time.time(), "done": None, "status": None, "bytes_sent": 0}
        self.server.site.record(self.entry)
        try:
            fault = self.server.site.take_fault(parsed.path, self.path)
            if fault:
                self.apply_fault(fault, parsed)
            else:
                self.serve(method, parsed)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, socket.timeout):
            self.close_connection = True
        finally:
            self.entry["done"] = time.time()

    def send_bytes(self, status, body, content_type="text/html; charset=utf-8", extra=None, head=False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self.wfile.flush()
        self.note(status, 0 if head else len(body))

    def note(self, status, sent):
        if self.entry is not None:
            self.entry["status"] = status
            self.entry["bytes_sent"] = sent

    # ---- the control API ------------------------------------------------

    def control(self, method, path, body):
        site = self.server.site
        try:
            spec = json.loads(body) if body else {}
            if method == "GET" and path == "/_control/log":
                return self.send_bytes(200, site.log_json().encode(), "application/json")
            if method != "POST":
                raise ValueError(f"{method} {path}: use POST")
            if path == "/_control/publish":
                for report in spec if isinstance(spec, list) else [spec]:
                    site.publish(report)
            elif path == "/_control/withdraw":
                site.withdraw(spec.get("slug", ""))
            elif path == "/_control/fault":
                site.set_fault(spec)
            elif path == "/_control/reset":
                site.reset()
            else:
                return self.send_bytes(404, b'{"error": "no such control"}', "application/json")
            self.send_bytes(200, b'{"ok": true}', "application/json")
        except (ValueError, KeyError, TypeError) as e:
            self.send_bytes(400, json.dumps({"error": str(e)}).encode(), "application/json")

    # ---- pages ----------------------------------------------------------

    def route(self, parsed):
        """(html, last_modified) for a page path, or None."""
        site = self.server.site
        path = parsed.path.rstrip("/") or "/"
        if path.startswith(LISTING + "/"):
            slug, _, sub = path[len(LISTING) + 1:].partition("/")
            r = site.visible_report(slug)
            if r and sub == "":
                return report_html(r), r["updated_at"]
            if r and sub == "summary":
                return summary_html(r), r["updated_at"]
            return None
        reports = site.visible_reports()
        if path == LISTING:
            query = urllib.parse.parse_qs(parsed.query)
            try:
                page_no = max(1, int(query.get("page", ["1"])[0]))
            except ValueError:
                page_no = 1
            return listing_html(reports, page_no, site.page_size), site.changed_at
        if path == PRESS_LISTING:
            return press_listing_html(reports), site.changed_at
        if path.startswith(PRESS):
            slug = path[len(PRESS):]
            for r in reports:
                if r["press_release_slug"] == slug:
                    return press_release_html(r), r["updated_at"]
        return None

    def serve(self, method, parsed):
        found = self.route(parsed)
        head = method == "HEAD"
        if found is None:
            return self.send_bytes(404, page("Page not found", "<p>Sorry, we cannot find that page.</p>").encode(),
                                   head=head)
        text, modified = found
        body = text.encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        modified = int(modified)
        validators = {"ETag": etag, "Last-Modified": http_date(modified), "Vary": "Accept-Encoding"}
        if self.not_modified(etag, modified):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.flush()
            return self.note(304, 0)
        if self.accepts_gzip():
            body = gzip.compress(body)
            validators["Content-Encoding"] = "gzip"
        self.send_bytes(200, body, extra=validators, head=head)

    def not_modified(self, etag, modified):
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
            return modified <= since
        return False

    def accepts_gzip(self):
        for part in (self.headers.get("Accept-Encoding") or "").split(","):
            name, _, params = part.strip().partition(";")
            if name.strip().lower() in ("gzip", "*"):
                return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
        return False

    # ---- faults ---------------------------------------------------------

    def apply_fault(self, fault, parsed):
        kind = str(fault["fault"])
        self.entry["fault"] = kind  # the log tells faulted requests from clean ones
        extra = {}
        if fault.get("retry_after") is not None:
            extra["Retry-After"] = str(fault["retry_after"])
        if kind in ("500", "429", "503"):
            status = int(kind)
            text = {500: "Internal Server Error", 429: "Too Many Requests", 503: "Service Unavailable"}[status]
            return self.send_bytes(status, page(text, "<p>Please try again later.</p>").encode(), extra=extra)
        if kind == "hang":
            self.close_connection = True
            self.server.stopping.wait(HANG_LIMIT_S)
            return None
        if kind == "truncate":
            return self.truncate()
        if kind == "huge":
            return self.stream(b"x" * 65536, HUGE_BYTES, {})
        if kind == "gzip-bomb":
            bomb = self.server.site.bomb_bytes()
            return self.stream(bomb, len(bomb), {"Content-Encoding": "gzip"}, whole=True)
        if kind == "redirect-other-host":
            return self.redirect(f"http://127.0.0.2:{self.server.server_address[1]}{self.path}")
        if kind == "redirect":
            return self.redirect(fault.get("location", LISTING))
        return self.send_bytes(400, f"unknown fault {kind}".encode(), "text/plain")

    def redirect(self, location):
        self.send_bytes(302, b"", "text/plain", {"Location": location})

    def truncate(self):
        body = page("Truncated", "<p>" + "Part of a page. " * 200 + "</p>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body) + 10000))
        self.end_headers()
        half = body[: len(body) // 2]
        self.wfile.write(half)
        self.wfile.flush()
        self.note(200, len(half))
        self.close_connection = True

    def stream(self, data, total, headers, whole=False):
        """Sends `total` bytes (repeating `data`, or `data` itself when whole) until the client stops reading."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(total))
        self.end_headers()
        self.close_connection = True
        sent = 0
        step = 65536
        try:
            while sent < total:
                chunk = data[sent: sent + step] if whole else data[: min(len(data), total - sent)]
                self.wfile.write(chunk)
                sent += len(chunk)
                self.note(200, sent)
        finally:
            self.note(200, sent)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, site, tls_context):
        self.site = site
        self.tls_context = tls_context
        self.stopping = threading.Event()
        super().__init__(address, Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake happens in the connection's own thread, so a client that
        # rejects our certificate cannot stall the accept loop.
        if self.tls_context is not None:
            request.settimeout(30)
            try:
                request = self.tls_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        pass  # clients that go away mid-response are part of the tests


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--page-size", type=int, default=2)
    ap.add_argument("--empty", action="store_true", help="start with no reports")
    ap.add_argument("--host", default="127.0.0.1")
    args = ap.parse_args()
    context = None
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
    server = Server((args.host, 0), Site(args.page_size, args.empty), context)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()


if __name__ == "__main__":
    sys.exit(main())
