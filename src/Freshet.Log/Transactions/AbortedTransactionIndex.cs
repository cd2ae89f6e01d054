using System.Buffers.Binary;
using Freshet.Log.Segments;

namespace Freshet.Log.Transactions;

/// <summary>
/// The aborted transactions of one partition (the role of Kafka's <c>.txnindex</c> files, kept as
/// one file per partition): which producer's transactional records between which offsets a
/// read_committed reader must drop.
/// <para>
/// On disk: <c>aborted-transactions.txnindex</c> in the partition directory, a sequence of 34-byte
/// entries, big-endian: <c>int16 version 0, int64 producer id, int64 first offset, int64 last offset
/// (the ABORT marker), int64 LastStableOffset after the marker</c>, in marker order. An entry is
/// appended and fsynced when an ABORT marker is written. The file is a cache of the log: on open,
/// entries at or past the log end (a log truncated by recovery) are dropped, entries for markers
/// replayed from the log after the file's last entry are added, and a missing or unreadable file
/// makes the partition replay its whole log to rebuild it.
/// </para>
/// Thread-safety: <see cref="Add"/> is called under the partition's append lock; readers use
/// <see cref="Overlapping"/> without a lock (it reads a published immutable array).
/// </summary>
internal sealed class AbortedTransactionIndex : IDisposable
{
    /// <summary>The file name inside the partition directory.</summary>
    public const string FileName = "aborted-transactions.txnindex";

    private const int EntryBytes = 34;

    private readonly FileStream _file;
    private AbortedTransaction[] _entries;

    private AbortedTransactionIndex(FileStream file, AbortedTransaction[] entries)
    {
        _file = file;
        _entries = entries;
    }

    /// <summary>Every entry, oldest first.</summary>
    public IReadOnlyList<AbortedTransaction> Entries => Volatile.Read(ref _entries);

    /// <summary>
    /// Reads the file of <paramref name="directory"/>. Returns false in <paramref name="usable"/> when it is missing or
    /// unreadable, so the caller rebuilds it from the whole log with <see cref="Open"/>.
    /// </summary>
    public static List<AbortedTransaction> ReadFile(string directory, out bool usable)
    {
        var path = Path.Combine(directory, FileName);
        var entries = new List<AbortedTransaction>();
        usable = File.Exists(path);
        if (!usable)
        {
            return entries;
        }

        var bytes = File.ReadAllBytes(path);
        for (var at = 0; at + EntryBytes <= bytes.Length; at += EntryBytes)
        {
            var span = bytes.AsSpan(at, EntryBytes);
            if (BinaryPrimitives.ReadInt16BigEndian(span) != 0)
            {
                usable = false;
                entries.Clear();
                return entries;
            }

            entries.Add(new AbortedTransaction(
                BinaryPrimitives.ReadInt64BigEndian(span[2..]),
                BinaryPrimitives.ReadInt64BigEndian(span[10..]),
                BinaryPrimitives.ReadInt64BigEndian(span[18..]),
                BinaryPrimitives.ReadInt64BigEndian(span[26..])));
        }

        return entries;
    }

    /// <summary>
    /// Opens the index with the entries read from the file (those below <paramref name="logEndOffset"/>)
    /// followed by the replayed ones past them, and rewrites the file durably if that changed it.
    /// </summary>
    public static AbortedTransactionIndex Open(string directory, List<AbortedTransaction> fromFile, bool fileUsable, List<AbortedTransaction> replayed, long logEndOffset, ICollection<string> report, string partitionName)
    {
        var path = Path.Combine(directory, FileName);
        var merged = new List<AbortedTransaction>(fromFile.Count + replayed.Count);
        var lastMarker = -1L;
        foreach (var entry in fromFile)
        {
            if (entry.LastOffset < logEndOffset && entry.LastOffset > lastMarker)
            {
                merged.Add(entry);
                lastMarker = entry.LastOffset;
            }
        }

        var dropped = fromFile.Count - merged.Count;
        foreach (var entry in replayed)
        {
            if (entry.LastOffset > lastMarker)
            {
                merged.Add(entry);
                lastMarker = entry.LastOffset;
            }
        }

        if (dropped > 0)
        {
            report.Add($"{partitionName}: dropped {dropped} aborted-transaction index entries past the recovered log end {logEndOffset}.");
        }

        if (!fileUsable || merged.Count != fromFile.Count || dropped > 0)
        {
            var bytes = new byte[merged.Count * EntryBytes];
            for (var i = 0; i < merged.Count; i++)
            {
                Write(bytes.AsSpan(i * EntryBytes, EntryBytes), merged[i]);
            }

            SegmentFiles.WriteAllBytesDurably(path, bytes);
        }

        var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new AbortedTransactionIndex(file, [.. merged]);
    }

    /// <summary>Appends an entry and fsyncs the file.</summary>
    public void Add(AbortedTransaction entry)
    {
        Span<byte> bytes = stackalloc byte[EntryBytes];
        Write(bytes, entry);
        _file.Write(bytes);
        _file.Flush(flushToDisk: true);
        var current = _entries;
        var next = new AbortedTransaction[current.Length + 1];
        Array.Copy(current, next, current.Length);
        next[^1] = entry;
        Volatile.Write(ref _entries, next);
    }

    /// <summary>The aborted transactions whose offsets overlap <c>[startOffset, endOffset)</c>, oldest first.</summary>
    public List<AbortedTransaction> Overlapping(long startOffset, long endOffset)
    {
        var result = new List<AbortedTransaction>();
        foreach (var entry in Volatile.Read(ref _entries))
        {
            if (entry.LastOffset >= startOffset && entry.FirstOffset < endOffset)
            {
                result.Add(entry);
            }
        }

        return result;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();

    private static void Write(Span<byte> destination, in AbortedTransaction entry)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination, 0);
        BinaryPrimitives.WriteInt64BigEndian(destination[2..], entry.ProducerId);
        BinaryPrimitives.WriteInt64BigEndian(destination[10..], entry.FirstOffset);
        BinaryPrimitives.WriteInt64BigEndian(destination[18..], entry.LastOffset);
        BinaryPrimitives.WriteInt64BigEndian(destination[26..], entry.LastStableOffset);
    }
}
