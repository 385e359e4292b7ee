public enum DJCollectPlaceholder {}
