#!/usr/bin/env python3
"""The bare walk an export is compared with: the same page requests, sent straight to the emulator, answers read and
dropped. Nothing is parsed and nothing is written, so what is left is Connectra's cost of the walk.

    walk.py record LISTEN_PORT UPSTREAM_URL DIR     relays the backend to the emulator and keeps, in order, every
                                                    search page request (POST /contacts/ or /companies/) in
                                                    DIR/pages.bin and its headers in DIR/headers.json
    walk.py replay UPSTREAM_URL DIR CONCURRENCY     sends the kept requests again, CONCURRENCY at a time, and prints
                                                    "<pages> pages, <bytes> bytes in <seconds> s"

Bodies go to DIR only (never printed): they are what the export sends, not contact data.
"""
import http.client
import http.server
import json
import os
import queue
import struct
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import relay_body  # noqa: E402  (bench/relay_body.py)

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}
PAGE_PATHS = ("/contacts/", "/companies/")


def record(listen_port: int, upstream_url: str, folder: str) -> None:
    upstream = urllib.parse.urlsplit(upstream_url)
    lock = threading.Lock()
    pages = open(f"{folder}/pages.bin", "wb")
    headers_kept = threading.Event()
    local = threading.local()

    class Relay(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def read_body(self) -> bytes:
            return relay_body.read_body(self)

        def upstream_connection(self) -> http.client.HTTPConnection:
            # One upstream connection per relay thread, kept alive like the backend's own pool.
            if getattr(local, "connection", None) is None:
                local.connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=300)
            return local.connection

        def relay(self):
            body = self.read_body()
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
            if self.command == "POST" and self.path in PAGE_PATHS:
                with lock:
                    pages.write(struct.pack(">I", len(body)) + self.path.encode().ljust(16) + body)
                    pages.flush()
                    if not headers_kept.is_set():
                        with open(f"{folder}/headers.json", "w") as f:
                            json.dump({k: v for k, v in headers.items() if k.lower() != "content-length"}, f)
                        headers_kept.set()
            connection = self.upstream_connection()
            try:
                connection.request(self.command, self.path, body=body if body else None, headers=headers)
                answer = connection.getresponse()
                payload = answer.read()
            except (http.client.HTTPException, OSError):
                local.connection = None
                connection.close()
                raise
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def handle(self):
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_PUT = do_DELETE = relay

    http.server.ThreadingHTTPServer(("127.0.0.1", listen_port), Relay).serve_forever()


def replay(upstream_url: str, folder: str, concurrency: int) -> None:
    upstream = urllib.parse.urlsplit(upstream_url)
    with open(f"{folder}/headers.json") as f:
        headers = json.load(f)
    work: "queue.Queue[tuple[str, bytes] | None]" = queue.Queue()
    count = 0
    with open(f"{folder}/pages.bin", "rb") as f:
        while prefix := f.read(4):
            (length,) = struct.unpack(">I", prefix)
            path = f.read(16).decode().strip()
            work.put((path, f.read(length)))
            count += 1
    for _ in range(concurrency):
        work.put(None)
    received = [0] * concurrency
    failures = []

    def walker(index: int) -> None:
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=300)
        while (item := work.get()) is not None:
            path, body = item
            connection.request("POST", path, body=body, headers=headers)
            answer = connection.getresponse()
            payload = answer.read()
            if answer.status != 200:
                failures.append(answer.status)
            received[index] += len(payload)

    threads = [threading.Thread(target=walker, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    if failures:
        print(f"{len(failures)} pages answered other than 200: {sorted(set(failures))}", file=sys.stderr)
        sys.exit(1)
    print(f"{count} pages, {sum(received)} bytes in {elapsed:.1f} s")


if __name__ == "__main__":
    if sys.argv[1] == "record":
        record(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "replay":
        replay(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
