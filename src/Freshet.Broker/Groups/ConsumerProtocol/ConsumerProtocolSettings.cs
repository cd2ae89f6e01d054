namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>
/// The consumer group protocol's broker settings and its server assignors. Immutable; thread-safe.
/// </summary>
/// <param name="HeartbeatIntervalMs">The interval members are told to heartbeat at (Kafka's <c>group.consumer.heartbeat.interval.ms</c>).</param>
/// <param name="SessionTimeoutMs">How long a member may go without heartbeating before it is removed (Kafka's <c>group.consumer.session.timeout.ms</c>).</param>
internal sealed record ConsumerProtocolSettings(int HeartbeatIntervalMs, int SessionTimeoutMs)
{
    private readonly IServerAssignor[] _assignors = [new UniformAssignor(), new RangeAssignor()];

    /// <summary>The assignor of groups whose members name none (Kafka's first <c>group.consumer.assignors</c> entry).</summary>
    public string DefaultAssignor => _assignors[0].Name;

    /// <summary>Finds a server assignor by name; null when there is none of that name.</summary>
    public IServerAssignor? FindAssignor(string name)
    {
        foreach (var assignor in _assignors)
        {
            if (string.Equals(assignor.Name, name, StringComparison.Ordinal))
            {
                return assignor;
            }
        }

        return null;
    }
}
