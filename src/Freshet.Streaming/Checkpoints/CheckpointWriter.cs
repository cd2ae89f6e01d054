using System.Globalization;
using Freshet.Log.Records;
using Freshet.Log.Segments;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// Writes one checkpoint into its directory: state files first (each fsynced), then the manifest as the commit
/// point (<see cref="Commit"/>). Until the manifest exists the directory is an incomplete checkpoint that no restore
/// uses. Thread-safe: subtasks write their state files concurrently from the thread pool.
/// </summary>
internal sealed class CheckpointWriter : ICheckpointWriter
{
    private const string ManifestTempName = "_manifest.tmp";

    private readonly object _lock = new();
    private readonly List<CheckpointStateFile> _files = new();
    private readonly HashSet<(string Uid, int Subtask)> _written = new();
    private bool _closed;

    public CheckpointWriter(long checkpointId, string directory)
    {
        CheckpointId = checkpointId;
        Directory = directory;
    }

    public long CheckpointId { get; }

    public string Directory { get; }

    /// <summary>Writes and fsyncs the state of one operator subtask; each (uid, subtask) at most once.</summary>
    public CheckpointStateFile WriteState(string operatorUid, int subtask, ReadOnlySpan<byte> state)
    {
        ArgumentException.ThrowIfNullOrEmpty(operatorUid);
        ArgumentOutOfRangeException.ThrowIfNegative(subtask);
        int sequence;
        lock (_lock)
        {
            ThrowIfClosed();
            if (!_written.Add((operatorUid, subtask)))
            {
                throw new InvalidOperationException($"Checkpoint {CheckpointId} already has state of '{operatorUid}' subtask {subtask}.");
            }

            sequence = _written.Count;
        }

        // The file name is a sequence number: operator uids are user text and need not be valid file names.
        var fileName = string.Create(CultureInfo.InvariantCulture, $"state-{sequence:D6}-{subtask}.bin");
        using (var stream = new FileStream(Path.Combine(Directory, fileName), FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(state);
            stream.Flush(flushToDisk: true);
        }

        var file = new CheckpointStateFile(operatorUid, subtask, fileName, state.Length, Crc32C.Compute(state));
        lock (_lock)
        {
            ThrowIfClosed();
            _files.Add(file);
        }

        return file;
    }

    /// <summary>
    /// Completes the checkpoint: writes the manifest to a temp file, fsyncs it, renames it to
    /// <see cref="CheckpointStorage.ManifestName"/> and fsyncs the directory so the rename is durable.
    /// </summary>
    public CompletedCheckpoint Commit()
    {
        CheckpointManifest manifest;
        lock (_lock)
        {
            ThrowIfClosed();
            _closed = true;
            manifest = new CheckpointManifest(CheckpointId, _files.OrderBy(f => f.OperatorUid, StringComparer.Ordinal).ThenBy(f => f.Subtask).ToArray());
        }

        var bytes = manifest.Encode();
        var temp = Path.Combine(Directory, ManifestTempName);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, Path.Combine(Directory, CheckpointStorage.ManifestName), overwrite: true);
        SegmentFiles.FsyncDirectory(Directory);
        return new CompletedCheckpoint(Directory, manifest);
    }

    void ICheckpointWriter.WriteState(string operatorUid, int subtask, ReadOnlySpan<byte> state) => WriteState(operatorUid, subtask, state);

    string ICheckpointWriter.Commit() => Commit().Directory;

    /// <summary>Gives the checkpoint up and deletes its directory (best effort).</summary>
    public void Abort()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // An undeletable partial directory is harmless: without a manifest no restore uses it, and retention
            // removes it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new InvalidOperationException($"Checkpoint {CheckpointId} is already committed or aborted.");
        }
    }
}
