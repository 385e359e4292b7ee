"""A proxy in front of a local S3 API server that dies mid-prune, for djstatic's prune tests: every
request is forwarded unchanged; after answering the Nth DeleteObjects request (POST ...?delete) the
process exits, so every later request finds the connection refused -- the server gone for good.

    s3_dying_proxy.py UPSTREAM_PORT N      (prints the port it listens on, 127.0.0.1)
"""
import http.client
import http.server
import os
import sys
import threading

UPSTREAM, LIMIT = int(sys.argv[1]), int(sys.argv[2])
lock = threading.Lock()
deletes = 0


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _forward(self):
        global deletes
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        upstream = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=30)
        upstream.request(self.command, self.path, body=body, headers=dict(self.headers))
        response = upstream.getresponse()
        data = response.read()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.wfile.flush()
        if self.command == "POST" and "?delete" in self.path:
            with lock:
                deletes += 1
                if deletes >= LIMIT:
                    os._exit(0)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
print(server.server_address[1], flush=True)
server.serve_forever()
