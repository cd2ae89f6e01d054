using Freshet.Streaming.State;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>State descriptors with a time-to-live, for the state tests of both backends.</summary>
public static class TtlDescriptors
{
    /// <summary>Enables a TTL of <paramref name="ttlMs"/> on <paramref name="descriptor"/> and returns it.</summary>
    public static TDescriptor Ttl<TDescriptor>(TDescriptor descriptor, long ttlMs, StateTtlUpdateType updateType, int cleanupPerAccess = 5)
        where TDescriptor : StateDescriptor
    {
        descriptor.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromMilliseconds(ttlMs)) { UpdateType = updateType, CleanupEntriesPerAccess = cleanupPerAccess });
        return descriptor;
    }
}
