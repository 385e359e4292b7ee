"""The forwarding both test proxies in front of a local S3 API server share (s3_fault_proxy.py,
s3_dying_proxy.py): a request handler base that relays a request unchanged to 127.0.0.1:UPSTREAM
and writes the answer back, and the server loop on an ephemeral loopback port."""
import http.client
import http.server


class RelayHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = 0  # the S3 server's port; set by the proxy

    def log_message(self, *args):
        pass

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else None

    def relay(self, body):
        """Forwards this request with ``body`` and writes the upstream answer back."""
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream, timeout=30)
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


def serve(handler):
    """Listens on 127.0.0.1 (an ephemeral port, printed first) until killed."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
