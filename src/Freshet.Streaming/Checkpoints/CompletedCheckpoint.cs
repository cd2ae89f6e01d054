using Freshet.Log.Records;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// A checkpoint whose manifest and every state file were verified (present, of the recorded length, matching
/// CRC-32C) when it was loaded. Immutable; <see cref="TryReadState"/> may be called from any thread.
/// </summary>
internal sealed class CompletedCheckpoint
{
    private readonly Dictionary<(string Uid, int Subtask), CheckpointStateFile> _files = new();

    public CompletedCheckpoint(string directory, CheckpointManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
        foreach (var file in manifest.Files)
        {
            _files[(file.OperatorUid, file.Subtask)] = file;
        }
    }

    /// <summary>The checkpoint's directory (chk-&lt;id&gt; or a savepoint's directory).</summary>
    public string Directory { get; }

    public CheckpointManifest Manifest { get; }

    public long CheckpointId => Manifest.CheckpointId;

    /// <summary>The distinct operator uids with state in this checkpoint.</summary>
    public IReadOnlySet<string> OperatorUids => _files.Keys.Select(k => k.Uid).ToHashSet(StringComparer.Ordinal);

    /// <summary>The subtasks of <paramref name="operatorUid"/> that wrote state, ascending.</summary>
    public IReadOnlyList<int> SubtasksOf(string operatorUid) =>
        _files.Keys.Where(k => k.Uid == operatorUid).Select(k => k.Subtask).Order().ToArray();

    /// <summary>
    /// The bytes subtask <paramref name="subtask"/> of <paramref name="operatorUid"/> wrote, or false when it wrote
    /// none. Throws <see cref="InvalidDataException"/> if the file changed since the checkpoint was verified.
    /// </summary>
    public bool TryReadState(string operatorUid, int subtask, out byte[] state)
    {
        if (!_files.TryGetValue((operatorUid, subtask), out var file))
        {
            state = [];
            return false;
        }

        state = File.ReadAllBytes(Path.Combine(Directory, file.FileName));
        if (state.LongLength != file.Length || Crc32C.Compute(state) != file.Crc)
        {
            throw new InvalidDataException($"State file {file.FileName} of checkpoint {CheckpointId} in {Directory} is corrupt (length or CRC-32C mismatch).");
        }

        return true;
    }
}
