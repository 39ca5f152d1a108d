#!/usr/bin/python3
"""A TCP proxy on 127.0.0.1 for SMTP tests: forwards every connection to
127.0.0.1:UPSTREAM and appends what the client sent to RECORD, so a test can
check the bytes on the wire (CRLF, line lengths) of mail a real MTA accepted.
Prints "PORT <n>" first.

Usage: smtp_tap.py --upstream PORT --record FILE
"""
import argparse
import asyncio


async def pump(reader, writer, record=None):
    try:
        while data := await reader.read(65536):
            if record is not None:
                with open(record, "ab") as f:
                    f.write(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", type=int, required=True)
    ap.add_argument("--record", required=True)
    a = ap.parse_args()

    async def handle(client_r, client_w):
        up_r, up_w = await asyncio.open_connection("127.0.0.1", a.upstream)
        await asyncio.gather(pump(client_r, up_w, a.record), pump(up_r, client_w))

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
