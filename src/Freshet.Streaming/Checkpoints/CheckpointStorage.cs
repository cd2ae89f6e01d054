using System.Globalization;
using Freshet.Log.Records;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// The checkpoint directory of a job. On disk: one subdirectory <c>chk-&lt;id&gt;</c> per checkpoint holding one
/// state file per (operator uid, subtask) and the manifest <see cref="ManifestName"/>, written last (see
/// <see cref="CheckpointWriter"/>). A checkpoint is complete only when its manifest decodes and every file it lists
/// has the recorded length and CRC-32C; an incomplete or corrupt one is never restored — the previous complete one
/// is. The newest <see cref="RetainedCheckpoints"/> complete checkpoints are kept. A savepoint has the same format in
/// a directory of the user's choice (<see cref="TryLoad"/>). Methods may be called from any thread; one job
/// writes to a checkpoint directory at a time.
/// </summary>
internal sealed class CheckpointStorage : ICheckpointStore
{
    /// <summary>The manifest's file name inside a checkpoint directory.</summary>
    public const string ManifestName = "_manifest";

    private const string DirectoryPrefix = "chk-";

    public CheckpointStorage(string rootDirectory, int retainedCheckpoints)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(retainedCheckpoints, 1);
        RootDirectory = Path.GetFullPath(rootDirectory);
        RetainedCheckpoints = retainedCheckpoints;
        System.IO.Directory.CreateDirectory(RootDirectory);
    }

    public string RootDirectory { get; }

    public int RetainedCheckpoints { get; }

    /// <summary>Starts checkpoint <paramref name="checkpointId"/>; a leftover partial directory of that id is replaced.</summary>
    public CheckpointWriter Begin(long checkpointId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(checkpointId);
        var directory = Path.Combine(RootDirectory, DirectoryPrefix + checkpointId.ToString(CultureInfo.InvariantCulture));
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        System.IO.Directory.CreateDirectory(directory);
        return new CheckpointWriter(checkpointId, directory);
    }

    ICheckpointWriter ICheckpointStore.Begin(long checkpointId) => Begin(checkpointId);

    /// <summary>Starts a savepoint in <paramref name="directory"/>, which must not exist or be empty.</summary>
    public static CheckpointWriter BeginSavepoint(long checkpointId, string directory)
    {
        var full = Path.GetFullPath(directory);
        if (System.IO.Directory.Exists(full) && System.IO.Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new IOException($"Savepoint directory {full} is not empty.");
        }

        System.IO.Directory.CreateDirectory(full);
        return new CheckpointWriter(checkpointId, full);
    }

    /// <summary>The ids of the checkpoint directories present, complete or not, newest first.</summary>
    public IReadOnlyList<long> ListCheckpointIds()
    {
        var ids = new List<long>();
        foreach (var path in System.IO.Directory.EnumerateDirectories(RootDirectory, DirectoryPrefix + "*"))
        {
            if (long.TryParse(Path.GetFileName(path).AsSpan(DirectoryPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
        }

        ids.Sort((a, b) => b.CompareTo(a));
        return ids;
    }

    /// <summary>
    /// The newest complete checkpoint; false when there is none. <paramref name="skipped"/> lists every newer
    /// checkpoint that was passed over and why (missing manifest, bad checksum, truncated or missing file).
    /// </summary>
    public bool TryLoadLatest(out CompletedCheckpoint? checkpoint, out IReadOnlyList<string> skipped)
    {
        var reasons = new List<string>();
        skipped = reasons;
        foreach (var id in ListCheckpointIds())
        {
            var directory = Path.Combine(RootDirectory, DirectoryPrefix + id.ToString(CultureInfo.InvariantCulture));
            if (TryLoad(directory, out checkpoint, out var error))
            {
                return true;
            }

            reasons.Add($"chk-{id}: {error}");
        }

        checkpoint = null;
        return false;
    }

    /// <summary>Loads and verifies the checkpoint or savepoint in <paramref name="directory"/>.</summary>
    public static bool TryLoad(string directory, out CompletedCheckpoint? checkpoint, out string? error)
    {
        checkpoint = null;
        var manifestPath = Path.Combine(directory, ManifestName);
        if (!File.Exists(manifestPath))
        {
            error = "no manifest (the checkpoint did not complete)";
            return false;
        }

        if (!CheckpointManifest.TryDecode(File.ReadAllBytes(manifestPath), out var manifest, out error))
        {
            return false;
        }

        foreach (var file in manifest!.Files)
        {
            var path = Path.Combine(directory, file.FileName);
            if (!File.Exists(path))
            {
                error = $"state file {file.FileName} is missing";
                return false;
            }

            var bytes = File.ReadAllBytes(path);
            if (bytes.LongLength != file.Length)
            {
                error = $"state file {file.FileName} has {bytes.LongLength} bytes, the manifest records {file.Length}";
                return false;
            }

            if (Crc32C.Compute(bytes) != file.Crc)
            {
                error = $"state file {file.FileName} fails its CRC-32C check";
                return false;
            }
        }

        checkpoint = new CompletedCheckpoint(Path.GetFullPath(directory), manifest);
        return true;
    }

    /// <summary>
    /// Deletes every checkpoint directory older than the newest <see cref="RetainedCheckpoints"/> complete ones,
    /// including incomplete ones older than the oldest retained. Newer incomplete directories (possibly still being
    /// written) are left alone.
    /// </summary>
    public void RemoveExpired()
    {
        var complete = 0;
        foreach (var id in ListCheckpointIds())
        {
            var directory = Path.Combine(RootDirectory, DirectoryPrefix + id.ToString(CultureInfo.InvariantCulture));
            if (complete >= RetainedCheckpoints)
            {
                try
                {
                    System.IO.Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // Retried by the next call; an extra old directory only costs disk space.
                }

                continue;
            }

            if (File.Exists(Path.Combine(directory, ManifestName)))
            {
                complete++;
            }
        }
    }
}
