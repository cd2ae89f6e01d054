namespace Freshet.Streaming.Application.Assignment;

/// <summary>
/// What one group member tells the leader when it joins (the JoinGroup protocol metadata of protocol
/// <c>freshet-tasks</c>): which process it is, which job graph it runs, which tasks it ran and holds state for, and
/// where it serves queries. The leader's <see cref="TaskAssignor"/> reads it to keep tasks where they are and where
/// their state is warm. Equality compares contents (lists in order, offset sums as a set of entries).
/// <para>Encoded form, version 1, big-endian: version byte 1; process id (16 bytes, RFC 4122 order); topology
/// fingerprint (int16 UTF-8 length, bytes); active tasks and standby tasks (each an int32 count, then per task
/// int32 sub-topology, int32 partition); task offset sums (int32 count, then per entry the task and an int64 sum,
/// written in task order); endpoint (int16 length, -1 for none, bytes). Nothing follows.</para>
/// </summary>
/// <param name="ProcessId">The process this member runs in; the threads of one process share it and its state directory.</param>
/// <param name="TopologyFingerprint">The fingerprint of the job graph the member runs.</param>
/// <param name="ActiveTasks">The tasks the member ran as active in the generation before, distinct.</param>
/// <param name="StandbyTasks">The tasks the member kept standby copies of in the generation before, distinct.</param>
/// <param name="TaskOffsetSums">Per task the member has local state for, the sum of its changelog offsets in that
/// state: the larger, the less a restore there replays (its warmth).</param>
/// <param name="Endpoint">Where the member serves interactive queries ("host:port"), or null.</param>
internal sealed record MemberSubscription(
    Guid ProcessId,
    string TopologyFingerprint,
    IReadOnlyList<TaskId> ActiveTasks,
    IReadOnlyList<TaskId> StandbyTasks,
    IReadOnlyDictionary<TaskId, long> TaskOffsetSums,
    string? Endpoint)
{
    /// <summary>The encoding <see cref="Encode"/> writes and the newest <see cref="Decode"/> reads.</summary>
    public const byte CurrentVersion = 1;

    private const string What = "member subscription";

    /// <summary>The encoded form (see the type's summary); throws <see cref="ArgumentException"/> for values it cannot carry.</summary>
    public byte[] Encode()
    {
        ArgumentNullException.ThrowIfNull(TopologyFingerprint);
        RequireDistinct(ActiveTasks, nameof(ActiveTasks));
        RequireDistinct(StandbyTasks, nameof(StandbyTasks));
        ArgumentNullException.ThrowIfNull(TaskOffsetSums);

        var writer = new AssignmentWireWriter();
        writer.WriteByte(CurrentVersion);
        writer.WriteGuid(ProcessId);
        writer.WriteString(TopologyFingerprint, "topology fingerprint");
        writer.WriteTasks(ActiveTasks);
        writer.WriteTasks(StandbyTasks);
        writer.WriteInt32(TaskOffsetSums.Count);
        foreach (var task in TaskOffsetSums.Keys.Order())
        {
            writer.WriteTask(task);
            writer.WriteInt64(TaskOffsetSums[task]);
        }

        writer.WriteString(Endpoint, "endpoint");
        return writer.ToArray();
    }

    /// <summary>
    /// Decodes <see cref="Encode"/>'s output. Throws <see cref="InvalidDataException"/> for anything else, including a
    /// version newer than <see cref="CurrentVersion"/> (a newer Freshet in the group).
    /// </summary>
    public static MemberSubscription Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new AssignmentWireReader(bytes, What);
        var version = reader.ReadByte("version");
        if (version != CurrentVersion)
        {
            throw new InvalidDataException(
                $"The {What} has version {version}; this Freshet reads version {CurrentVersion} only. Run one Freshet version per application, or upgrade this process.");
        }

        var processId = reader.ReadGuid("process id");
        var fingerprint = reader.ReadString("topology fingerprint");
        var active = reader.ReadTasks("active tasks");
        var standby = reader.ReadTasks("standby tasks");
        var count = reader.ReadCount("task offset sums", AssignmentWireReader.TaskSize + 8);
        var offsetSums = new Dictionary<TaskId, long>(count);
        for (var i = 0; i < count; i++)
        {
            var task = reader.ReadTask("task offset sums");
            if (!offsetSums.TryAdd(task, reader.ReadInt64("task offset sums")))
            {
                throw reader.Malformed($"its task offset sums list has task {task} twice");
            }
        }

        var endpoint = reader.ReadNullableString("endpoint");
        reader.ExpectEnd();
        return new MemberSubscription(processId, fingerprint, active, standby, offsetSums, endpoint);
    }

    /// <inheritdoc />
    public bool Equals(MemberSubscription? other) =>
        other is not null
        && ProcessId == other.ProcessId
        && string.Equals(TopologyFingerprint, other.TopologyFingerprint, StringComparison.Ordinal)
        && ActiveTasks.SequenceEqual(other.ActiveTasks)
        && StandbyTasks.SequenceEqual(other.StandbyTasks)
        && TaskOffsetSums.Count == other.TaskOffsetSums.Count
        && TaskOffsetSums.All(entry => other.TaskOffsetSums.TryGetValue(entry.Key, out var sum) && sum == entry.Value)
        && string.Equals(Endpoint, other.Endpoint, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(ProcessId, TopologyFingerprint, ActiveTasks.Count, StandbyTasks.Count, TaskOffsetSums.Count, Endpoint);

    internal static void RequireDistinct(IReadOnlyList<TaskId> tasks, string name)
    {
        ArgumentNullException.ThrowIfNull(tasks, name);
        var seen = new HashSet<TaskId>();
        foreach (var task in tasks)
        {
            if (!seen.Add(task))
            {
                throw new ArgumentException($"Task {task} appears twice in {name}.", name);
            }
        }
    }
}
