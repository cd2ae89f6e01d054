namespace Freshet.Streaming.Examples;

/// <summary>
/// An outside system with transactions, kept in memory: it stands for the database or object store an exactly-once
/// sink writes to. Records appended to a transaction are invisible until it commits; a commit of a committed
/// transaction does nothing (idempotent), and an aborted or unknown transaction cannot commit. Transactions are named
/// by the writer. Thread-safe (one lock); it outlives the jobs that write to it, as an outside system does.
/// </summary>
public sealed class TransactionalStore
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<string>> _open = new(StringComparer.Ordinal);
    private readonly HashSet<string> _committed = new(StringComparer.Ordinal);
    private readonly List<string> _visible = [];

    /// <summary>A copy of the committed records, in commit order.</summary>
    public IReadOnlyList<string> Committed
    {
        get
        {
            lock (_lock)
            {
                return [.. _visible];
            }
        }
    }

    /// <summary>Number of transactions committed so far.</summary>
    public int CommittedTransactions
    {
        get
        {
            lock (_lock)
            {
                return _committed.Count;
            }
        }
    }

    /// <summary>Appends <paramref name="records"/> to transaction <paramref name="transactionId"/>, opening it if needed.</summary>
    /// <exception cref="InvalidOperationException">The transaction is already committed.</exception>
    public void Append(string transactionId, IEnumerable<string> records)
    {
        lock (_lock)
        {
            if (_committed.Contains(transactionId))
            {
                throw new InvalidOperationException($"Transaction '{transactionId}' is committed; it takes no more records.");
            }

            if (!_open.TryGetValue(transactionId, out var list))
            {
                _open[transactionId] = list = [];
            }

            list.AddRange(records);
        }
    }

    /// <summary>Makes the records of <paramref name="transactionId"/> visible; does nothing when it is already committed.</summary>
    /// <exception cref="InvalidOperationException">No such open transaction (aborted, or never opened).</exception>
    public void Commit(string transactionId)
    {
        lock (_lock)
        {
            if (_committed.Contains(transactionId))
            {
                return;
            }

            if (!_open.Remove(transactionId, out var records))
            {
                throw new InvalidOperationException($"Transaction '{transactionId}' is not open: it was aborted or never written.");
            }

            _committed.Add(transactionId);
            _visible.AddRange(records);
        }
    }

    /// <summary>Discards the records of <paramref name="transactionId"/> if it is open.</summary>
    public void Abort(string transactionId)
    {
        lock (_lock)
        {
            _open.Remove(transactionId);
        }
    }

    /// <summary>The open transactions whose ids start with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> OpenTransactions(string prefix)
    {
        lock (_lock)
        {
            return [.. _open.Keys.Where(id => id.StartsWith(prefix, StringComparison.Ordinal))];
        }
    }
}
