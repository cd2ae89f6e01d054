using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// The regular (unbounded) join of two changelogs on their key, as Flink's <c>StreamingJoinOperator</c> runs it. Each
/// side's state is a multiset of rows per key (map state: row → <see cref="JoinRowCount"/>). An addition on one side
/// is stored and emits <c>+I</c> of its join with every matching row of the other side (once per stored copy); a
/// withdrawal (<c>-U</c> or <c>-D</c>) is removed and emits <c>-D</c> of the same joined rows. For an outer side each
/// stored row also counts its matches: a row without any is emitted padded (<c>+I</c>); the first match of a padded
/// row withdraws the padded row (<c>-D</c>) before the joined one is emitted; the last unmatch re-emits it
/// (<c>+I</c>) after the joined one is withdrawn. A semi or anti join counts the matches of each left row the same
/// way but emits only left rows: a semi join emits a left row (<c>+I</c>) when it gets its first match and withdraws
/// it (<c>-D</c>) when it loses its last one; an anti join the other way round. Invariant: after each input record, the multiset of emitted rows
/// (additions minus withdrawals) equals the join of the two stored multisets. A withdrawal of a row the state does
/// not hold (never added, or expired by time-to-live) still withdraws its joins with the other side. Each subtask
/// runs its own instance; all calls come from its task thread.
/// </summary>
internal sealed class ChangelogJoinFunction<TKey, TLeft, TRight, TOut> : KeyedCoProcessFunction<TKey, Change<TLeft>, Change<TRight>, Change<TOut>>
    where TLeft : notnull
    where TRight : notnull
{
    private readonly ChangelogJoinType _type;
    private readonly Func<TLeft?, TRight?, TOut> _combine;
    private readonly Func<TLeft, TRight, bool>? _condition;
    private readonly ChangelogJoinOptions<TLeft, TRight> _options;
    private readonly List<KeyValuePair<TRight, JoinRowCount>> _rightMatches = [];
    private readonly List<KeyValuePair<TLeft, JoinRowCount>> _leftMatches = [];
    private MapState<TLeft, JoinRowCount> _left = null!;
    private MapState<TRight, JoinRowCount> _right = null!;

    public ChangelogJoinFunction(ChangelogJoinType type, Func<TLeft?, TRight?, TOut> combine, Func<TLeft, TRight, bool>? condition, ChangelogJoinOptions<TLeft, TRight> options)
    {
        _type = type;
        _combine = combine;
        _condition = condition;
        _options = options;
    }

    private bool LeftIsOuter => _type is ChangelogJoinType.Left or ChangelogJoinType.Full;

    /// <summary>Whether only left rows are emitted, filtered by whether they have a match.</summary>
    private bool FiltersLeft => _type is ChangelogJoinType.Semi or ChangelogJoinType.Anti;

    private bool RightIsOuter => _type is ChangelogJoinType.Right or ChangelogJoinType.Full;

    /// <summary>A fresh instance per subtask: the match buffers are per subtask.</summary>
    internal override KeyedCoProcessFunction<TKey, Change<TLeft>, Change<TRight>, Change<TOut>> CopyForSubtask() =>
        new ChangelogJoinFunction<TKey, TLeft, TRight, TOut>(_type, _combine, _condition, _options);

    public override void Open(RuntimeContext context)
    {
        var left = new MapStateDescriptor<TLeft, JoinRowCount>("changelog-join-left") { KeySerializer = _options.LeftSerializer, ValueSerializer = JoinRowCountSerializer.Instance };
        var right = new MapStateDescriptor<TRight, JoinRowCount>("changelog-join-right") { KeySerializer = _options.RightSerializer, ValueSerializer = JoinRowCountSerializer.Instance };
        if (_options.StateTtl is { } ttl)
        {
            left.EnableTimeToLive(ttl);
            right.EnableTimeToLive(ttl);
        }

        _left = context.GetMapState(left);
        _right = context.GetMapState(right);
    }

    public override void ProcessElement1(Change<TLeft> value, KeyedProcessContext<TKey> context, Collector<Change<TOut>> output)
    {
        var row = value.Row;
        _rightMatches.Clear();
        long matched = 0;
        foreach (var entry in _right.Entries())
        {
            if (_condition is null || _condition(row, entry.Key))
            {
                _rightMatches.Add(entry);
                matched += entry.Value.Count;
            }
        }

        if (FiltersLeft)
        {
            FilterLeft(value, matched, output);
            return;
        }

        if (value.IsAddition)
        {
            if (RightIsOuter)
            {
                foreach (var (other, count) in _rightMatches)
                {
                    if (count.Associations <= 0)
                    {
                        Emit(output, RowKind.Delete, _combine(default, other), count.Count);
                    }

                    _right.Put(other, count with { Associations = count.Associations + 1 });
                }
            }

            foreach (var (other, count) in _rightMatches)
            {
                Emit(output, RowKind.Insert, _combine(row, other), count.Count);
            }

            if (LeftIsOuter && matched == 0)
            {
                Emit(output, RowKind.Insert, _combine(row, default), 1);
            }

            Add(_left, row, matched);
        }
        else
        {
            Retract(_left, row);
            if (LeftIsOuter && matched == 0)
            {
                Emit(output, RowKind.Delete, _combine(row, default), 1);
            }

            foreach (var (other, count) in _rightMatches)
            {
                Emit(output, RowKind.Delete, _combine(row, other), count.Count);
            }

            if (RightIsOuter)
            {
                foreach (var (other, count) in _rightMatches)
                {
                    if (count.Associations == 1)
                    {
                        Emit(output, RowKind.Insert, _combine(default, other), count.Count);
                    }

                    _right.Put(other, count with { Associations = Math.Max(0, count.Associations - 1) });
                }
            }
        }
    }

    public override void ProcessElement2(Change<TRight> value, KeyedProcessContext<TKey> context, Collector<Change<TOut>> output)
    {
        var row = value.Row;
        _leftMatches.Clear();
        long matched = 0;
        foreach (var entry in _left.Entries())
        {
            if (_condition is null || _condition(entry.Key, row))
            {
                _leftMatches.Add(entry);
                matched += entry.Value.Count;
            }
        }

        if (FiltersLeft)
        {
            CountMatchesOfLeft(value, matched, output);
            return;
        }

        if (value.IsAddition)
        {
            if (LeftIsOuter)
            {
                foreach (var (other, count) in _leftMatches)
                {
                    if (count.Associations <= 0)
                    {
                        Emit(output, RowKind.Delete, _combine(other, default), count.Count);
                    }

                    _left.Put(other, count with { Associations = count.Associations + 1 });
                }
            }

            foreach (var (other, count) in _leftMatches)
            {
                Emit(output, RowKind.Insert, _combine(other, row), count.Count);
            }

            if (RightIsOuter && matched == 0)
            {
                Emit(output, RowKind.Insert, _combine(default, row), 1);
            }

            Add(_right, row, matched);
        }
        else
        {
            Retract(_right, row);
            if (RightIsOuter && matched == 0)
            {
                Emit(output, RowKind.Delete, _combine(default, row), 1);
            }

            foreach (var (other, count) in _leftMatches)
            {
                Emit(output, RowKind.Delete, _combine(other, row), count.Count);
            }

            if (LeftIsOuter)
            {
                foreach (var (other, count) in _leftMatches)
                {
                    if (count.Associations == 1)
                    {
                        Emit(output, RowKind.Insert, _combine(other, default), count.Count);
                    }

                    _left.Put(other, count with { Associations = Math.Max(0, count.Associations - 1) });
                }
            }
        }
    }

    /// <summary>A left change of a semi or anti join: the left row is emitted (or withdrawn) when it passes, that is
    /// when it has a match (semi) or none (anti).</summary>
    private void FilterLeft(Change<TLeft> value, long matched, Collector<Change<TOut>> output)
    {
        var passes = _type == ChangelogJoinType.Semi ? matched > 0 : matched == 0;
        if (value.IsAddition)
        {
            if (passes)
            {
                Emit(output, RowKind.Insert, _combine(value.Row, default), 1);
            }

            Add(_left, value.Row, matched);
        }
        else
        {
            Retract(_left, value.Row);
            if (passes)
            {
                Emit(output, RowKind.Delete, _combine(value.Row, default), 1);
            }
        }
    }

    /// <summary>A right change of a semi or anti join: it only moves the match counts of the left rows it matches
    /// (in <see cref="_leftMatches"/>); a left row whose count leaves or reaches 0 changes sides of the filter.</summary>
    private void CountMatchesOfLeft(Change<TRight> value, long matched, Collector<Change<TOut>> output)
    {
        var semi = _type == ChangelogJoinType.Semi;
        if (value.IsAddition)
        {
            foreach (var (other, count) in _leftMatches)
            {
                if (count.Associations <= 0)
                {
                    Emit(output, semi ? RowKind.Insert : RowKind.Delete, _combine(other, default), count.Count);
                }

                _left.Put(other, count with { Associations = count.Associations + 1 });
            }

            Add(_right, value.Row, matched);
        }
        else
        {
            Retract(_right, value.Row);
            foreach (var (other, count) in _leftMatches)
            {
                if (count.Associations == 1)
                {
                    Emit(output, semi ? RowKind.Delete : RowKind.Insert, _combine(other, default), count.Count);
                }

                _left.Put(other, count with { Associations = Math.Max(0, count.Associations - 1) });
            }
        }
    }

    /// <summary>Adds one copy of <paramref name="row"/>; every copy of a row matches the same rows, so
    /// <paramref name="associations"/> replaces the stored count of matches.</summary>
    private static void Add<TRow>(MapState<TRow, JoinRowCount> state, TRow row, long associations)
        where TRow : notnull
    {
        var count = state.TryGetValue(row, out var stored) ? stored.Count + 1 : 1;
        state.Put(row, new JoinRowCount(count, associations));
    }

    private static void Retract<TRow>(MapState<TRow, JoinRowCount> state, TRow row)
        where TRow : notnull
    {
        if (!state.TryGetValue(row, out var stored))
        {
            return;
        }

        if (stored.Count <= 1)
        {
            state.Remove(row);
        }
        else
        {
            state.Put(row, stored with { Count = stored.Count - 1 });
        }
    }

    private static void Emit(Collector<Change<TOut>> output, RowKind kind, TOut row, long times)
    {
        for (var i = 0; i < times; i++)
        {
            output.Collect(new Change<TOut>(kind, row));
        }
    }
}
