import DJSettings

let azure = "storages.backends.azure_storage.AzureStorage"
