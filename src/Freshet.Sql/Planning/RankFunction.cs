using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// SQL's Top-N (Flink's Rank with ROW_NUMBER): per partition key, the rows numbered <see cref="RankRange"/> in the
/// ORDER BY order, kept current as rows arrive and are withdrawn. The key is the PARTITION BY values; the state is one
/// list of the partition's rows sorted by the order (ties in arrival order). Over an append-only input a row that falls
/// past the range's end can never come back, so only the first <c>End</c> rows are kept (Flink's AppendFastStrategy);
/// over an updating input every row is kept, since a withdrawal brings the next one in (Flink's RetractStrategy).
/// <para>
/// Output, so that the materialised result is always the Top-N of the input so far: with the row number, each
/// position whose row changed is updated in place (<c>-U(old, n)</c>, <c>+U(new, n)</c>; <c>+I</c>/<c>-D</c> when a
/// position fills or empties), the position being the result's unique key; without it only rows entering or leaving
/// the range are emitted (<c>+I</c>/<c>-D</c>), so a row moving within the range costs nothing. A withdrawal of a row
/// that is not there is ignored. Runs on the task thread only.
/// </para>
/// </summary>
internal sealed class RankFunction : KeyedProcessFunction<Row, Change<Row>, Change<Row>>
{
    private readonly IComparer<Row> _order;
    private readonly RankRange _range;
    private readonly bool _outputRankNumber;
    private readonly bool _appendOnlyInput;
    private readonly ISerializer<Row> _rowSerializer;
    private ListState<Row> _rows = null!;

    /// <param name="order">The ORDER BY of the ranking, over input rows.</param>
    /// <param name="range">The row numbers kept.</param>
    /// <param name="outputRankNumber">Whether each output row carries its row number as an extra last field.</param>
    /// <param name="appendOnlyInput">Whether the input only inserts (then only the first <c>End</c> rows are kept).</param>
    /// <param name="rowSerializer">The serializer of input rows, for state.</param>
    public RankFunction(IComparer<Row> order, RankRange range, bool outputRankNumber, bool appendOnlyInput, ISerializer<Row> rowSerializer)
    {
        _order = order;
        _range = range;
        _outputRankNumber = outputRankNumber;
        _appendOnlyInput = appendOnlyInput;
        _rowSerializer = rowSerializer;
    }

    /// <inheritdoc/>
    public override void Open(RuntimeContext context) =>
        _rows = context.GetListState(new ListStateDescriptor<Row>("rank-sorted-rows") { Serializer = _rowSerializer });

    /// <inheritdoc/>
    public override void ProcessElement(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var stored = _rows.Get();
        var end = _range.End - 1;
        int position;
        if (value.IsAddition)
        {
            position = SortedRows.InsertionPoint(stored, value.Row, _order);
            if (_appendOnlyInput && position > end)
            {
                return;
            }
        }
        else
        {
            position = SortedRows.IndexOf(stored, value.Row, _order);
            if (position < 0)
            {
                return;
            }
        }

        var width = stored.Count + 1;
        var before = Slice(stored, position, width);
        var rows = new List<Row>(stored.Count + 1);
        rows.AddRange(stored);
        if (value.IsAddition)
        {
            rows.Insert(position, value.Row);
            if (_appendOnlyInput && rows.Count > _range.End)
            {
                rows.RemoveAt(rows.Count - 1);
            }
        }
        else
        {
            rows.RemoveAt(position);
        }

        if (rows.Count == 0)
        {
            _rows.Clear();
        }
        else
        {
            _rows.Update(rows);
        }

        if (position <= end)
        {
            Emit(before, Slice(rows, position, width), output);
        }
    }

    /// <summary>The rows at 0-based positions from max(<paramref name="changedFrom"/>, Start − 1) to
    /// min(End, <paramref name="width"/>) − 1, null past the list's end. Positions before the change are the same
    /// before and after it, and positions at or past <paramref name="width"/> are empty in both.</summary>
    private (long First, Row?[] Rows) Slice(IReadOnlyList<Row> rows, int changedFrom, long width)
    {
        var first = Math.Max(changedFrom, _range.Start - 1);
        var last = Math.Min(_range.End, width) - 1;
        if (first > last)
        {
            return (first, []);
        }

        var slice = new Row?[last - first + 1];
        for (var i = 0; i < slice.Length; i++)
        {
            slice[i] = SortedRows.At(rows, first + i);
        }

        return (first, slice);
    }

    private void Emit((long First, Row?[] Rows) before, (long First, Row?[] Rows) after, Collector<Change<Row>> output)
    {
        if (_outputRankNumber)
        {
            for (var i = 0; i < before.Rows.Length; i++)
            {
                var number = before.First + i + 1;
                var old = before.Rows[i];
                var current = after.Rows[i];
                if (old is null && current is not null)
                {
                    output.Collect(Change.Insert(SortedRows.WithNumber(current, number)));
                }
                else if (old is not null && current is null)
                {
                    output.Collect(Change.Delete(SortedRows.WithNumber(old, number)));
                }
                else if (old is not null && current is not null && !old.Equals(current))
                {
                    output.Collect(Change.UpdateBefore(SortedRows.WithNumber(old, number)));
                    output.Collect(Change.UpdateAfter(SortedRows.WithNumber(current, number)));
                }
            }

            return;
        }

        // One change moves at most one row out of the range and one in; the rest only shift.
        var counts = new Dictionary<Row, int>();
        foreach (var row in before.Rows)
        {
            if (row is not null)
            {
                counts[row] = counts.GetValueOrDefault(row) + 1;
            }
        }

        var entering = new List<Row>(1);
        foreach (var row in after.Rows)
        {
            if (row is null)
            {
                continue;
            }

            if (counts.GetValueOrDefault(row) > 0)
            {
                counts[row]--;
            }
            else
            {
                entering.Add(row);
            }
        }

        foreach (var (row, count) in counts)
        {
            for (var i = 0; i < count; i++)
            {
                output.Collect(Change.Delete(row));
            }
        }

        foreach (var row in entering)
        {
            output.Collect(Change.Insert(row));
        }
    }
}
