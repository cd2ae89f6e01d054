using System.Diagnostics;
using System.Text;
using Freshet.Streaming.Application.Membership;

namespace Freshet.Streaming.Tests.Application.Membership;

/// <summary>
/// A trivial group member listener: its metadata is its name; as leader it deals <see cref="TaskCount"/> numbered
/// tasks round-robin over the members sorted by name, and encodes each share as "0,3,6". Records every callback
/// with a timestamp. Thread-safe (the member calls it from its loop, the test reads from another thread).
/// </summary>
internal sealed class RecordingGroupListener : IGroupMemberListener
{
    private readonly Lock _lock = new();
    private readonly List<string> _events = [];
    private readonly List<int> _ledGenerations = [];
    private GroupGeneration? _generation;
    private int[]? _tasks;
    private long _revokedAt;
    private long _assignedAt;
    private int _revocations;
    private bool _assignedSinceLastSync;
    private string? _lastRevokeReason;

    public RecordingGroupListener(string name, int taskCount = 6)
    {
        Name = name;
        TaskCount = taskCount;
    }

    public string Name { get; }

    public int TaskCount { get; }

    /// <summary>The tasks assigned now, or null while revoked.</summary>
    public int[]? Tasks
    {
        get
        {
            lock (_lock)
            {
                return _tasks;
            }
        }
    }

    /// <summary>The generation of the current assignment, or null while revoked.</summary>
    public GroupGeneration? Generation
    {
        get
        {
            lock (_lock)
            {
                return _generation;
            }
        }
    }

    public int Revocations
    {
        get
        {
            lock (_lock)
            {
                return _revocations;
            }
        }
    }

    public string? LastRevokeReason
    {
        get
        {
            lock (_lock)
            {
                return _lastRevokeReason;
            }
        }
    }

    /// <summary>Stopwatch timestamp of the last revocation (0 if none).</summary>
    public long RevokedAt
    {
        get
        {
            lock (_lock)
            {
                return _revokedAt;
            }
        }
    }

    /// <summary>Stopwatch timestamp of the last assignment (0 if none).</summary>
    public long AssignedAt
    {
        get
        {
            lock (_lock)
            {
                return _assignedAt;
            }
        }
    }

    /// <summary>The generations in which this member computed the assignment (it led).</summary>
    public IReadOnlyList<int> LedGenerations
    {
        get
        {
            lock (_lock)
            {
                return _ledGenerations.ToArray();
            }
        }
    }

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToArray();
            }
        }
    }

    public byte[] SubscriptionMetadata() => Encoding.UTF8.GetBytes(Name);

    public IReadOnlyDictionary<string, byte[]> Assign(IReadOnlyList<GroupMemberMetadata> members)
    {
        var sorted = members.OrderBy(m => Encoding.UTF8.GetString(m.Metadata), StringComparer.Ordinal).ToList();
        var shares = sorted.ToDictionary(m => m.MemberId, _ => new List<int>());
        for (var task = 0; task < TaskCount; task++)
        {
            shares[sorted[task % sorted.Count].MemberId].Add(task);
        }

        lock (_lock)
        {
            _events.Add($"assign {members.Count} members");
            _assignedSinceLastSync = true;
        }

        return shares.ToDictionary(s => s.Key, s => Encoding.UTF8.GetBytes(string.Join(',', s.Value)));
    }

    public void OnAssigned(GroupGeneration generation, byte[] assignment)
    {
        var text = Encoding.UTF8.GetString(assignment);
        var tasks = text.Length == 0 ? [] : text.Split(',').Select(int.Parse).ToArray();
        lock (_lock)
        {
            if (_generation is not null)
            {
                throw new InvalidOperationException("OnAssigned twice without OnRevoked between.");
            }

            _generation = generation;
            _tasks = tasks;
            _assignedAt = Stopwatch.GetTimestamp();
            if (_assignedSinceLastSync)
            {
                _ledGenerations.Add(generation.GenerationId);
                _assignedSinceLastSync = false;
            }

            _events.Add($"assigned g{generation.GenerationId} [{text}]");
        }
    }

    public void OnRevoked(string reason)
    {
        lock (_lock)
        {
            if (_generation is null)
            {
                throw new InvalidOperationException("OnRevoked without an assignment.");
            }

            _generation = null;
            _tasks = null;
            _revocations++;
            _revokedAt = Stopwatch.GetTimestamp();
            _lastRevokeReason = reason;
            _events.Add($"revoked: {reason}");
        }
    }
}
