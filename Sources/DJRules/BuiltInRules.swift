/// Every rule djstatic ships, in catalogue order.
public enum BuiltInRules {
    public static let all: [any Rule] = [
        SettingsImportFailedRule(), SettingsSyntaxErrorRule(), UnsetEnvironmentRule(), EvaluationTimeoutRule(),
        LegacyStaticfilesStorageRule(), LegacyDefaultFileStorageRule(), StoragesMutuallyExclusiveRule(),
        StoragesWithoutStaticfilesRule(), StoragesWithoutDefaultRule(), StaticURLTrailingSlashRule(),
        MediaURLTrailingSlashRule(), StaticRootMissingRule(), StaticURLNoneRule(), MediaURLEqualsStaticURLRule(),
        MediaRootEqualsStaticRootRule(), MediaURLInsideStaticURLRule(), StaticfilesDirsNotListRule(),
        StaticfilesDirsContainsStaticRootRule(), StaticRootNestedInDirsRule(), PrefixTrailingSlashRule(),
        StaticfilesDirMissingRule(), StaticfilesDirsEntryShapeRule(), RelativeRootRule(),
        FileSystemFinderMissingRule(), FinderImportRule(), StorageBackendImportRule(), StaticURLMalformedRule(),
        InstalledAppImportRule(), DuplicateStaticPathRule(),
        ReleaseStrategyBrokenRule(), ReleaseIdFallbackRule(), ReleaseIdUnsafeRule(),
        LiteralCredentialRule(),
        S3InvalidOptionRule(), S3BucketMissingRule(), S3BucketNameMalformedRule(), S3LocationLeadingSlashRule(),
        S3CustomDomainSchemeRule(), S3CustomDomainTrailingSlashRule(), S3URLProtocolRule(), S3PlainHTTPRule(),
        S3EndpointSchemeRule(), S3EndpointContainsBucketRule(), S3EndpointRegionRule(), S3SignedURLRegionRule(),
        S3StaticSignedURLsRule(), S3ManifestSignedURLsRule(), S3ACLRule(), S3ObjectParameterKeyRule(),
        S3ContentTypeParameterRule(), S3ContentEncodingParameterRule(), S3StaticCacheControlRule(), S3SharedPrefixRule(),
        S3StaticEmptyLocationRule(), S3ClientConfigOverridesRule(), S3RemovedSettingRule(), S3BotoBackendRule(),
        S3LegacyPathRule(), S3CloudFrontKeyPairRule(), S3SessionProfileWithKeysRule(), S3StaticGzipRule(),
        S3UseThreadsRule(), S3StaticNoOverwriteRule(), S3ManifestRoundTripsRule(), S3ChecksumHeadersRule(),
        S3StaticURLMismatchRule(),
        GCSStaticSignedURLsRule(), GCSDefaultACLRule(), GCSLocationLeadingSlashRule(), GCSRemovedSettingRule(),
        AzureContainerMissingRule(), AzureStaticExpiringURLsRule(),
        RemoteStaticBaseURLRule(), RemoteStaticNetworkURLRule(), LibCloudOptionsRule(),
    ]
}
