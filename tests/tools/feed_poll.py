#!/usr/bin/python3
"""Polls a feed URL the way a feed reader does and prints, as JSON, what each request got:
first a plain GET (status, ETag, Last-Modified, body length), then HEAD, then GETs
with If-None-Match, with If-Modified-Since, and with an old tag (argv[2], optional), and
python3-feedparser's own conditional fetch (etag= and modified=), and the If-None-Match GET
once more on a raw socket, its status line and header names as sent (urllib would hide
nothing, but a reader's own HTTP code sees the bytes). Standard library only, no proxies;
every request times out after 10 s."""
import json
import socket
import sys
import urllib.parse
import urllib.error
import urllib.request

import feedparser

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url, method="GET", headers=None):
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with OPENER.open(req, timeout=10) as r:
            return {"status": r.status, "headers": dict(r.headers), "body_length": len(r.read())}
    except urllib.error.HTTPError as e:  # 304 comes this way
        return {"status": e.code, "headers": dict(e.headers), "body_length": len(e.read())}


def raw_get(url, headers):
    parts = urllib.parse.urlsplit(url)
    lines = ["GET %s HTTP/1.1" % (parts.path or "/"), "Host: %s" % parts.netloc, "Connection: close"]
    lines += ["%s: %s" % kv for kv in headers.items()]
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        data = b""
        while len(data) < 1 << 20:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    return {"status_line": head_lines[0],
            "header_names": [h.split(":", 1)[0].lower() for h in head_lines[1:]],
            "body_length": len(body)}


def main():
    url = sys.argv[1]
    old_tag = sys.argv[2] if len(sys.argv) > 2 else '"0000000000000000"'
    first = fetch(url)
    etag = first["headers"].get("ETag", "")
    modified = first["headers"].get("Last-Modified", "")
    out = {
        "first": first,
        "head": fetch(url, "HEAD"),
        "if_none_match": fetch(url, headers={"If-None-Match": etag}),
        "if_modified_since": fetch(url, headers={"If-Modified-Since": modified}) if modified else None,
        "old_tag": fetch(url, headers={"If-None-Match": old_tag}),
        "raw_if_none_match": raw_get(url, {"If-None-Match": etag}),
    }
    d = feedparser.parse(url, etag=etag or None, modified=modified or None,
                         handlers=[urllib.request.ProxyHandler({})])
    out["feedparser"] = {"status": d.get("status", 0), "entries": len(d.entries)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
