namespace Freshet.Streaming.State;

/// <summary>
/// What every keyed state descriptor has (Flink's <c>StateDescriptor</c>): a name, unique within its operator, that
/// identifies the state in snapshots, and an optional time-to-live. Configure a descriptor before the state is
/// first obtained; a descriptor is not thread-safe while it is being configured.
/// </summary>
public abstract class StateDescriptor
{
    private protected StateDescriptor(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The state's name, unique within its operator.</summary>
    public string Name { get; }

    /// <summary>The time-to-live of the state's entries, or null when they never expire (the default).</summary>
    public StateTtlConfig? TimeToLive { get; private set; }

    /// <summary>Makes the state's entries expire (Flink's <c>enableTimeToLive</c>); see <see cref="StateTtlConfig"/>.</summary>
    public void EnableTimeToLive(StateTtlConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        TimeToLive = config;
    }
}
