using System.Globalization;
using Freshet.Log;

namespace Freshet.Broker.Cluster;

/// <summary>
/// Hands out producer ids for idempotent producers (InitProducerId) that are never reused, not even
/// after a crash or restart: ids are reserved in blocks of <see cref="BlockSize"/>, and the end of the
/// reserved range is written durably to <c>DIR/producer-id.next</c> before any id of the block is
/// handed out. After a restart allocation resumes at that end, so ids of a block interrupted by a crash
/// are skipped, never repeated.
/// Invariant: every id returned is below the durable reserved end, and larger than any id returned before.
/// Thread-safety: <see cref="Next"/> is safe from any thread (one lock; the fsync happens once per block).
/// </summary>
internal sealed class ProducerIdAllocator
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "producer-id.next";

    /// <summary>Ids reserved per durable write.</summary>
    public const long BlockSize = 1000;

    private readonly object _lock = new();
    private readonly string _path;
    private long _next;
    private long _reservedEnd;

    private ProducerIdAllocator(string path, long next)
    {
        _path = path;
        _next = next;
        _reservedEnd = next;
    }

    /// <summary>Opens the allocator of a data directory.</summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.KafkaStorageError"/> if the file exists but is not a valid id.</exception>
    public static ProducerIdAllocator Open(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var text = DurableFile.TryReadAllText(path);
        long next = 0;
        if (text is not null && (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out next) || next < 0))
        {
            throw new LogException(LogErrorCode.KafkaStorageError, $"The producer id file '{path}' does not hold a non-negative integer.");
        }

        return new ProducerIdAllocator(path, next);
    }

    /// <summary>Returns a producer id never returned before for this data directory.</summary>
    /// <exception cref="IOException">Reserving a new block failed; no id is returned.</exception>
    public long Next()
    {
        lock (_lock)
        {
            if (_next >= _reservedEnd)
            {
                var end = checked(_next + BlockSize);
                DurableFile.WriteAllText(_path, end.ToString(CultureInfo.InvariantCulture) + "\n");
                _reservedEnd = end;
            }

            return _next++;
        }
    }
}
