using System.Collections.Concurrent;
using Freshet.Streaming.Jobs;

namespace Freshet.Streaming.Queryable;

/// <summary>
/// The queryable tables of one job execution (all its attempts; in application mode, all of this instance's tasks),
/// by name. A table is declared by the first subtask that opens its state and lives as long as the job's
/// <see cref="JobHandle"/>; each attempt's subtasks attach their parts to it. Thread-safe.
/// </summary>
internal sealed class QueryableStateRegistry
{
    private readonly ConcurrentDictionary<string, QueryableTable> _tables = new(StringComparer.Ordinal);

    /// <summary>Whether the job runs in application mode (only this instance's tasks are queried).</summary>
    public bool IsApplicationMode { get; init; }

    /// <summary>How long a read waits for a task thread to answer.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The job's status, for error messages; set once the job handle exists.</summary>
    public Func<JobStatus>? Status { get; set; }

    /// <summary>The job's status as text, or "unknown".</summary>
    public string DescribeStatus() => Status?.Invoke().ToString() ?? "unknown";

    /// <summary>
    /// The table <paramref name="name"/> of operator <paramref name="ownerUid"/>, declared now if new.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another operator, or other key or value types, already use the name.</exception>
    public QueryableTable<TKey, TValue> Declare<TKey, TValue>(string name, string ownerUid, int partCount, int maxParallelism)
        where TKey : notnull
    {
        var table = _tables.GetOrAdd(name, _ => new QueryableTable<TKey, TValue>(this, name, ownerUid, partCount, maxParallelism));
        if (table is not QueryableTable<TKey, TValue> typed)
        {
            throw new InvalidOperationException(
                $"Queryable state name '{name}' is already used with key type {table.KeyType.Name} and value type {table.ValueType.Name}, not {typeof(TKey).Name} and {typeof(TValue).Name}; names must be unique within a job.");
        }

        if (!string.Equals(typed.OwnerUid, ownerUid, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Queryable state name '{name}' is used by two operators (uids '{typed.OwnerUid}' and '{ownerUid}'); names must be unique within a job.");
        }

        if (typed.PartCount != partCount || typed.MaxParallelism != maxParallelism)
        {
            throw new InvalidOperationException(
                $"Queryable state '{name}' was declared with {typed.PartCount} parts of {typed.MaxParallelism} key groups, now with {partCount} of {maxParallelism}.");
        }

        return typed;
    }

    /// <summary>Every table declared so far, ordered by name.</summary>
    public IReadOnlyList<QueryableTableInfo> List() =>
        [.. _tables.Values.Select(static t => new QueryableTableInfo(t.Name, t.KeyType, t.ValueType)).OrderBy(static t => t.Name, StringComparer.Ordinal)];

    /// <summary>The table <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No table has that name; the message lists the known names.</exception>
    public QueryableTable Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_tables.TryGetValue(name, out var table))
        {
            return table;
        }

        var known = _tables.Keys.Order(StringComparer.Ordinal).ToList();
        throw new KeyNotFoundException(
            $"The job has no queryable table '{name}'. Known: {(known.Count == 0 ? "none" : string.Join(", ", known.Select(static n => $"'{n}'")))}" +
            " (a table is known once a subtask has opened its state).");
    }

    /// <summary>The table <paramref name="name"/> with its types.</summary>
    /// <exception cref="KeyNotFoundException">No table has that name.</exception>
    /// <exception cref="InvalidCastException">The table has other key or value types.</exception>
    public QueryableTable<TKey, TValue> Get<TKey, TValue>(string name)
        where TKey : notnull
    {
        var table = Get(name);
        return table as QueryableTable<TKey, TValue> ?? throw new InvalidCastException(
            $"Queryable table '{name}' has key type {table.KeyType.FullName} and value type {table.ValueType.FullName}, not {typeof(TKey).FullName} and {typeof(TValue).FullName}.");
    }
}
