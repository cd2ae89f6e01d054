using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Freshet.Streaming.Application.Instance;

/// <summary>
/// The topics an application creates for itself through the cluster's admin API: repartition topics (created before
/// any task starts, <c>cleanup.policy=delete</c>) and operator changelog topics (created when an operator first has
/// something to log, <c>cleanup.policy=compact</c>). Every instance may try to create a topic; the first wins and the
/// others find it. A topic that exists with another partition count than the application needs — created by hand,
/// or by an older version of the job — is refused with an error naming both counts, and nothing is written to it.
/// Thread-safe; the cache of topics known to be right is shared by the instance's tasks.
/// </summary>
internal sealed class InternalTopics : IDisposable
{
    private readonly IAdminClient _admin;
    private readonly short _replicationFactor;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<string, int> _known = new(StringComparer.Ordinal);

    public InternalTopics(IAdminClient admin, short replicationFactor, TimeSpan timeout)
    {
        _admin = admin;
        _replicationFactor = replicationFactor;
        _timeout = timeout;
    }

    /// <summary>The application's admin client (owned here: disposed with this).</summary>
    public IAdminClient Admin => _admin;

    /// <summary>The partition count of every topic in <paramref name="topics"/> that exists (missing ones are absent).</summary>
    public IReadOnlyDictionary<string, int> PartitionCounts(IEnumerable<string> topics)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            var metadata = _admin.GetMetadata(topic, _timeout).Topics.FirstOrDefault(t => t.Topic == topic);
            if (metadata is not null && metadata.Error.Code == ErrorCode.NoError && metadata.Partitions.Count > 0)
            {
                counts[topic] = metadata.Partitions.Count;
            }
        }

        return counts;
    }

    /// <summary>Whether <paramref name="topic"/> exists (asks the cluster unless this instance created or checked it).</summary>
    public bool Exists(string topic) => _known.ContainsKey(topic) || PartitionCounts([topic]).ContainsKey(topic);

    /// <summary>Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions unless it exists; refuses one with another count.</summary>
    /// <exception cref="InvalidOperationException">The topic exists with another partition count, or cannot be created.</exception>
    public void Ensure(string topic, int partitions, bool compacted)
    {
        if (_known.TryGetValue(topic, out var known) && known == partitions)
        {
            return;
        }

        try
        {
            var specification = new TopicSpecification
            {
                Name = topic,
                NumPartitions = partitions,
                ReplicationFactor = _replicationFactor,
                Configs = new Dictionary<string, string> { ["cleanup.policy"] = compacted ? "compact" : "delete" },
            };
            _admin.CreateTopicsAsync([specification], new CreateTopicsOptions { RequestTimeout = _timeout, OperationTimeout = _timeout }).GetAwaiter().GetResult();
        }
        catch (CreateTopicsException e) when (e.Results.All(static r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
        }
        catch (CreateTopicsException e)
        {
            throw new InvalidOperationException($"The application could not create its topic '{topic}': {e.Results[0].Error.Reason}. It needs the CreateTopics permission on the cluster (docs/application-mode.md).", e);
        }

        var actual = PartitionCounts([topic]).GetValueOrDefault(topic);
        if (actual != partitions)
        {
            throw new InvalidOperationException(actual == 0
                ? $"The application's topic '{topic}' was created but the cluster does not show it."
                : $"The topic '{topic}' has {actual} partitions; the application needs {partitions}. It was created by hand or by another version of the job: delete it (its data is the application's own) or give the application the partition count it was created with.");
        }

        _known[topic] = partitions;
    }

    public void Dispose() => _admin.Dispose();
}
