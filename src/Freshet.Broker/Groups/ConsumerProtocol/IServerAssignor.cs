namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>
/// A server-side assignor of the consumer group protocol (KIP-848): computes a group's target
/// assignment from its members' subscriptions and the subscribed topics' partition counts. Pure: no
/// I/O and no state of its own, so one instance serves every group from any thread.
/// </summary>
internal interface IServerAssignor
{
    /// <summary>The name members choose it by (<c>group.remote.assignor</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Assigns every partition of every subscribed topic to exactly one member subscribed to its topic.
    /// </summary>
    /// <param name="subscriptions">Each member's subscribed topic ids (topics that exist only).</param>
    /// <param name="partitionCounts">The partition count of every topic some member subscribes to.</param>
    /// <param name="previous">The previous target assignment, which an assignor may keep partitions in to move fewer of them.</param>
    /// <returns>The target assignment of every member in <paramref name="subscriptions"/>.</returns>
    Dictionary<string, PartitionAssignment> Assign(
        IReadOnlyDictionary<string, IReadOnlySet<Guid>> subscriptions,
        IReadOnlyDictionary<Guid, int> partitionCounts,
        IReadOnlyDictionary<string, PartitionAssignment> previous);
}
