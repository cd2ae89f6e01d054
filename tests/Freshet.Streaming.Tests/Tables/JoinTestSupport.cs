using CsCheck;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Operators;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>A left row of the join tests: value equality, serializable as JSON (RocksDB map keys).</summary>
public sealed record JoinLeft(int Key, int Value);

/// <summary>A right row of the join tests.</summary>
public sealed record JoinRight(int Key, int Value);

/// <summary>Inputs, direct computations and hand-driven operators for the join tests.</summary>
internal static class JoinTestSupport
{
    /// <summary>A valid changelog of a multiset of rows (keys 0..2, values 0..3): withdrawals only of rows present,
    /// additions as +I or +U and withdrawals as -D or -U at random.</summary>
    public static Gen<List<Change<TRow>>> Changelog<TRow>(Func<int, int, TRow> row) =>
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[0, 1000]).Array[0, 60].Select(ops =>
        {
            var present = new List<TRow>();
            var changes = new List<Change<TRow>>();
            foreach (var (choice, key, value, pick) in ops)
            {
                if (choice < 6 || present.Count == 0)
                {
                    var added = row(key, value);
                    present.Add(added);
                    changes.Add(new Change<TRow>(choice % 2 == 0 ? RowKind.Insert : RowKind.UpdateAfter, added));
                }
                else
                {
                    var withdrawn = present[pick % present.Count];
                    present.RemoveAt(pick % present.Count);
                    changes.Add(new Change<TRow>(choice % 2 == 0 ? RowKind.Delete : RowKind.UpdateBefore, withdrawn));
                }
            }

            return changes;
        });

    /// <summary>A normalised table changelog (keys 0..3, values "v0".."v9") of random upserts and deletes.</summary>
    public static Gen<List<Change<KeyValuePair<int, string>>>> TableChangelog() =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 9], Gen.Int[0, 4]).Array[0, 40].Select(ops =>
        {
            var current = new Dictionary<int, string>();
            var changes = new List<Change<KeyValuePair<int, string>>>();
            foreach (var (key, number, choice) in ops)
            {
                var value = "v" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var had = current.TryGetValue(key, out var old);
                if (choice == 0)
                {
                    if (had)
                    {
                        changes.Add(Change.Delete(KeyValuePair.Create(key, old!)));
                        current.Remove(key);
                    }
                }
                else if (had)
                {
                    changes.Add(Change.UpdateBefore(KeyValuePair.Create(key, old!)));
                    changes.Add(Change.UpdateAfter(KeyValuePair.Create(key, value)));
                    current[key] = value;
                }
                else
                {
                    changes.Add(Change.Insert(KeyValuePair.Create(key, value)));
                    current[key] = value;
                }
            }

            return changes;
        });

    /// <summary>
    /// Checks that <paramref name="changes"/> is normalised per key (the <see cref="Table{TKey, TValue}"/> invariant:
    /// +I of an absent key, -U of the current row immediately followed, for that key, by +U, -D of the current row)
    /// and returns the table it ends with.
    /// </summary>
    public static Dictionary<TKey, TValue> MaterializeTable<TKey, TValue>(IEnumerable<Change<KeyValuePair<TKey, TValue>>> changes)
        where TKey : notnull
    {
        var table = new Dictionary<TKey, TValue>();
        var awaitingUpdateAfter = new HashSet<TKey>();
        foreach (var change in changes)
        {
            var (key, value) = change.Row;
            var had = table.TryGetValue(key, out var current);
            Assert.True(change.Kind == RowKind.UpdateAfter || !awaitingUpdateAfter.Contains(key), $"{change}: a -U of this key is not followed by its +U");
            switch (change.Kind)
            {
                case RowKind.Insert:
                    Assert.False(had, $"{change}: +I of a key that has a row");
                    table[key] = value;
                    break;
                case RowKind.UpdateBefore:
                    Assert.True(had && Equals(current, value), $"{change}: -U of another row than the current one ({current})");
                    awaitingUpdateAfter.Add(key);
                    break;
                case RowKind.UpdateAfter:
                    Assert.True(awaitingUpdateAfter.Remove(key), $"{change}: +U without its -U");
                    table[key] = value;
                    break;
                case RowKind.Delete:
                    Assert.True(had && Equals(current, value), $"{change}: -D of another row than the current one ({current})");
                    table.Remove(key);
                    break;
            }
        }

        Assert.Empty(awaitingUpdateAfter);
        return table;
    }

    /// <summary>The output row of a left and a right row, "-" for a missing side.</summary>
    public static string Combine(JoinLeft? left, JoinRight? right) =>
        $"{left?.Key ?? right!.Key}:{left?.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}|{right?.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";

    /// <summary>The multiset a changelog describes (row → count); throws if it withdraws a row that is not there.</summary>
    public static Dictionary<T, int> Materialize<T>(IEnumerable<Change<T>> changes)
        where T : notnull
    {
        var rows = new Dictionary<T, int>();
        foreach (var change in changes)
        {
            rows.TryGetValue(change.Row, out var count);
            count += change.IsAddition ? 1 : -1;
            if (count < 0)
            {
                throw new InvalidOperationException($"{change} withdraws a row that is not in the result.");
            }

            if (count == 0)
            {
                rows.Remove(change.Row);
            }
            else
            {
                rows[change.Row] = count;
            }
        }

        return rows;
    }

    /// <summary>The join of two multisets computed directly, as a sorted list with one entry per copy.</summary>
    public static List<string> DirectJoin(IEnumerable<Change<JoinLeft>> leftChanges, IEnumerable<Change<JoinRight>> rightChanges, ChangelogJoinType type, Func<JoinLeft, JoinRight, bool>? condition)
    {
        var left = Materialize(leftChanges);
        var right = Materialize(rightChanges);
        var result = new List<string>();
        foreach (var (l, lc) in left)
        {
            var matches = right.Where(r => r.Key.Key == l.Key && (condition is null || condition(l, r.Key))).ToList();
            if (type is ChangelogJoinType.Semi or ChangelogJoinType.Anti)
            {
                if ((matches.Count > 0) == (type == ChangelogJoinType.Semi))
                {
                    result.AddRange(Enumerable.Repeat(Combine(l, null), lc));
                }

                continue;
            }

            foreach (var (r, rc) in matches)
            {
                result.AddRange(Enumerable.Repeat(Combine(l, r), lc * rc));
            }

            if (matches.Count == 0 && type is ChangelogJoinType.Left or ChangelogJoinType.Full)
            {
                result.AddRange(Enumerable.Repeat(Combine(l, null), lc));
            }
        }

        if (type is ChangelogJoinType.Right or ChangelogJoinType.Full)
        {
            foreach (var (r, rc) in right)
            {
                if (!left.Keys.Any(l => l.Key == r.Key && (condition is null || condition(l, r))))
                {
                    result.AddRange(Enumerable.Repeat(Combine(null, r), rc));
                }
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>A multiset (row → count) as a sorted list with one entry per copy.</summary>
    public static List<string> Expand(Dictionary<string, int> rows)
    {
        var list = rows.SelectMany(r => Enumerable.Repeat(r.Key, r.Value)).ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>A table built directly from its changelog (records carry event time <c>Time</c> when a watermark
    /// strategy is given); the changelog must already be normalised per key.</summary>
    public static Table<TKey, TValue> TableOf<TKey, TValue>(StreamEnvironment env, IEnumerable<Change<KeyValuePair<TKey, TValue>>> changes, WatermarkStrategy<Change<KeyValuePair<TKey, TValue>>>? watermarks = null, string name = "Table Source")
        where TKey : notnull =>
        new(env.FromCollection(changes, watermarks, name));

    /// <summary>
    /// A two-input keyed function run in a hand-built operator subtask (the planner's operator, without a job), so
    /// that a test can feed one record at a time in a chosen order across both inputs and look at the output after each.
    /// </summary>
    public sealed class DrivenCoProcess<TKey, T1, T2, TOut> : IDisposable
        where TKey : notnull
    {
        private readonly KeyedProcessOperator<TKey, TaggedUnion<T1, T2>, TOut> _operator;
        private readonly CollectingOperator<TOut> _output;

        public DrivenCoProcess(KeyedCoProcessFunction<TKey, T1, T2, TOut> function, Func<T1, TKey> key1, Func<T2, TKey> key2, StateBackend backend, ManualClock clock)
        {
            var setup = OperatorSetups.For(backend, new ProcessingTimeService(clock), "join");
            _output = new CollectingOperator<TOut>(setup);
            _operator = new KeyedProcessOperator<TKey, TaggedUnion<T1, T2>, TOut>(setup, new Adapter(function.CopyForSubtask()), u => u.IsSecond ? key2(u.Second) : key1(u.First), _output);
            _operator.Open();
        }

        public IReadOnlyList<(TOut Value, long Timestamp)> Output => _output.Records;

        public void First(T1 value, long timestamp = 0) => OperatorSetups.Feed(_operator, [(TaggedUnion<T1, T2>.OfFirst(value), timestamp)]);

        public void Second(T2 value, long timestamp = 0) => OperatorSetups.Feed(_operator, [(TaggedUnion<T1, T2>.OfSecond(value), timestamp)]);

        public void Dispose() => _operator.Close();

        private sealed class Adapter(KeyedCoProcessFunction<TKey, T1, T2, TOut> function) : KeyedProcessFunction<TKey, TaggedUnion<T1, T2>, TOut>
        {
            public override void Open(RuntimeContext context) => function.Open(context);

            public override void ProcessElement(TaggedUnion<T1, T2> value, KeyedProcessContext<TKey> context, Collector<TOut> output)
            {
                if (value.IsSecond)
                {
                    function.ProcessElement2(value.Second, context, output);
                }
                else
                {
                    function.ProcessElement1(value.First, context, output);
                }
            }
        }
    }
}
