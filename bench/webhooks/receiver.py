"""A webhook receiver for the benchmark: answers 204 at once and logs, per event, the delay between the event's
occurred_at and the moment its request arrived ("<seconds since the epoch> <latency seconds> <event_id>")."""
import json
import sys
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = open(sys.argv[2], "a", buffering=1)


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        arrived = time.time()
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        self.send_response(204)
        self.end_headers()
        for event in json.loads(body)["events"]:
            occurred = datetime.fromisoformat(event["occurred_at"]).timestamp()
            LOG.write(f"{arrived:.3f} {arrived - occurred:.4f} {event['event_id']}\n")

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
