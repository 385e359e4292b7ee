"""Test helper for the S3 collect tests: creates buckets on an S3 API server and dumps a bucket as
JSON (every object's key, stored bytes' SHA-256, size, ETag and the headers django-storages sets),
with boto3 -- the reference client.

    s3_bucket.py create ENDPOINT BUCKET...
    s3_bucket.py dump ENDPOINT BUCKET
"""
import hashlib
import json
import sys

import boto3


def client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def dump(s3, bucket):
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for entry in page.get("Contents", []):
            key = entry["Key"]
            obj = s3.get_object(Bucket=bucket, Key=key)
            body = obj["Body"].read()
            grants = s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
            out[key] = {
                "sha256": hashlib.sha256(body).hexdigest(),
                "size": len(body),
                "etag": obj["ETag"],
                "content_type": obj.get("ContentType"),
                "content_encoding": obj.get("ContentEncoding"),
                "cache_control": obj.get("CacheControl"),
                "metadata": obj.get("Metadata", {}),
                "acl": sorted(f"{g['Grantee'].get('URI', g['Grantee'].get('ID', ''))}:{g['Permission']}" for g in grants),
            }
    return out


def main():
    command, endpoint, *buckets = sys.argv[1:]
    s3 = client(endpoint)
    if command == "create":
        for bucket in buckets:
            s3.create_bucket(Bucket=bucket)
    elif command == "dump":
        print(json.dumps(dump(s3, buckets[0]), sort_keys=True))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
