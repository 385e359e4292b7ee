import DJSettings

public struct AzureContainerMissingRule: Rule {
    public static let description = RuleDescription(
        code: "AZ001", name: "azure-container-missing", severity: .error,
        summary: "AzureStorage has no container (azure_container / AZURE_CONTAINER).",
        rationale: "Every blob operation and URL needs the container: uploads and {% static %} fail without it.",
        bad: [BackendExamples.example(#""account_name": "assets""#, backend: azure,
                                      staticURL: "https://assets.blob.core.windows.net/static/", marking: .backend)],
        good: [BackendExamples.example(#""account_name": "assets", "azure_container": "static""#, backend: azure,
                                       staticURL: "https://assets.blob.core.windows.net/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.azure], option: "azure_container", "AZURE_CONTAINER is required.") {
            $0.truthy("azure_container") == false
        }
    }
}
