using System.Diagnostics;
using System.Globalization;

namespace Freshet.Broker.Cluster;

/// <summary>
/// A small file in the data directory that more than one process changes: the broker and the <c>freshet users</c> /
/// <c>freshet acls</c> commands with <c>--data</c> (SCRAM credentials, ACLs). Writers serialise on an exclusive lock of a
/// sidecar lock file (an advisory flock every process opening it with <see cref="FileShare.None"/> honours) and re-read
/// the file under it; readers notice another process's change by the file's <see cref="Stamp"/>. The file itself is
/// replaced atomically and durably by its owner (<see cref="DurableFile"/>). Thread-safety: every member may be called
/// from any thread; the lock excludes other processes and other threads alike.
/// </summary>
internal sealed class SharedDataFile
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);
    private readonly string _lockPath;
    private readonly string _contents;

    /// <param name="path">The file.</param>
    /// <param name="lockPath">Its writers' lock file, next to it.</param>
    /// <param name="contents">What the file holds, for the message of a lock held too long (for example "the ACLs").</param>
    public SharedDataFile(string path, string lockPath, string contents)
    {
        Path = path;
        _lockPath = lockPath;
        _contents = contents;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The file's last write time (ticks) and length, or (0, -1) while it does not exist: a change of either means another write.</summary>
    public (long Ticks, long Length) Stamp()
    {
        var info = new FileInfo(Path);
        return info.Exists ? (info.LastWriteTimeUtc.Ticks, info.Length) : (0, -1);
    }

    /// <summary>Takes the writers' lock, waiting while another writer holds it (its change takes milliseconds). Dispose the stream to release it.</summary>
    /// <exception cref="IOException">Another writer held the lock for 10 seconds; nothing was changed.</exception>
    public FileStream AcquireWriterLock()
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Stopwatch.GetElapsedTime(started) < LockTimeout)
            {
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw new IOException(string.Create(CultureInfo.InvariantCulture, $"Another process has held '{_lockPath}' for {LockTimeout.TotalSeconds:0} seconds; {_contents} were not changed."), e);
            }
        }
    }
}
