"""A misbehaving S3 stand-in for the DJS3 retry and timeout tests (127.0.0.1 only).

Prints its port on the first line of stdout, then serves until killed. The behaviour depends on
the last path segment (the object key):

  fail2-*   500 InternalError on the first two requests for that path, then 200
  always-*  503 SlowDown every time
  bad-*     400 InvalidArgument every time
  hang-*    answers nothing for 30 seconds
  error200-* 200 with an <Error> body (InternalError) twice, then a CompleteMultipartUploadResult
  other     200

Every answer carries the number of requests seen for its path: in the ETag of a 200
(`"attempt-N"`) and in the Message of an error (`attempt N`).
"""

import http.server
import sys
import threading
import time

counts = {}
lock = threading.Lock()

ERROR = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>attempt {n}</Message>'
         "<RequestId>req-{n}</RequestId></Error>")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        with lock:
            counts[path] = counts.get(path, 0) + 1
            n = counts[path]
        name = path.rsplit("/", 1)[-1]
        if name.startswith("hang-"):
            time.sleep(30)
            return
        status, code = 200, None
        if name.startswith("fail2-") and n <= 2:
            status, code = 500, "InternalError"
        elif name.startswith("always-"):
            status, code = 503, "SlowDown"
        elif name.startswith("bad-"):
            status, code = 400, "InvalidArgument"
        if name.startswith("error200-"):
            code = "InternalError" if n <= 2 else None
        if code is None and name.startswith("error200-"):
            body = f'<CompleteMultipartUploadResult><ETag>"attempt-{n}"</ETag></CompleteMultipartUploadResult>'.encode()
        elif code is None or self.command == "HEAD":
            body = b""
        else:
            body = ERROR.format(code=code, n=n).encode()
        self.send_response(status)
        if code is None:
            self.send_header("ETag", f'"attempt-{n}"')
        else:
            self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = answer


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
