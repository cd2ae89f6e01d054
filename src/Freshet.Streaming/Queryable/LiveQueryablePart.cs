using Freshet.Streaming.State;
using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Queryable;

/// <summary>
/// The part of a queryable table held by a running subtask: every read is a request in the task's
/// <see cref="TaskMailbox"/>, run on the task thread between two batches, and the caller waits for its answer.
/// <para>
/// Why the task thread: it is the only thread that may touch keyed state. The heap backend keeps plain dictionaries
/// (a read racing a write can miss an entry or see a half-resized table), values may be mutable objects a function
/// changes in place, and a RocksDB backend's database is deleted when the subtask closes. A read between batches sees,
/// for every key of the subtask, the value after some whole number of records: never a torn value, on either backend,
/// with no lock on the per-record path. The price is latency (a read waits for the batch in progress) and that a scan
/// runs on the task thread, pausing the subtask's processing for its duration (it visits every key of the subtask).
/// </para>
/// <para>
/// The key context is saved and restored around each read, so a read never disturbs the operator's current key.
/// Reads do count as accesses for state time-to-live (a read with update-on-read restamps the entry).
/// </para>
/// Thread-safety: any thread, except the task thread itself (it would wait for itself: refused).
/// </summary>
internal sealed class LiveQueryablePart<TKey, TValue> : IQueryablePart<TKey, TValue>
    where TKey : notnull
{
    private readonly TaskMailbox _mailbox;
    private readonly KeyContext<TKey> _key;
    private readonly ValueState<TValue> _state;
    private readonly IKeyedStateBackend<TKey> _backend;
    private readonly string _stateName;
    private readonly TimeSpan _timeout;

    /// <param name="timeout">How long a read waits for the task thread before it fails with <see cref="TimeoutException"/>.</param>
    public LiveQueryablePart(TaskMailbox mailbox, KeyContext<TKey> key, ValueState<TValue> state, IKeyedStateBackend<TKey> backend, string stateName, TimeSpan timeout)
    {
        _mailbox = mailbox;
        _key = key;
        _state = state;
        _backend = backend;
        _stateName = stateName;
        _timeout = timeout;
    }

    public bool TryGet(TKey key, out TValue value)
    {
        var (found, read) = Ask(() => ReadAt(key));
        value = read;
        return found;
    }

    public List<KeyValuePair<TKey, TValue>> Scan(KeyRange<TKey> range, int limit, IComparer<TKey> comparer) => Ask(() =>
    {
        var keys = new List<TKey>();
        foreach (var key in _backend.GetKeys(_stateName))
        {
            if (range.Contains(key, comparer))
            {
                keys.Add(key);
            }
        }

        keys.Sort(comparer);
        var entries = new List<KeyValuePair<TKey, TValue>>(Math.Min(limit, keys.Count));
        foreach (var key in keys)
        {
            if (entries.Count == limit)
            {
                break;
            }

            // A key listed may have expired (time-to-live) and read as absent.
            var (found, value) = ReadAt(key);
            if (found)
            {
                entries.Add(KeyValuePair.Create(key, value));
            }
        }

        return entries;
    });

    public long CountKeys() => Ask(() =>
    {
        long count = 0;
        foreach (var key in _backend.GetKeys(_stateName))
        {
            if (ReadAt(key).Found)
            {
                count++;
            }
        }

        return count;
    });

    /// <summary>Every entry, in no order; task thread only (what <see cref="FinalQueryablePart{TKey, TValue}"/> keeps when the input ends).</summary>
    public List<KeyValuePair<TKey, TValue>> ReadAllOnTaskThread()
    {
        var entries = new List<KeyValuePair<TKey, TValue>>();
        foreach (var key in _backend.GetKeys(_stateName))
        {
            var (found, value) = ReadAt(key);
            if (found)
            {
                entries.Add(KeyValuePair.Create(key, value));
            }
        }

        return entries;
    }

    /// <summary>Reads <paramref name="key"/>'s value on the task thread, leaving the operator's key context as it was.</summary>
    private (bool Found, TValue Value) ReadAt(TKey key)
    {
        var savedKey = _key.Current;
        var savedIsSet = _key.IsSet;
        try
        {
            _key.Current = key;
            _key.IsSet = true;
            var found = _state.TryGetValue(out var value);
            return (found, value);
        }
        finally
        {
            _key.Current = savedKey;
            _key.IsSet = savedIsSet;
        }
    }

    private TResult Ask<TResult>(Func<TResult> read)
    {
        if (_mailbox.IsTaskThread)
        {
            throw new InvalidOperationException("A queryable table cannot be queried from the task thread that writes it (the read would wait for itself); read the state directly.");
        }

        var request = new Request<TResult>(read);
        _mailbox.Post(request);
        bool answered;
        try
        {
            answered = request.Answer.Wait(_timeout);
        }
        catch (AggregateException)
        {
            // Rethrown unwrapped below.
            answered = true;
        }

        if (!answered)
        {
            throw new TimeoutException($"The task holding this part of the table did not answer within {_timeout.TotalSeconds:0.#} s (it answers between batches; is it blocked by backpressure?).");
        }

        return request.Answer.GetAwaiter().GetResult();
    }

    /// <summary>One read waiting in the mailbox; its answer completes on the task thread (or fails when the task ends).</summary>
    private sealed class Request<TResult>(Func<TResult> read) : ITaskMailboxRequest
    {
        private readonly TaskCompletionSource<TResult> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<TResult> Answer => _answer.Task;

        public void Run()
        {
            try
            {
                _answer.TrySetResult(read());
            }
#pragma warning disable CA1031 // A failed read is the caller's failure, never the task's.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _answer.TrySetException(e);
            }
        }

        public void Fail(Exception reason) => _answer.TrySetException(reason);
    }
}
