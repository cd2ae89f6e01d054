using Freshet.Log.Compaction;
using Freshet.Log.Topics;

namespace Freshet.Log.Partitions;

public sealed partial class Partition
{
    // Created on first use; guarded by _maintenanceLock (the compactor keeps what its last pass saw).
    private LogCompactor? _compactor;

    /// <summary>
    /// Runs one compaction pass if the topic's cleanup policy includes <see cref="CleanupPolicy.Compact"/>
    /// (see <see cref="LogCompactor"/>). Holds the maintenance lock, so it never overlaps retention;
    /// appends and reads go on meanwhile, blocked only while a compacted segment is swapped in.
    /// </summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.KafkaStorageError"/> when a segment cannot be read; the pass stops and changes nothing further.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires.</exception>
    internal CompactionResult Compact(CancellationToken cancellationToken = default)
    {
        if ((Config.CleanupPolicy & CleanupPolicy.Compact) == 0)
        {
            return CompactionResult.NothingToDo;
        }

        lock (_maintenanceLock)
        {
            // Dispose sets _disposed under this lock too, so the read is safe here.
            ObjectDisposedException.ThrowIf(_disposed, this);
            _compactor ??= new LogCompactor(this, _clock);
            return _compactor.Run(cancellationToken);
        }
    }
}
