import DJSettings

let gcs = "storages.backends.gcloud.GoogleCloudStorage"

let gcsURL = "https://storage.googleapis.com/assets/static/"
