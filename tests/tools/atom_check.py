#!/usr/bin/python3
"""Reads an Atom feed (a file, or '-' for stdin) with Debian's python3-feedparser and
prints what a feed reader would see, as JSON: bozo (0 = well-formed), the error if not,
the feed's version, id, title, updated, self link and its entries (id, title, link,
updated, category terms, content text)."""
import json
import sys

import feedparser


def main():
    path = sys.argv[1]
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    d = feedparser.parse(data)
    out = {
        "bozo": int(d.bozo),
        "bozo_exception": str(d.get("bozo_exception", "")),
        "version": d.version,
        "feed": {
            "id": d.feed.get("id", ""),
            "title": d.feed.get("title", ""),
            "updated": d.feed.get("updated", ""),
            "self": next((l.href for l in d.feed.get("links", []) if l.get("rel") == "self"), ""),
        },
        "entries": [
            {
                "id": e.get("id", ""),
                "title": e.get("title", ""),
                "link": e.get("link", ""),
                "updated": e.get("updated", ""),
                "updated_parsed": e.get("updated_parsed") is not None,
                "tags": [t.term for t in e.get("tags", [])],
                "content": "".join(c.value for c in e.get("content", [])),
                "content_type": e.get("content", [{}])[0].get("type", "") if e.get("content") else "",
            }
            for e in d.entries
        ],
    }
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
