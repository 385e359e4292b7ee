import Testing
import S3Addressing

/// The one definition of the S3 host (`S3Address`), which the client, the rules and the collect
/// description share. The expected URLs are what botocore's real client requested for the same
/// options (`botocore_reference.py`'s `captured_url`, botocore of the dj52 virtualenv);
/// `EndpointTests` runs the full differential.
@Suite struct S3AddressTests {
    func url(_ bucket: String = "assets", region: String? = nil, endpoint: String? = nil,
             style: S3AddressingStyle = .auto, ssl: Bool = true, key: String? = "static/a.css") throws -> String {
        try S3Address(bucket: bucket, region: region, endpointURL: endpoint, addressingStyle: style, useSSL: ssl)
            .url(key: key)
    }

    @Test func awsRegionalHosts() throws {
        #expect(try url(region: "eu-west-1") == "https://assets.s3.eu-west-1.amazonaws.com/static/a.css")
        #expect(try url(region: "cn-north-1") == "https://assets.s3.cn-north-1.amazonaws.com.cn/static/a.css")
        #expect(try url(region: "eu-west-1", ssl: false) == "http://assets.s3.eu-west-1.amazonaws.com/static/a.css")
        #expect(try url() == "https://assets.s3.amazonaws.com/static/a.css")
        let address = try S3Address(bucket: "assets", region: "eu-west-1", endpointURL: nil, addressingStyle: .auto, useSSL: true)
        #expect(address.endpointURL == "https://s3.eu-west-1.amazonaws.com")
        #expect(address.signingRegion == "eu-west-1")
        #expect(S3Address.awsHost(region: "us-east-1") == "s3.amazonaws.com")
        #expect(S3Address.awsHost(region: "aws-global") == "s3.amazonaws.com")
        #expect(S3Address.awsHost(region: nil) == "s3.amazonaws.com")
    }

    @Test func pathAndVirtualAddressing() throws {
        #expect(try url(region: "us-east-1", style: .path) == "https://s3.amazonaws.com/assets/static/a.css")
        #expect(try url(region: "eu-west-1", style: .path) == "https://s3.eu-west-1.amazonaws.com/assets/static/a.css")
        #expect(try url(region: "eu-west-1", style: .virtual) == "https://assets.s3.eu-west-1.amazonaws.com/static/a.css")
        // A dotted bucket cannot be a label of an https host: path style even when virtual is asked.
        #expect(try url("static.example.com", region: "eu-west-1", style: .virtual, key: "a.css")
            == "https://s3.eu-west-1.amazonaws.com/static.example.com/a.css")
        #expect(try url(key: nil) == "https://assets.s3.amazonaws.com/")
        #expect(try url(style: .path, key: "") == "https://s3.amazonaws.com/assets/")
    }

    @Test func customEndpointHostAndPort() throws {
        // MinIO on host:port: path style unless virtual is asked; an IP address is never virtual (moto).
        #expect(try url(endpoint: "http://localhost:9000") == "http://localhost:9000/assets/static/a.css")
        #expect(try url(endpoint: "http://localhost:9000", style: .virtual) == "http://assets.localhost:9000/static/a.css")
        #expect(try url(endpoint: "http://127.0.0.1:5000", style: .virtual) == "http://127.0.0.1:5000/assets/static/a.css")
        let address = try S3Address(bucket: "assets", region: nil, endpointURL: "http://localhost:9000",
                                    addressingStyle: .auto, useSSL: true)
        #expect(address.host == "localhost" && address.port == 9000 && address.endpointURL == "http://localhost:9000")
        do {
            _ = try S3Address(bucket: "assets", region: nil, endpointURL: "localhost:9000", addressingStyle: .auto, useSSL: true)
            Issue.record("an endpoint without scheme was accepted")
        } catch {
            #expect(error.message == "Invalid endpoint: localhost:9000")
        }
    }

    @Test func endpointURLContainingTheBucket() throws {
        // botocore adds the bucket again (what rule S3010 warns about).
        #expect(try url(region: "nyc3", endpoint: "https://assets.nyc3.digitaloceanspaces.com")
            == "https://assets.nyc3.digitaloceanspaces.com/assets/static/a.css")
        #expect(try url(region: "nyc3", endpoint: "https://nyc3.digitaloceanspaces.com/assets")
            == "https://nyc3.digitaloceanspaces.com/assets/assets/static/a.css")
    }

    @Test func awsHosts() {
        #expect(S3Address.isAWSHost("s3.eu-west-1.amazonaws.com"))
        #expect(S3Address.isAWSHost("S3.AmazonAWS.com"))
        #expect(S3Address.isAWSHost("s3.cn-north-1.amazonaws.com.cn"))
        #expect(!S3Address.isAWSHost("minio.example.com"))
        #expect(!S3Address.isAWSHost("notamazonaws.com"))
    }
}
