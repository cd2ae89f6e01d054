using System.Buffers.Binary;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// The RocksDB database of one keyed operator subtask: one column family per state name, every entry's key
/// prefixed with its key group as two big-endian bytes (<c>[key group][serialized key][state-specific suffix]</c>),
/// so a scan of a column family visits entries in key-group order and one key group is one contiguous range —
/// what a snapshot grouped by key group and a restore of a key-group range need. Every column family has the list
/// merge operator (<see cref="RocksDbListMerge"/>); only list state writes merge operands (<see cref="Merge"/>).
/// <para>
/// The database lives in a private working directory that this instance owns: it is created empty on open and
/// deleted on dispose, because the durable copy of the state is the checkpoint, never the working directory (as
/// in Flink, a restarted job restores from its checkpoint, not from a leftover local database).
/// </para>
/// <para>Thread-safety: RocksDB itself is thread-safe. The task thread reads and writes; a snapshot
/// (<see cref="CreateSnapshot"/>) may be scanned from another thread while the task goes on writing. The
/// column-family map is task-thread only: another thread reaches a column family through a handle resolved on the
/// task thread (as <see cref="RocksDbStateSnapshot.Capture"/> does).</para>
/// <para>Lifetime: a checkpoint's asynchronous phase holds a lease (<see cref="AcquireLease"/>) so that a task that
/// fails and disposes the store meanwhile does not close the database under the scan; the database is closed and its
/// directory deleted by whichever comes last, <see cref="Dispose"/> or the release of the last lease.</para>
/// </summary>
internal sealed class RocksDbStateStore : IDisposable
{
    /// <summary>Bytes of the key-group prefix of every key.</summary>
    public const int KeyGroupPrefixBytes = 2;

    private readonly DbOptions _options;
    private readonly ColumnFamilyOptions _columnFamilyOptions;
    private readonly RocksDbSharp.RocksDb _db;
    private readonly Dictionary<string, ColumnFamilyHandle> _columnFamilies = new(StringComparer.Ordinal);
    private readonly WriteOptions _writeOptions;
    private readonly object _lifetimeLock = new();
    private int _leases;
    private bool _disposed;

    /// <summary>Creates an empty database in <paramref name="workingDirectory"/>, which must not exist or be empty.</summary>
    public RocksDbStateStore(string workingDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workingDirectory);
        WorkingDirectory = Path.GetFullPath(workingDirectory);
        if (Directory.Exists(WorkingDirectory) && Directory.EnumerateFileSystemEntries(WorkingDirectory).Any())
        {
            // A leftover of a process that was killed: it holds nothing the checkpoint does not.
            Directory.Delete(WorkingDirectory, recursive: true);
        }

        Directory.CreateDirectory(WorkingDirectory);
        _options = new DbOptions().SetCreateIfMissing(true).SetCreateMissingColumnFamilies(true);
        _columnFamilyOptions = new ColumnFamilyOptions().SetMergeOperator(RocksDbListMerge.Operator);

        // The working copy needs no write-ahead log: after a crash it is discarded and rebuilt from the checkpoint.
        _writeOptions = new WriteOptions().DisableWal(1);
        _db = RocksDbSharp.RocksDb.Open(_options, WorkingDirectory, new ColumnFamilies(_columnFamilyOptions));
    }

    /// <summary>The database's private directory.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Names of the states (column families) created so far.</summary>
    public IReadOnlyCollection<string> StateNames => _columnFamilies.Keys;

    /// <summary>The column family of state <paramref name="stateName"/>, created on first use.</summary>
    public ColumnFamilyHandle ColumnFamily(string stateName)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_columnFamilies.TryGetValue(stateName, out var handle))
        {
            handle = _db.CreateColumnFamily(_columnFamilyOptions, "state:" + stateName);
            _columnFamilies.Add(stateName, handle);
        }

        return handle;
    }

    /// <summary>The value stored at <paramref name="key"/>, or null.</summary>
    public byte[]? Get(ColumnFamilyHandle columnFamily, ReadOnlySpan<byte> key) => _db.Get(key, columnFamily);

    /// <summary>Stores <paramref name="value"/> at <paramref name="key"/>.</summary>
    public void Put(ColumnFamilyHandle columnFamily, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _db.Put(key, value, columnFamily, _writeOptions);

    /// <summary>
    /// Appends the list entry <paramref name="operand"/> to the list entry at <paramref name="key"/> (or stores it when
    /// absent) without reading it, through <see cref="RocksDbListMerge"/>; list state only.
    /// </summary>
    public void Merge(ColumnFamilyHandle columnFamily, ReadOnlySpan<byte> key, ReadOnlySpan<byte> operand) => _db.Merge(key, operand, columnFamily, _writeOptions);

    /// <summary>Removes <paramref name="key"/> (no error when absent).</summary>
    public void Remove(ColumnFamilyHandle columnFamily, ReadOnlySpan<byte> key) => _db.Remove(key, columnFamily, _writeOptions);

    /// <summary>
    /// An iterator over <paramref name="columnFamily"/>, optionally reading as of <paramref name="snapshot"/>. Dispose it.
    /// <paramref name="fillCache"/> false keeps a full scan (a checkpoint's) from evicting the task's hot blocks.
    /// </summary>
    public Iterator NewIterator(ColumnFamilyHandle columnFamily, Snapshot? snapshot = null, bool fillCache = true)
    {
        var readOptions = new ReadOptions().SetFillCache(fillCache);
        if (snapshot is not null)
        {
            readOptions.SetSnapshot(snapshot);
        }

        return _db.NewIterator(columnFamily, readOptions);
    }

    /// <summary>
    /// A consistent point-in-time view of every state (RocksDB's own snapshot: O(1), no copy). The synchronous part
    /// of a checkpoint; scan it with <see cref="ReadEntries"/> on any thread, then dispose it.
    /// </summary>
    public Snapshot CreateSnapshot() => _db.CreateSnapshot();

    /// <summary>
    /// Visits every entry of <paramref name="stateName"/> as of <paramref name="snapshot"/>, in key order (so in
    /// key-group order). The spans are valid only during the call.
    /// </summary>
    public void ReadEntries(string stateName, Snapshot snapshot, EntryVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        using var iterator = NewIterator(ColumnFamily(stateName), snapshot);
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            visitor(iterator.GetKeySpan(), iterator.GetValueSpan());
        }
    }

    /// <summary>Receives one entry of <see cref="ReadEntries"/>.</summary>
    public delegate void EntryVisitor(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Applies <paramref name="batch"/> atomically (with the store's write options: no write-ahead log).</summary>
    public void Write(WriteBatch batch) => _db.Write(batch, _writeOptions);

    /// <summary>The key group of a stored key (its first two bytes).</summary>
    public static int KeyGroupOf(ReadOnlySpan<byte> storedKey) => BinaryPrimitives.ReadUInt16BigEndian(storedKey);

    /// <summary>
    /// Keeps the database open until <see cref="ReleaseLease"/>, even if <see cref="Dispose"/> is called meanwhile.
    /// Throws <see cref="ObjectDisposedException"/> once the store is disposed. Thread-safe.
    /// </summary>
    public void AcquireLease()
    {
        lock (_lifetimeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _leases++;
        }
    }

    /// <summary>Ends a lease of <see cref="AcquireLease"/>; closes the database if the store was disposed meanwhile. Thread-safe.</summary>
    public void ReleaseLease()
    {
        lock (_lifetimeLock)
        {
            if (_leases == 0)
            {
                throw new InvalidOperationException("No lease of the RocksDB state store is held.");
            }

            _leases--;
            if (!_disposed || _leases > 0)
            {
                return;
            }
        }

        Close();
    }

    /// <summary>Closes the database and deletes its directory now, or when the last lease is released.</summary>
    public void Dispose()
    {
        lock (_lifetimeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_leases > 0)
            {
                return;
            }
        }

        Close();
    }

    private void Close()
    {
        _db.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover working directory is deleted by the next open of the same path.
        }
    }
}
