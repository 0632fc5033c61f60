#!/usr/bin/env python3
"""Relays HTTP between the backend and the emulator and keeps one request body: the first POST /contacts/ that
carries a cursor, i.e. a page of one export stream (a stream starts at its lower bound as the cursor and sends no
range_query; the backend stops it at the next bound).

    capture.py LISTEN_PORT UPSTREAM_URL OUT_FILE

Bodies are written to OUT_FILE only (never printed): they are what the export sends, not contact data.
"""
import http.client
import http.server
import json
import os
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import relay_body  # noqa: E402  (bench/relay_body.py)

listen_port, upstream, out_file = int(sys.argv[1]), urllib.parse.urlsplit(sys.argv[2]), sys.argv[3]
captured = threading.Event()
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


def is_walk_page(body: bytes) -> bool:
    try:
        query = json.loads(body)
    except ValueError:
        return False
    return isinstance(query, dict) and bool(query.get("cursor"))


class Relay(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self) -> bytes:
        return relay_body.read_body(self)

    def relay(self):
        body = self.read_body()
        if self.command == "POST" and self.path.startswith("/contacts/") and not captured.is_set() and is_walk_page(body):
            with open(out_file + ".tmp", "wb") as f:
                f.write(body)
            os.replace(out_file + ".tmp", out_file)
            captured.set()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
        try:
            connection.request(self.command, self.path, body=body if body else None, headers=headers)
            answer = connection.getresponse()
            payload = answer.read()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        finally:
            connection.close()

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the backend is stopped as soon as the body is captured

    do_GET = do_POST = do_PUT = do_DELETE = relay


http.server.ThreadingHTTPServer(("127.0.0.1", listen_port), Relay).serve_forever()
