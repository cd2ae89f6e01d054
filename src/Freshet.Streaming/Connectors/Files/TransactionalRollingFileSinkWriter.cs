using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.Files;

/// <summary>
/// One subtask of <see cref="RollingFileSink{T}"/> in a job with checkpoints (Flink's <c>FileSink</c>): parts roll as
/// without checkpoints and also at every checkpoint barrier, but a closed part keeps its hidden in-progress name until
/// the checkpoint that covers it completes; only then is it renamed to its final name. A part file is therefore
/// visible exactly when the checkpoint holding its records' sources positions is complete: after a restore the
/// records of unfinished checkpoints are written again, into new parts, and their old hidden parts are deleted.
/// <para>
/// Committable (big-endian): version byte 1, int64 checkpoint id, int32 count, then per part int32 UTF-8 length and
/// the hidden file name (relative to the sink's directory). Renaming is idempotent: a part already under its final
/// name counts as committed. <see cref="Recover"/> publishes the restored parts, then deletes every other hidden part
/// of this subtask — and after a scale-down of the removed subtasks it takes over — left by an earlier attempt.
/// </para>
/// Task thread only.
/// </summary>
internal sealed class TransactionalRollingFileSinkWriter<T> : TwoPhaseCommitSinkWriter<T>
{
    private const byte Version = 1;
    private const string InProgressSuffix = PartFileRoller<T>.InProgressSuffix;
    private readonly PartFileRoller<T> _parts;
    private readonly List<string> _closed = [];
    private readonly int _subtask;
    private readonly int _parallelism;

    public TransactionalRollingFileSinkWriter(string directory, Func<T, string> format, RollingFileSinkOptions options, SinkContext context)
    {
        _parts = new PartFileRoller<T>(directory, format, options, context, _closed.Add);
        _subtask = context.SubtaskIndex;
        _parallelism = context.Parallelism;
    }

    private string PartDirectory => _parts.PartDirectory;

    private RollingFileSinkOptions Options => _parts.Options;

    public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps) => _parts.Write(values);

    /// <summary>Closes the open part at end of input; it stays hidden until the job's final checkpoint commits it.</summary>
    public override void Flush(bool endOfInput)
    {
        if (endOfInput)
        {
            _parts.ClosePart();
        }
    }

    /// <summary>Closes the open part; the parts closed since the last barrier become checkpoint <paramref name="checkpointId"/>'s committable.</summary>
    public override byte[]? PreCommit(long checkpointId)
    {
        _parts.ClosePart();
        if (_closed.Count == 0)
        {
            return null;
        }

        var committable = Encode(checkpointId, _closed);
        _closed.Clear();
        return committable;
    }

    public override void Commit(IReadOnlyList<byte[]> committables)
    {
        foreach (var committable in committables)
        {
            PublishAll(committable);
        }
    }

    public override void Recover(IReadOnlyList<RestoredCommittable> committables)
    {
        foreach (var committable in committables)
        {
            PublishAll(committable.Committable);
        }

        // What is still hidden belongs to checkpoints that never completed: its records come again from the sources.
        foreach (var path in Directory.EnumerateFiles(PartDirectory, "." + Options.PartPrefix + "-*" + InProgressSuffix))
        {
            if (OwnerOf(Path.GetFileName(path)) is { } owner && (owner == _subtask || (owner >= _parallelism && owner % _parallelism == _subtask)))
            {
                File.Delete(path);
            }
        }
    }

    private void PublishAll(byte[] committable)
    {
        var (checkpointId, names) = Decode(committable);
        foreach (var name in names)
        {
            if (!File.Exists(Path.Combine(PartDirectory, name)) && !File.Exists(Path.Combine(PartDirectory, PartFileRoller<T>.FinalName(name))))
            {
                throw new InvalidOperationException($"Part file '{name}' of checkpoint {checkpointId} is missing from '{PartDirectory}' (neither hidden nor published): its records are lost.");
            }

            _parts.Publish(name);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _parts.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The subtask index in a hidden part name <c>.PREFIX-SUBTASK-COUNTER SUFFIX.inprogress</c>, or null when the name is not one.</summary>
    private int? OwnerOf(string hiddenName)
    {
        var head = "." + Options.PartPrefix + "-";
        if (!hiddenName.StartsWith(head, StringComparison.Ordinal) || !hiddenName.EndsWith(Options.PartSuffix + InProgressSuffix, StringComparison.Ordinal))
        {
            return null;
        }

        var middle = hiddenName.AsSpan(head.Length, hiddenName.Length - head.Length - Options.PartSuffix.Length - InProgressSuffix.Length);
        var dash = middle.IndexOf('-');
        return dash > 0 &&
            int.TryParse(middle[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var owner) &&
            long.TryParse(middle[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? owner
            : null;
    }

    private static byte[] Encode(long checkpointId, List<string> names)
    {
        var encoded = names.Select(Encoding.UTF8.GetBytes).ToArray();
        var bytes = new byte[13 + encoded.Sum(n => 4 + n.Length)];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), checkpointId);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(9), encoded.Length);
        var at = 13;
        foreach (var name in encoded)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), name.Length);
            name.CopyTo(bytes, at + 4);
            at += 4 + name.Length;
        }

        return bytes;
    }

    private static (long CheckpointId, List<string> Names) Decode(byte[] committable)
    {
        if (committable.Length < 13 || committable[0] != Version)
        {
            throw new InvalidDataException("Not a rolling file sink committable (version 1 expected).");
        }

        var checkpointId = BinaryPrimitives.ReadInt64BigEndian(committable.AsSpan(1));
        var count = BinaryPrimitives.ReadInt32BigEndian(committable.AsSpan(9));
        var names = new List<string>();
        var at = 13;
        for (var i = 0; i < count; i++)
        {
            var length = committable.Length - at >= 4 ? BinaryPrimitives.ReadInt32BigEndian(committable.AsSpan(at)) : -1;
            if (length < 0 || length > committable.Length - at - 4)
            {
                throw new InvalidDataException($"A rolling file sink committable is truncated at part {i} of {count}.");
            }

            var name = Encoding.UTF8.GetString(committable, at + 4, length);
            if (name.Contains('/') || name.Contains('\\') || !name.StartsWith('.'))
            {
                throw new InvalidDataException($"A rolling file sink committable names '{name}', which is not a hidden part file name.");
            }

            names.Add(name);
            at += 4 + length;
        }

        return (checkpointId, names);
    }
}
