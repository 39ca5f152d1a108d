#!/usr/bin/python3
"""Reads an alert as an MTA delivered it, with Python's own `email` package
(policy=default), and checks what a newsdesk's mail reader depends on: no
defects, From/To addresses and display names as configured, a
multipart/alternative of text and HTML, a Message-ID in the configured domain,
Auto-Submitted and a Date that parses. With --wire (what the client sent, as an
SMTP proxy recorded it), also that the message went over the wire with CRLF
line ends and no line longer than 998 octets. Prints one line per failure;
exit status 0 when there is none.

Usage: check_alert_mail.py MESSAGE --from ADDR --to ADDR --message-id-domain D
                           [--wire TRANSCRIPT] [--text WORDS]
"""
import argparse
import datetime
import email
import email.policy
import email.utils
import re
import sys


def data_section(transcript: bytes) -> bytes:
    """The DATA section of the (last) SMTP transaction in a client transcript."""
    start = transcript.rfind(b"\r\nDATA\r\n")
    if start < 0:
        raise ValueError("no DATA command in the transcript")
    body = transcript[start + len(b"\r\nDATA\r\n"):]
    end = body.find(b"\r\n.\r\n")
    if end < 0:
        raise ValueError("no end of DATA (CRLF.CRLF) in the transcript")
    return body[: end + 2]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("message")
    ap.add_argument("--from", dest="from_", required=True)
    ap.add_argument("--to", required=True)
    ap.add_argument("--message-id-domain", required=True)
    ap.add_argument("--wire")
    ap.add_argument("--text", default="")
    a = ap.parse_args()
    failures = []
    raw = open(a.message, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)

    for part in msg.walk():
        if part.defects:
            failures.append(f"{part.get_content_type()}: defects {part.defects!r}")
    for name, value in msg.items():
        if getattr(value, "defects", None):
            failures.append(f"header {name}: defects {value.defects!r}")
    header_block = raw.split(b"\n\n", 1)[0]
    if any(b > 127 for b in header_block):
        failures.append("non-ASCII bytes in the header block")

    for field, wanted in (("From", a.from_), ("To", a.to)):
        name, addr = email.utils.parseaddr(wanted)
        got = msg[field].addresses if msg[field] is not None else ()
        if len(got) != 1 or got[0].addr_spec != addr or got[0].display_name != name:
            failures.append(f"{field}: wanted {name!r} <{addr}>, got {[(g.display_name, g.addr_spec) for g in got]}")

    if msg.get_content_type() != "multipart/alternative":
        failures.append(f"top-level type {msg.get_content_type()}, not multipart/alternative")
    kinds = [p.get_content_type() for p in msg.iter_parts()] if msg.is_multipart() else []
    if kinds != ["text/plain", "text/html"]:
        failures.append(f"parts {kinds}, not text/plain then text/html")
    plain = msg.get_body(("plain",))
    if plain is None or a.text not in plain.get_content():
        failures.append(f"text/plain part does not contain {a.text!r}")

    mid = str(msg.get("Message-ID", ""))
    if not re.fullmatch(r"<[^@<>\s]+@" + re.escape(a.message_id_domain) + ">", mid):
        failures.append(f"Message-ID {mid!r} not in domain {a.message_id_domain}")
    if str(msg.get("Auto-Submitted", "")) != "auto-generated":
        failures.append(f"Auto-Submitted {msg.get('Auto-Submitted')!r}")
    date = msg["Date"].datetime if msg["Date"] is not None else None
    now = datetime.datetime.now(datetime.timezone.utc)
    if date is None or date.tzinfo is None or abs((date - now).total_seconds()) > 86400:
        failures.append(f"Date {msg.get('Date')!r} does not parse to an aware time near now")

    lines = [raw] if a.wire is None else []
    if a.wire:
        try:
            data = data_section(open(a.wire, "rb").read())
        except ValueError as e:
            failures.append(str(e))
            data = b""
        if re.search(rb"(?<!\r)\n|\r(?!\n)", data):
            failures.append("a bare LF or CR in the message on the wire")
        lines = [data]
    for blob in lines:
        for n, line in enumerate(re.split(rb"\r?\n", blob), 1):
            if len(line) > 998:
                failures.append(f"line {n} is {len(line)} octets long")

    for f in failures:
        print(f)
    if not failures:
        print(f"ok: {msg['Subject']!s} from {msg['From']!s} to {msg['To']!s}, {mid}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
