namespace Freshet.Log.Topics;

/// <summary>What happens to old data in a topic (Kafka's <c>cleanup.policy</c>). Both may be combined.</summary>
[Flags]
public enum CleanupPolicy
{
    /// <summary>Whole old segments are deleted by time and size retention.</summary>
    Delete = 1,

    /// <summary>Sealed segments are compacted: only the latest record per key is kept.</summary>
    Compact = 2,
}
