using Confluent.Kafka;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// Who owns each partition across the members of a group, fed by their assign, revoke and lost
/// callbacks; records every time a member is given a partition another member still owns.
/// Thread-safe (the callbacks run on each member's polling thread).
/// </summary>
internal sealed class PartitionOwnershipLedger
{
    private readonly object _lock = new();
    private readonly Dictionary<TopicPartition, string> _owners = [];
    private readonly List<string> _violations = [];

    /// <summary>Each time a partition was assigned while another member owned it, described.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return _violations.ToArray();
            }
        }
    }

    public void Acquire(string member, TopicPartition partition)
    {
        lock (_lock)
        {
            if (_owners.TryGetValue(partition, out var owner) && owner != member)
            {
                _violations.Add($"{partition} assigned to {member} while {owner} owned it");
            }

            _owners[partition] = member;
        }
    }

    public void Release(string member, TopicPartition partition)
    {
        lock (_lock)
        {
            if (_owners.TryGetValue(partition, out var owner) && owner == member)
            {
                _owners.Remove(partition);
            }
        }
    }
}
