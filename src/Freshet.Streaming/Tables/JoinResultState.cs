using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// The last result row a table join emitted for the current key, and the normalised changelog between results: a
/// first result is <c>+I</c>, a changed one <c>-U</c> old then <c>+U</c> new, a vanished one <c>-D</c> old. It is
/// what keeps a joined table's changelog normalised per key (the <see cref="Table{TKey, TValue}"/> invariant) even
/// when the inputs' values can no longer reproduce the old result. Used from one task thread.
/// </summary>
internal sealed class JoinResultState<TKey, TResult>
    where TKey : notnull
{
    private readonly ValueState<TResult> _result;

    public JoinResultState(RuntimeContext context, TableJoinOptions options)
    {
        _result = context.GetState(options.Configure(new ValueStateDescriptor<TResult>("table-join-result")));
    }

    /// <summary>Emits the change from the stored result to <paramref name="result"/> (none when
    /// <paramref name="hasResult"/> is false) and stores it.</summary>
    public void MoveTo(TKey key, bool hasResult, TResult result, Collector<Change<KeyValuePair<TKey, TResult>>> output)
    {
        var hadResult = _result.TryGetValue(out var old);
        if (hadResult && hasResult)
        {
            output.Collect(Change.UpdateBefore(new KeyValuePair<TKey, TResult>(key, old)));
            output.Collect(Change.UpdateAfter(new KeyValuePair<TKey, TResult>(key, result)));
            _result.Update(result);
        }
        else if (hasResult)
        {
            output.Collect(Change.Insert(new KeyValuePair<TKey, TResult>(key, result)));
            _result.Update(result);
        }
        else if (hadResult)
        {
            output.Collect(Change.Delete(new KeyValuePair<TKey, TResult>(key, old)));
            _result.Clear();
        }
    }
}
