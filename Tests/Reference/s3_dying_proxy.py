"""A proxy in front of a local S3 API server that dies mid-prune, for djstatic's prune tests: every
request is forwarded unchanged; after answering the Nth DeleteObjects request (POST ...?delete) the
process exits, so every later request finds the connection refused -- the server gone for good.

    s3_dying_proxy.py UPSTREAM_PORT N      (prints the port it listens on, 127.0.0.1)
"""
import os
import sys
import threading

from s3_relay import RelayHandler, serve

LIMIT = int(sys.argv[2])
lock = threading.Lock()
deletes = 0


class Proxy(RelayHandler):
    upstream = int(sys.argv[1])

    def _forward(self):
        global deletes
        self.relay(self.read_body())
        self.wfile.flush()
        if self.command == "POST" and "?delete" in self.path:
            with lock:
                deletes += 1
                if deletes >= LIMIT:
                    os._exit(0)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward


serve(Proxy)
