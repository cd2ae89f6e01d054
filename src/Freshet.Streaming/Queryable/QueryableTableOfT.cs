using Freshet.Streaming.Keys;
using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Queryable;

/// <summary>
/// Reads the latest value per key of a table (or any keyed value state marked queryable) while its job runs: Kafka
/// Streams' interactive queries, Flink's queryable state, in process. Get one from
/// <see cref="Jobs.JobHandle.GetQueryableTable{TKey, TValue}"/>.
/// <para>
/// Routing: a key's reads go only to the subtask that owns its key group (the engine's key-group assignment: stable
/// hash, key group, contiguous range per subtask); scans and counts ask every subtask and merge.
/// </para>
/// <para>
/// Guarantees: a read runs on the owning task's thread between two batches (see <see cref="LiveQueryablePart{TKey, TValue}"/>),
/// so a key's value is the one after some whole number of that key's changes — never torn, on the heap and the RocksDB
/// backend alike — and later reads of a key never see older values than earlier ones within one run of the job. A
/// scan is consistent per subtask (each part read at one moment), not across subtasks. After a bounded job's input
/// ends, each subtask's final contents stay readable (see <see cref="FinalQueryablePart{TKey, TValue}"/>).
/// </para>
/// <para>
/// When a subtask has no open state — the job is starting or restarting and restores its state, or it ended without
/// finishing its input — reads that need it throw <see cref="InvalidOperationException"/> at once rather than wait.
/// In application mode only this instance's tasks are queried: a key whose partition another instance owns throws
/// <see cref="InvalidOperationException"/> naming the partition, and scans and counts cover this instance's partitions.
/// A read waits for the task at most the registry's timeout (30 s), then throws <see cref="TimeoutException"/>.
/// </para>
/// Thread-safety: any thread except the job's own task threads.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class QueryableTable<TKey, TValue> : QueryableTable
    where TKey : notnull
{
    /// <summary>Largest <c>limit</c> of one scan.</summary>
    public const int MaxScanLimit = 1_000_000;

    private readonly QueryableStateRegistry _registry;
    private readonly IQueryablePart<TKey, TValue>?[] _parts;
    private readonly int _maxParallelism;
    private readonly IComparer<TKey>? _comparer;

    internal QueryableTable(QueryableStateRegistry registry, string name, string ownerUid, int partCount, int maxParallelism)
        : base(name)
    {
        _registry = registry;
        OwnerUid = ownerUid;
        _parts = new IQueryablePart<TKey, TValue>?[partCount];
        _maxParallelism = maxParallelism;
        _comparer = QueryableKeyOrder.Of<TKey>();
    }

    /// <summary>The uid of the operator whose state this is (a name belongs to one operator).</summary>
    internal string OwnerUid { get; }

    /// <summary>How many parts the table has: the operator's parallelism (application mode: its partitions).</summary>
    internal int PartCount => _parts.Length;

    internal int MaxParallelism => _maxParallelism;

    /// <summary>The key order of scans, or null when the key type has none.</summary>
    internal IComparer<TKey>? Comparer => _comparer;

    /// <inheritdoc/>
    public override Type KeyType => typeof(TKey);

    /// <inheritdoc/>
    public override Type ValueType => typeof(TValue);

    /// <inheritdoc/>
    public override bool IsOrdered => _comparer is not null;

    /// <summary>The value of <paramref name="key"/>, if it has one.</summary>
    /// <exception cref="InvalidOperationException">The subtask owning the key has no open state (being restored, ended, or in application mode not on this instance).</exception>
    /// <exception cref="TimeoutException">The owning task did not answer in time.</exception>
    public bool TryGet(TKey key, out TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (found, read) = WithPart(PartOf(key), part => (part.TryGet(key, out var v), v));
        value = read;
        return found;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> entries whose keys are in <paramref name="range"/>, in key order (ordinal for
    /// strings), merged over the subtasks.
    /// </summary>
    /// <exception cref="NotSupportedException">The key type has no order.</exception>
    /// <exception cref="InvalidOperationException">A subtask has no open state (see the class summary).</exception>
    public IReadOnlyList<KeyValuePair<TKey, TValue>> Scan(KeyRange<TKey> range, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxScanLimit);
        var comparer = _comparer ?? throw new NotSupportedException(
            $"Queryable table '{Name}' has keys of type {typeof(TKey).Name}, which has no order (neither IComparable nor string), so it cannot be scanned; read single keys with TryGet.");
        var merged = new List<KeyValuePair<TKey, TValue>>();
        if (limit == 0)
        {
            return merged;
        }

        for (var p = 0; p < _parts.Length; p++)
        {
            if (_registry.IsApplicationMode && Volatile.Read(ref _parts[p]) is null)
            {
                continue;
            }

            merged.AddRange(WithPart(p, part => part.Scan(range, limit, comparer)));
        }

        // Each part's entries are already in order and disjoint from the others' (a key has one owner).
        merged.Sort((a, b) => comparer.Compare(a.Key, b.Key));
        if (merged.Count > limit)
        {
            merged.RemoveRange(limit, merged.Count - limit);
        }

        return merged;
    }

    /// <inheritdoc/>
    public override long CountKeys()
    {
        long count = 0;
        for (var p = 0; p < _parts.Length; p++)
        {
            if (_registry.IsApplicationMode && Volatile.Read(ref _parts[p]) is null)
            {
                continue;
            }

            count += WithPart(p, static part => part.CountKeys());
        }

        return count;
    }

    /// <inheritdoc/>
    public override bool TryGetValue(object key, out object? value)
    {
        if (key is not TKey typed)
        {
            throw new ArgumentException($"Queryable table '{Name}' has keys of type {typeof(TKey).FullName}, not {key?.GetType().FullName ?? "null"}.", nameof(key));
        }

        var found = TryGet(typed, out var read);
        value = found ? read : null;
        return found;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<object, object?>> ScanValues(object? from, object? to, int limit)
    {
        var range = (from, to) switch
        {
            (null, null) => KeyRange.All<TKey>(),
            (TKey f, null) => KeyRange.AtLeast(f),
            (null, TKey t) => KeyRange.AtMost(t),
            (TKey f, TKey t) => KeyRange.Between(f, t),
            _ => throw new ArgumentException($"Queryable table '{Name}' has keys of type {typeof(TKey).FullName}; the bounds must be of that type."),
        };
        var entries = Scan(range, limit);
        var result = new List<KeyValuePair<object, object?>>(entries.Count);
        foreach (var (key, value) in entries)
        {
            result.Add(KeyValuePair.Create<object, object?>(key, value));
        }

        return result;
    }

    /// <summary>Makes <paramref name="part"/> answer for part <paramref name="index"/> (a subtask opened its state).</summary>
    internal void Attach(int index, IQueryablePart<TKey, TValue> part) => Volatile.Write(ref _parts[index], part);

    /// <summary>Replaces <paramref name="current"/> at <paramref name="index"/>, unless another part replaced it already (a newer attempt).</summary>
    internal void Replace(int index, IQueryablePart<TKey, TValue> current, IQueryablePart<TKey, TValue>? next) =>
        Interlocked.CompareExchange(ref _parts[index], next, current);

    private int PartOf(TKey key) =>
        KeyGroups.SubtaskOf(KeyGroups.Of(KeyHash<TKey>.Of(key), _maxParallelism), _maxParallelism, _parts.Length);

    /// <summary>
    /// Runs <paramref name="read"/> on part <paramref name="index"/>. A task that ends while the read waits fails it with
    /// <see cref="TaskMailboxClosedException"/>; the part is then looked up again, once: the task may have left its
    /// final contents, or the job may be restarting.
    /// </summary>
    private TResult WithPart<TResult>(int index, Func<IQueryablePart<TKey, TValue>, TResult> read)
    {
        var part = Volatile.Read(ref _parts[index]) ?? throw NotOpen(index);
        try
        {
            return read(part);
        }
        catch (TaskMailboxClosedException)
        {
            // A task replaces its part (final contents, or none) before it closes its mailbox, so the successor is in place.
            var next = Volatile.Read(ref _parts[index]);
            if (next is null || ReferenceEquals(next, part))
            {
                throw NotOpen(index);
            }

            return read(next);
        }
    }

    private InvalidOperationException NotOpen(int index) => _registry.IsApplicationMode
        ? new InvalidOperationException(
            $"Queryable table '{Name}': partition {index} is not open on this instance. In application mode an instance queries only its own tasks: " +
            "another instance owns that partition, or it is being restored here (retry shortly).")
        : new InvalidOperationException(
            $"Queryable table '{Name}' is being restored or has ended: subtask {index + 1}/{_parts.Length} has no open state (job status: {_registry.DescribeStatus()}). " +
            "While the job starts or restarts, retry shortly; a job cancelled, failed or stopped before the end of its input keeps no readable state.");
}
