namespace Freshet.Streaming.Application.Assignment;

/// <summary>
/// What the group leader gives one member (the SyncGroup assignment bytes): the tasks it runs, the tasks it keeps
/// standby copies of, and the group's job graph fingerprint, or an <see cref="AssignmentError"/> and no tasks.
/// Equality compares contents (lists in order).
/// <para>Encoded form, version 1, big-endian: version byte 1; error (int16); group fingerprint (int16 UTF-8 length,
/// bytes); active tasks and standby tasks (each an int32 count, then per task int32 sub-topology, int32 partition).
/// Nothing follows.</para>
/// </summary>
/// <param name="Error">None, or why the member gets no tasks.</param>
/// <param name="GroupFingerprint">The leader's job graph fingerprint; with <see cref="AssignmentError.TopologyMismatch"/>
/// the member names it beside its own when it refuses to start.</param>
/// <param name="ActiveTasks">The tasks the member runs, distinct, in task order.</param>
/// <param name="StandbyTasks">The tasks the member keeps warm copies of, distinct, in task order.</param>
internal sealed record TaskAssignment(
    AssignmentError Error,
    string GroupFingerprint,
    IReadOnlyList<TaskId> ActiveTasks,
    IReadOnlyList<TaskId> StandbyTasks)
{
    /// <summary>The encoding <see cref="Encode"/> writes and the newest <see cref="Decode"/> reads.</summary>
    public const byte CurrentVersion = 1;

    private const string What = "task assignment";

    /// <summary>An assignment of no tasks for the reason <paramref name="error"/>.</summary>
    public static TaskAssignment Refused(AssignmentError error, string groupFingerprint) => new(error, groupFingerprint, [], []);

    /// <summary>The encoded form (see the type's summary); throws <see cref="ArgumentException"/> for values it cannot carry.</summary>
    public byte[] Encode()
    {
        ArgumentNullException.ThrowIfNull(GroupFingerprint);
        MemberSubscription.RequireDistinct(ActiveTasks, nameof(ActiveTasks));
        MemberSubscription.RequireDistinct(StandbyTasks, nameof(StandbyTasks));
        var writer = new AssignmentWireWriter();
        writer.WriteByte(CurrentVersion);
        writer.WriteInt16((short)Error);
        writer.WriteString(GroupFingerprint, "group fingerprint");
        writer.WriteTasks(ActiveTasks);
        writer.WriteTasks(StandbyTasks);
        return writer.ToArray();
    }

    /// <summary>
    /// Decodes <see cref="Encode"/>'s output. Throws <see cref="InvalidDataException"/> for anything else, including a
    /// version newer than <see cref="CurrentVersion"/> or an error code this Freshet does not know.
    /// </summary>
    public static TaskAssignment Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new AssignmentWireReader(bytes, What);
        var version = reader.ReadByte("version");
        if (version != CurrentVersion)
        {
            throw new InvalidDataException(
                $"The {What} has version {version}; this Freshet reads version {CurrentVersion} only. The group leader runs a newer Freshet: run one Freshet version per application, or upgrade this process.");
        }

        var error = (AssignmentError)reader.ReadInt16("error");
        if (!Enum.IsDefined(error))
        {
            throw reader.Malformed($"its error code {(short)error} is not one this Freshet knows");
        }

        var fingerprint = reader.ReadString("group fingerprint");
        var active = reader.ReadTasks("active tasks");
        var standby = reader.ReadTasks("standby tasks");
        reader.ExpectEnd();
        return new TaskAssignment(error, fingerprint, active, standby);
    }

    /// <inheritdoc />
    public bool Equals(TaskAssignment? other) =>
        other is not null
        && Error == other.Error
        && string.Equals(GroupFingerprint, other.GroupFingerprint, StringComparison.Ordinal)
        && ActiveTasks.SequenceEqual(other.ActiveTasks)
        && StandbyTasks.SequenceEqual(other.StandbyTasks);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Error, GroupFingerprint, ActiveTasks.Count, StandbyTasks.Count);
}
