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
        WhiteNoiseMiddlewareOrderRule(), WhiteNoiseStorageWithoutMiddlewareRule(), WhiteNoiseNothingToServeRule(),
        WhiteNoiseWithRemoteStorageRule(), WhiteNoiseObjectStorageURLRule(), WhiteNoiseRootPrefixRule(),
        WhiteNoiseRemovedPathRule(), WhiteNoiseGzipExcludeRule(), WhiteNoiseDottedExtensionRule(),
        WhiteNoiseAutorefreshRule(), WhiteNoiseUseFindersRule(), WhiteNoiseManifestNotStrictRule(),
        WhiteNoiseManifestSettingIneffectiveRule(), RunserverNostaticOrderRule(), WhiteNoiseCORSRule(),
        WhiteNoiseLongMaxAgeRule(),
        CollectfastStrategyMissingRule(), CollectfastAppOrderRule(), CollectfastStrategyMismatchRule(),
        CollectfastSettingTypeRule(), CollectfastCacheNotPersistentRule(), CollectfastCacheMaxEntriesRule(),
        CollectfastThreadsWithLocMemRule(), CollectfastGzipRule(), CollectfastManifestRule(), CollectfastArchivedRule(),
        CollectfastBothInstalledRule(), CollectfastaSettingsRule(),
    ]
}
