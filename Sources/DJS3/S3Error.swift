/// Errors from the S3 layer. No case ever carries credential values.
public enum S3Error: Error, Sendable, CustomStringConvertible {
    /// Bad bucket name, endpoint URL or credential files.
    case invalidConfiguration(String)
    /// No provider in the credential chain had credentials.
    case noCredentials
    /// The service answered with an error status.
    case service(S3ServiceError)
    /// The request never got an answer: connection refused or reset, timeout.
    case transport(operation: String, message: String)
    /// A 2xx answer whose body could not be understood.
    case invalidResponse(operation: String, message: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message): return message
        case .noCredentials: return "Unable to locate credentials"
        case .service(let error): return error.description
        case .transport(let operation, let message):
            return "Could not connect when calling the \(operation) operation: \(message)"
        case .invalidResponse(let operation, let message):
            return "Invalid response to the \(operation) operation: \(message)"
        }
    }
}

/// An S3 error response (`<Error><Code>…</Code><Message>…</Message></Error>`), or the status
/// alone for bodiless answers (HEAD).
public struct S3ServiceError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let statusCode: Int
    /// The S3 error code (`NoSuchKey`, `SlowDown`, …); for a bodiless answer the status code as
    /// text, like botocore (`404`).
    public let code: String
    public let message: String
    public let requestID: String?

    public init(operation: String, statusCode: Int, code: String, message: String, requestID: String?) {
        self.operation = operation
        self.statusCode = statusCode
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// botocore's wording: `An error occurred (NoSuchKey) when calling the GetObject operation: …`.
    public var description: String {
        "An error occurred (\(code)) when calling the \(operation) operation: \(message)"
    }

    /// Worth another attempt under botocore's standard retry mode: 5xx gateway/server errors,
    /// 429, throttling codes and transient `RequestTimeout`.
    public var isRetryable: Bool {
        if [500, 502, 503, 504, 429].contains(statusCode) { return true }
        return Self.retryableCodes.contains(code)
    }

    static let retryableCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", "RequestTimeout",
        "RequestTimeoutException", "InternalError",
    ]
}
