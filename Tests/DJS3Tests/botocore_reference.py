"""Reference answers from botocore/boto3 for the DJS3 differential tests.

Run with the project's venv (.venvs/dj52/bin/python). Subcommands print JSON on stdout:

  sign                 SigV4 canonical request, string to sign and Authorization per case
  endpoints            endpoint_url and request URLs per addressing case
  credentials BASE     credential-chain cases laid out under the directory BASE
  put ENDPOINT BUCKET  (JSON list on stdin) upload objects with boto3 as django-storages does
  describe ENDPOINT BUCKET KEY...   HEAD + GET each key with boto3
"""

import datetime
import hashlib
import io
import json
import logging
import os
import sys

import boto3
import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode_sequence

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEFAKE//token+with/slash=="
FIXED_TIME = datetime.datetime(2026, 11, 30, 9, 41, 7)


SESSION = botocore.session.get_session()


def captured_url(bucket, key, region, endpoint_url, style, use_ssl):
    """The URL botocore's real client builds for HeadObject (key) or ListObjectsV2 (no key),
    and the signing region it used; nothing is sent."""
    config = Config(s3={"addressing_style": style} if style else None)
    client = SESSION.create_client("s3", region_name=region, endpoint_url=endpoint_url, use_ssl=use_ssl,
                                   config=config, aws_access_key_id="AKID", aws_secret_access_key="SECRET")
    got = {}

    def before_send(request, **_):
        got["url"] = request.url
        got["scope_region"] = request.headers["Authorization"].decode().split("/")[2]
        return AWSResponse(request.url, 200, {}, None)

    client.meta.events.register("before-send", before_send)
    try:
        if key is None:
            client.list_objects_v2(Bucket=bucket)
        else:
            client.head_object(Bucket=bucket, Key=key)
    except AttributeError:
        pass  # the fake response has no body to parse; the URL is captured by then
    return client.meta.endpoint_url, got["url"], got["scope_region"]


SIGN_CASES = [
    # name, method, bucket, key, query, headers, body, endpoint (region, endpoint_url, style, ssl),
    # token, streaming input, checksum header name
    ("put-headers-http", "PUT", "static-bucket", "static/css/site.css", [],
     [("Content-Type", "text/css"), ("Cache-Control", "max-age=31536000, public"), ("x-amz-acl", "public-read"),
      ("x-amz-meta-Origin", "djstatic"), ("Content-Encoding", "gzip")],
     "body { color: red }\n", ("eu-west-1", "http://127.0.0.1:9000", None, True), False, True, None),
    ("put-headers-https-virtual", "PUT", "static-bucket", "static/css/site.css", [],
     [("Content-Type", "text/css"), ("Cache-Control", "max-age=31536000, public"), ("x-amz-acl", "public-read"),
      ("x-amz-meta-a", "  spaced   value  ")],
     "body { color: red }\n", ("eu-central-1", None, "virtual", True), False, True, None),
    ("put-crc32-https-unsigned-payload", "PUT", "static-bucket", "a.js", [],
     [("Content-Type", "text/javascript"), ("x-amz-checksum-crc32", "NhCmhg=="),
      ("x-amz-sdk-checksum-algorithm", "CRC32")],
     "hello", ("us-east-1", None, None, True), False, True, "x-amz-checksum-crc32"),
    ("put-content-md5-https-unsigned-payload", "PUT", "static-bucket", "a.js", [],
     [("Content-MD5", "XUFAKrxLKna5cZ2REBfFkg==")], "hello", ("us-west-2", None, None, True), True, True, None),
    ("put-crc32-http-signed-payload", "PUT", "static-bucket", "a.js", [],
     [("x-amz-checksum-crc32", "NhCmhg=="), ("x-amz-sdk-checksum-algorithm", "CRC32")],
     "hello", ("us-east-1", "http://localhost:4566", None, True), False, True, "x-amz-checksum-crc32"),
    ("put-no-checksum-https", "PUT", "static-bucket", "a.js", [], [("Content-Type", "text/javascript")],
     "hello", ("us-east-1", None, None, True), False, True, None),
    ("put-session-token", "PUT", "static-bucket", "img/logo.png", [], [("Content-Type", "image/png")],
     "\u00ff\u00fe binary-ish", ("ap-southeast-2", None, "path", True), True, True, None),
    ("list-first-page", "GET", "static-bucket", None,
     [("list-type", "2"), ("prefix", "static/"), ("encoding-type", "url")], [], "",
     ("us-east-1", None, None, True), False, False, None),
    ("list-continuation", "GET", "static-bucket", None,
     [("list-type", "2"), ("prefix", "static/odd dir/na\u00efve+"), ("continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=="),
      ("encoding-type", "url")], [], "", ("eu-west-1", None, "path", True), True, False, None),
    ("list-custom-endpoint", "GET", "media", None, [("list-type", "2"), ("encoding-type", "url")], [], "",
     ("nyc3", "https://nyc3.digitaloceanspaces.com", None, True), False, False, None),
    ("delete", "DELETE", "static-bucket", "static/old.css", [], [], "", ("us-east-1", None, None, True),
     False, False, None),
    ("delete-token-path", "DELETE", "static.example.com", "static/old.css", [], [], "",
     ("eu-west-1", None, None, True), True, False, None),
    ("head", "HEAD", "static-bucket", "static/css/site.css", [], [], "", ("us-east-1", None, None, False),
     False, False, None),
    ("get", "GET", "static-bucket", "static/js/app.js", [], [], "", ("us-east-1", "http://127.0.0.1:5000", None, True),
     True, False, None),
    ("create-multipart", "POST", "static-bucket", "big/video.mp4", [("uploads", "")],
     [("Content-Type", "video/mp4"), ("Cache-Control", "max-age=60"), ("x-amz-checksum-algorithm", "CRC32")], "",
     ("us-east-1", None, None, True), False, False, None),
    ("upload-part", "PUT", "static-bucket", "big/video.mp4",
     [("partNumber", "1"), ("uploadId", "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA+/=")],
     [("x-amz-checksum-crc32", "jNwWgw=="), ("x-amz-sdk-checksum-algorithm", "CRC32")], "x" * 1000,
     ("us-east-1", "http://127.0.0.1:5000", None, True), False, True, "x-amz-checksum-crc32"),
    ("complete-multipart", "POST", "static-bucket", "big/video.mp4", [("uploadId", "abc+def/=")], [],
     '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>"e1"</ETag>'
     "<PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
     ("us-east-1", None, None, True), False, False, None),
    ("abort-multipart", "DELETE", "static-bucket", "big/video.mp4", [("uploadId", "abc")], [], "",
     ("us-east-1", None, None, True), False, False, None),
    ("key-space-plus-tilde", "PUT", "static-bucket", "odd dir/na\u00efve file+name~1.txt", [],
     [("Content-Type", "text/plain")], "text", ("us-east-1", None, None, True), False, True, None),
    ("key-percent-unicode", "GET", "static-bucket", "100% \u65e5\u672c\u8a9e/\U0001F600 emoji?.css#x", [], [], "",
     ("eu-west-1", None, "virtual", True), False, False, None),
    ("key-reserved-chars", "HEAD", "static-bucket", "a&b=c;d,e:f@g$h!i*j'k(l)m[n]o{p}q|r\\s^t`u\"v<w>x", [], [], "",
     ("us-east-1", None, "path", True), False, False, None),
    ("key-slashes-dots", "DELETE", "static-bucket", "/lead//double/./dot/../x", [], [], "",
     ("us-east-1", None, None, True), False, False, None),
    ("custom-virtual", "PUT", "static-bucket", "k.css", [], [("Content-Type", "text/css")], "a{}",
     ("us-east-1", "https://minio.example.com:9443/base/", "virtual", True), True, True, None),
    ("custom-default-port-uppercase-host", "GET", "static-bucket", "k.css", [], [], "",
     ("us-east-1", "https://MinIO.Example.com:443", None, True), False, False, None),
    ("localhost-port", "GET", "static-bucket", "k.css", [], [], "",
     ("us-east-1", "http://localhost:9000", "path", True), False, False, None),
    ("ipv6-endpoint", "GET", "static-bucket", "k.css", [], [], "",
     ("us-east-1", "http://[::1]:9000", None, True), False, False, None),
    ("no-region", "PUT", "static-bucket", "k.css", [], [("Content-Type", "text/css")], "a{}",
     (None, None, None, True), False, True, None),
    ("china-region", "GET", "static-bucket", "k.css", [], [], "", ("cn-north-1", None, None, True), False, False, None),
]


def sign_cases():
    records = []
    logger = logging.getLogger("botocore.auth")
    logger.setLevel(logging.DEBUG)
    messages = []

    class Capture(logging.Handler):
        def emit(self, record):
            messages.append((record.msg, record.args))

    logger.addHandler(Capture())
    botocore.auth.get_current_datetime = lambda *a, **k: FIXED_TIME
    for (name, method, bucket, key, query, headers, body, endpoint, with_token, streaming, checksum) in SIGN_CASES:
        region, endpoint_url, style, use_ssl = endpoint
        _, url, signing_region = captured_url(bucket, key, region, endpoint_url, style, use_ssl)
        url = url.split("?", 1)[0]
        if query:
            url += "?" + "&".join(k if v == "" else percent_encode_sequence([(k, v)]) for k, v in query)
        request = AWSRequest(method=method, url=url, headers=dict(headers), data=body.encode("utf-8"))
        request.context["has_streaming_input"] = streaming
        if checksum:
            request.context["checksum"] = {"request_algorithm": {"in": "header", "name": checksum}}
        credentials = Credentials(ACCESS_KEY, SECRET_KEY, TOKEN if with_token else None)
        messages.clear()
        botocore.auth.S3SigV4Auth(credentials, "s3", signing_region).add_auth(request)
        logged = {msg.split(":")[0]: args[0] for msg, args in messages if args}
        records.append({
            "name": name, "method": method, "bucket": bucket, "key": key, "query": query, "headers": headers,
            "body": body, "region": region, "endpoint_url": endpoint_url, "addressing_style": style,
            "use_ssl": use_ssl, "token": TOKEN if with_token else None, "streaming": streaming,
            "checksum_header": checksum, "url": url,
            "payload_hash": request.headers["X-Amz-Content-SHA256"],
            "canonical_request": logged["CanonicalRequest"], "string_to_sign": logged["StringToSign"],
            "authorization": request.headers["Authorization"],
        })
    return {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "timestamp": FIXED_TIME.isoformat() + "Z",
            "cases": records}


ENDPOINT_CASES = [
    # bucket, key, region, endpoint_url, addressing_style, use_ssl
    ("mybucket", "a b+c~d/\u00e9%.txt", None, None, None, True),
    ("mybucket", "k", "us-east-1", None, None, True),
    ("mybucket", "k", "aws-global", None, None, True),
    ("mybucket", "k", "eu-west-1", None, None, True),
    ("mybucket", "k", "eu-west-1", None, "path", True),
    ("mybucket", "k", "eu-west-1", None, "auto", True),
    ("mybucket", "k", "eu-central-1", None, "virtual", True),
    ("mybucket", "k", "eu-west-1", None, None, False),
    ("mybucket", "k", None, None, "path", False),
    ("mybucket", "k", "cn-north-1", None, None, True),
    ("mybucket", "k", "us-gov-west-1", None, None, True),
    ("my.bucket", "k", "eu-west-1", None, None, True),
    ("my.bucket", "k", "eu-west-1", None, "virtual", True),
    ("my.bucket", "k", "eu-west-1", None, "virtual", False),
    ("static.example.com", "css/site.css", "us-east-1", None, None, True),
    ("My_Bucket", "k", "eu-west-1", None, None, True),
    ("MyBucket", "k", "eu-west-1", None, "virtual", True),
    ("ab", "k", "us-east-1", None, None, True),
    ("a-b-", "k", "us-east-1", None, None, True),
    ("-ab", "k", "us-east-1", None, "virtual", True),
    ("my--bucket", "k", "us-east-1", None, None, True),
    ("xn--bucket", "k", "us-east-1", None, None, True),
    ("192.168.1.1", "k", "us-east-1", None, None, True),
    ("a" * 63, "k", "us-east-1", None, None, True),
    ("a" * 64, "k", "us-east-1", None, None, True),
    ("mybucket", "k", "us-east-1", "https://minio.example.com", None, True),
    ("mybucket", "k", "us-east-1", "https://minio.example.com", "auto", True),
    ("mybucket", "k", "us-east-1", "https://minio.example.com", "path", True),
    ("mybucket", "k", "us-east-1", "https://minio.example.com", "virtual", True),
    ("mybucket", "k", "us-east-1", "https://minio.example.com", None, False),
    ("my.bucket", "k", "us-east-1", "https://minio.example.com", "virtual", True),
    ("my.bucket", "k", "us-east-1", "http://minio.example.com", "virtual", True),
    ("My.Bucket", "k", "us-east-1", "http://minio.example.com", "virtual", True),
    ("mybucket", "k", "us-east-1", "http://127.0.0.1:9000", None, True),
    ("mybucket", "k", "us-east-1", "http://127.0.0.1:9000", "virtual", True),
    ("mybucket", "k", "us-east-1", "http://localhost:9000", None, True),
    ("mybucket", "k", "us-east-1", "http://localhost:9000", "virtual", True),
    ("mybucket", "k", "us-east-1", "http://[::1]:9000", "virtual", True),
    ("mybucket", "k", "nyc3", "https://nyc3.digitaloceanspaces.com", None, True),
    ("mybucket", "k", "nyc3", "https://mybucket.nyc3.digitaloceanspaces.com", None, True),
    ("mybucket", "k", "us-east-1", "https://minio.example.com/base", None, True),
    ("mybucket", "k", "us-east-1", "https://minio.example.com/base/", "virtual", True),
    ("mybucket", "k", "us-east-1", "https://MinIO.Example.com:443", None, True),
    ("mybucket", "k", "us-east-1", "http://minio.example.com:80", None, True),
    ("mybucket", "k", "eu-west-1", "https://s3.eu-west-1.amazonaws.com", None, True),
    ("mybucket", "/lead//x/../y", "us-east-1", None, None, True),
    ("mybucket", "\u65e5\u672c/\U0001F600 +?#%", "us-east-1", "http://127.0.0.1:9000", None, True),
    ("s3://bucket", "k", "us-east-1", None, None, True),
    ("my bucket", "k", "us-east-1", None, None, True),
    ("mybucket", "k", "us-east-1", "minio.example.com:9000", None, True),
]


def endpoint_cases():
    records = []
    for bucket, key, region, endpoint_url, style, use_ssl in ENDPOINT_CASES:
        record = {"bucket": bucket, "key": key, "region": region, "endpoint_url": endpoint_url,
                  "addressing_style": style, "use_ssl": use_ssl}
        try:
            meta, object_url, signing_region = captured_url(bucket, key, region, endpoint_url, style, use_ssl)
            _, bucket_url, _ = captured_url(bucket, None, region, endpoint_url, style, use_ssl)
            record.update(endpoint=meta, object_url=object_url, bucket_url=bucket_url, signing_region=signing_region)
        except Exception as error:  # noqa: BLE001 - the error class is the expected answer
            record["error"] = type(error).__name__
        records.append(record)
    return records


CREDENTIAL_CASES = [
    # name, env, credentials file, config file, explicit profile
    ("nothing", {}, None, None, None),
    ("env", {"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "envsecret"}, None, None, None),
    ("env-session-token", {"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "envsecret",
                           "AWS_SESSION_TOKEN": "envtoken"}, None, None, None),
    ("env-legacy-token-wins", {"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "envsecret",
                               "AWS_SESSION_TOKEN": "newtoken", "AWS_SECURITY_TOKEN": "legacytoken"}, None, None, None),
    ("env-partial", {"AWS_ACCESS_KEY_ID": "AKENV"}, None, None, None),
    ("env-beats-files", {"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "envsecret"},
     "[default]\naws_access_key_id = AKFILE\naws_secret_access_key = filesecret\n", None, None),
    ("credentials-default", {}, "# comment\n[default]\naws_access_key_id = AKFILE\n"
     "aws_secret_access_key=filesecret\naws_session_token = filetoken\n", None, None),
    ("credentials-file-beats-config", {},
     "[default]\naws_access_key_id = AKFILE\naws_secret_access_key = filesecret\n",
     "[default]\naws_access_key_id = AKCONFIG\naws_secret_access_key = configsecret\n", None),
    ("config-default", {}, None,
     "[default]\nregion = eu-west-1\naws_access_key_id = AKCONFIG\naws_secret_access_key = configsecret\n", None),
    ("aws-profile-credentials", {"AWS_PROFILE": "deploy"},
     "[default]\naws_access_key_id = AKDEFAULT\naws_secret_access_key = s\n"
     "[deploy]\naws_access_key_id = AKDEPLOY\naws_secret_access_key = deploysecret\n", None, None),
    ("aws-profile-config-section", {"AWS_PROFILE": "deploy"}, None,
     "[profile deploy]\nAWS_ACCESS_KEY_ID = AKDEPLOY\naws_secret_access_key : deploysecret\n"
     "aws_security_token = legacy\naws_session_token = new\n", None),
    ("aws-default-profile-beats-aws-profile", {"AWS_DEFAULT_PROFILE": "one", "AWS_PROFILE": "two"},
     "[one]\naws_access_key_id = AKONE\naws_secret_access_key = s1\n"
     "[two]\naws_access_key_id = AKTWO\naws_secret_access_key = s2\n", None, None),
    ("aws-profile-keeps-env", {"AWS_PROFILE": "deploy", "AWS_ACCESS_KEY_ID": "AKENV",
                               "AWS_SECRET_ACCESS_KEY": "envsecret"},
     "[deploy]\naws_access_key_id = AKDEPLOY\naws_secret_access_key = deploysecret\n", None, None),
    ("explicit-profile-skips-env", {"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "envsecret"},
     "[deploy]\naws_access_key_id = AKDEPLOY\naws_secret_access_key = deploysecret\n", None, "deploy"),
    ("explicit-profile-in-config", {"AWS_PROFILE": "other"}, None,
     "[profile deploy]\naws_access_key_id = AKDEPLOY\naws_secret_access_key = deploysecret\n"
     "[deploy]\naws_access_key_id = AKWRONG\naws_secret_access_key = wrong\n", "deploy"),
    ("profile-section-in-credentials-file-is-literal", {"AWS_PROFILE": "deploy"},
     "[profile deploy]\naws_access_key_id = AKWRONG\naws_secret_access_key = wrong\n", None, None),
    ("credentials-partial", {}, "[default]\naws_access_key_id = AKFILE\n", None, None),
    ("custom-file-locations", {"AWS_SHARED_CREDENTIALS_FILE": "{base}/elsewhere/creds",
                               "AWS_CONFIG_FILE": "{base}/elsewhere/conf"},
     "[default]\naws_access_key_id = AKCUSTOM\naws_secret_access_key = customsecret\n", None, None),
    ("missing-profile", {"AWS_PROFILE": "absent"},
     "[default]\naws_access_key_id = AKFILE\naws_secret_access_key = filesecret\n", None, None),
    ("missing-profile-before-env", {"AWS_PROFILE": "absent", "AWS_ACCESS_KEY_ID": "AKENV",
                                    "AWS_SECRET_ACCESS_KEY": "envsecret"}, None, None, None),
    ("explicit-default-profile-missing", {}, None, None, "default"),
    ("aws-profile-default-missing", {"AWS_PROFILE": "default", "AWS_ACCESS_KEY_ID": "AKENV",
                                     "AWS_SECRET_ACCESS_KEY": "envsecret"}, None, None, None),
    ("explicit-default-profile-in-config", {}, None,
     "[profile default]\naws_access_key_id = AKPD\naws_secret_access_key = pdsecret\n", "default"),
    ("continuation-and-comments", {}, None,
     "; comment\n[default]\ns3 =\n    addressing_style = path\naws_access_key_id = AKCONFIG\n"
     "aws_secret_access_key = configsecret\n", None),
]


def credential_cases(base):
    records = []
    for index, (name, env, credentials_file, config_file, profile) in enumerate(CREDENTIAL_CASES):
        root = os.path.join(base, str(index))
        home = os.path.join(root, "home")
        os.makedirs(os.path.join(home, ".aws"), exist_ok=True)
        environment = {k: v.replace("{base}", root) for k, v in env.items()}
        environment["HOME"] = home
        credentials_path = environment.get("AWS_SHARED_CREDENTIALS_FILE", os.path.join(home, ".aws", "credentials"))
        config_path = environment.get("AWS_CONFIG_FILE", os.path.join(home, ".aws", "config"))
        for path, text in ((credentials_path, credentials_file), (config_path, config_file)):
            if text is not None:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as handle:
                    handle.write(text)
        os.environ.clear()
        os.environ.update(environment)
        record = {"name": name, "env": environment, "profile": profile}
        try:
            found = botocore.session.Session(profile=profile).get_credentials()
            record["result"] = None if found is None else {
                "access_key": found.access_key, "secret_key": found.secret_key, "token": found.token,
                "method": found.method}
        except Exception as error:  # noqa: BLE001 - the error class is the expected answer
            record["error"] = type(error).__name__
        records.append(record)
    return records


def s3_client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def put_objects(endpoint, bucket):
    """Uploads as django-storages does (upload_fileobj with ExtraArgs, default TransferConfig)."""
    client = s3_client(endpoint)
    for item in json.load(sys.stdin):
        client.upload_fileobj(io.BytesIO(bytes.fromhex(item["body_hex"])), bucket, item["key"],
                              ExtraArgs=item["extra_args"])
    return []


def describe_objects(endpoint, bucket, keys):
    client = s3_client(endpoint)
    records = []
    for key in keys:
        head = client.head_object(Bucket=bucket, Key=key)
        body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        records.append({"key": key, "sha256": hashlib.sha256(body).hexdigest(), "size": len(body),
                        "etag": head["ETag"], "content_type": head.get("ContentType"),
                        "cache_control": head.get("CacheControl"), "content_encoding": head.get("ContentEncoding"),
                        "metadata": head.get("Metadata", {})})
    return records


def main(argv):
    command = argv[1]
    if command == "sign":
        result = sign_cases()
    elif command == "endpoints":
        result = endpoint_cases()
    elif command == "credentials":
        result = credential_cases(argv[2])
    elif command == "put":
        result = put_objects(argv[2], argv[3])
    elif command == "describe":
        result = describe_objects(argv[2], argv[3], argv[4:])
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(result, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main(sys.argv)
