#!/usr/bin/python3
"""A loopback SMTP server for tests (aiosmtpd, run with /usr/bin/python3).

Prints "PORT <n>" first, then serves on 127.0.0.1. Each accepted message is saved
in --dir as <n>.eml (the raw DATA as received) and <n>.json (mail_from, rcpt_tos,
tls: whether STARTTLS was in use, auth_login). Both are written to a temporary
name and renamed, so a test polling the directory never reads half a file.

  --cert/--key FILE   offer STARTTLS with this certificate (and require it)
  --user/--password   require AUTH (PLAIN or LOGIN) with these, over TLS only
  --reject ADDR       answer RCPT TO:<ADDR> with 550 (repeatable)
"""
import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Saver:
    def __init__(self, directory, rejects):
        self.directory = directory
        self.rejects = {r.lower() for r in rejects}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejects:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%d" % self.count)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "auth_login": auth_login(session),
        }
        write_atomic(base + ".eml", envelope.original_content or envelope.content)
        write_atomic(base + ".json", json.dumps(meta).encode())
        return "250 2.0.0 queued as %d" % self.count


def auth_login(session):
    data = getattr(session, "auth_data", None)
    return data.login.decode() if isinstance(data, LoginPassword) else None


def write_atomic(path, data):
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.rename(path + ".tmp", path)


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode() and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return check


def main():
    # Failed handshakes and logins are what some tests provoke: keep stderr quiet.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--reject", action="append", default=[])
    args = ap.parse_args()

    tls = None
    if args.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)
    kwargs = {"tls_context": tls, "require_starttls": tls is not None, "hostname": "localhost"}
    if args.user:
        kwargs.update(authenticator=authenticator(args.user, args.password or ""),
                      auth_required=True, auth_require_tls=True)
    handler = Saver(args.dir, args.reject)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, loop=loop, **kwargs), "127.0.0.1", 0))
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
