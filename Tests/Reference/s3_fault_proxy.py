"""A fault-injecting proxy in front of a local S3 API server, for djstatic's upload tests: every
request is forwarded unchanged, except PUTs whose path contains FAIL_MARKER, which get an S3
InternalError (500) every time -- more often than any client retries.

    s3_fault_proxy.py UPSTREAM_PORT FAIL_MARKER      (prints the port it listens on, 127.0.0.1)
"""
import sys

from s3_relay import RelayHandler, serve

MARKER = sys.argv[2]
ERROR = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code>'
         b"<Message>injected failure</Message></Error>")


class Proxy(RelayHandler):
    upstream = int(sys.argv[1])

    def _forward(self):
        body = self.read_body()
        if self.command == "PUT" and MARKER in self.path:
            self.send_response(500)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(ERROR)))
            self.end_headers()
            self.wfile.write(ERROR)
            return
        self.relay(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward


serve(Proxy)
