import DJSettings

public struct S3URLProtocolRule: Rule {
    public static let description = RuleDescription(
        code: "S3007", name: "s3-url-protocol-invalid", severity: .error,
        summary: "url_protocol (AWS_S3_URL_PROTOCOL) is set to something other than 'https:' or 'http:'.",
        rationale: """
            The protocol is pasted in front of '//' + custom_domain as is: 'https' (no colon) gives \
            'https//cdn.example.com/...', which browsers resolve as a path relative to the page, and \
            'https://' gives 'https:////cdn...'.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com", ↓"url_protocol": "https""#,
                                 staticURL: "https://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com", "url_protocol": "https:""#,
                                  staticURL: "https://cdn.example.com/static/")])

    public init() {}

    static func isValid(_ configuration: BackendConfiguration) -> Bool {
        guard configuration.options["url_protocol"]?.isConfigured ?? false else { return true }
        guard let value = configuration["url_protocol"], !value.dependsOnUnsetEnvironment else { return true }
        return value == .string("https:") || value == .string("http:")
    }

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard !Self.isValid(configuration), let value = configuration["url_protocol"] else { return [] }
            return [BackendIssue(message: "url_protocol must be \"https:\" or \"http:\" (with the colon).",
                                 option: "url_protocol",
                                 hints: ["it is \(value.pythonRepr): URLs would start with \(value.string ?? value.pythonRepr)//"])]
        }
    }
}
