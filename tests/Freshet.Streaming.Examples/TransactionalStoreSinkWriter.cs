using System.Globalization;
using System.Text;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Examples;

/// <summary>
/// One subtask of <see cref="TransactionalStoreSink{T}"/>. The current transaction is opened by the first record after
/// a barrier; <see cref="PreCommit"/> hands its id to the checkpoint (the committable: version byte 1 and the UTF-8 id);
/// <see cref="Commit"/> and <see cref="Recover"/> commit ids, which the store makes idempotent; <see cref="Recover"/>
/// then aborts every other open transaction of this subtask — and of the old subtasks it takes over after a
/// scale-down — because those belong to checkpoints that never completed. Task thread only.
/// </summary>
internal sealed class TransactionalStoreSinkWriter<T> : TwoPhaseCommitSinkWriter<T>
{
    private const byte Version = 1;
    private readonly TransactionalStore _store;
    private readonly Func<T, string> _format;
    private readonly string _prefix;
    private readonly int _subtask;
    private readonly int _parallelism;
    private readonly List<string> _batch = [];
    private string? _transaction;

    public TransactionalStoreSinkWriter(TransactionalStore store, Func<T, string> format, SinkContext context)
    {
        _store = store;
        _format = format;
        _prefix = $"{context.JobName}/{context.OperatorUid}/";
        _subtask = context.SubtaskIndex;
        _parallelism = context.Parallelism;
    }

    public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps)
    {
        _transaction ??= TransactionPrefix(_subtask) + Guid.NewGuid().ToString("N");
        _batch.Clear();
        foreach (var value in values)
        {
            _batch.Add(_format(value));
        }

        _store.Append(_transaction, _batch);
    }

    public override byte[]? PreCommit(long checkpointId)
    {
        if (_transaction is null)
        {
            return null;
        }

        var id = Encoding.UTF8.GetBytes(_transaction);
        _transaction = null;
        return [Version, .. id];
    }

    public override void Commit(IReadOnlyList<byte[]> committables)
    {
        foreach (var committable in committables)
        {
            _store.Commit(Decode(committable));
        }
    }

    public override void Recover(IReadOnlyList<RestoredCommittable> committables)
    {
        foreach (var restored in committables)
        {
            _store.Commit(Decode(restored.Committable));
        }

        foreach (var open in _store.OpenTransactions(_prefix))
        {
            var owner = OwnerOf(open);
            if (owner == _subtask || (owner >= _parallelism && owner % _parallelism == _subtask))
            {
                _store.Abort(open);
            }
        }
    }

    private string TransactionPrefix(int subtask) => _prefix + subtask.ToString(CultureInfo.InvariantCulture) + "/";

    /// <summary>The subtask in <c>{prefix}{subtask}/{unique}</c>, or -1.</summary>
    private int OwnerOf(string transactionId)
    {
        var rest = transactionId.AsSpan(_prefix.Length);
        var slash = rest.IndexOf('/');
        return slash > 0 && int.TryParse(rest[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var owner) ? owner : -1;
    }

    private static string Decode(byte[] committable) =>
        committable.Length > 1 && committable[0] == Version
            ? Encoding.UTF8.GetString(committable, 1, committable.Length - 1)
            : throw new InvalidDataException("Not a transactional store committable (version 1 expected).");
}
