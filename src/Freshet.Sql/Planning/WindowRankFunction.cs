using Freshet.Sql.Runtime;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// SQL's window Top-N and window deduplication (Flink's WindowRank and WindowDeduplicate): ROW_NUMBER partitioned by
/// window_start and window_end (and other keys) of an append-only windowed input. The key is the PARTITION BY values;
/// the state is the key's first <c>End</c> rows in the ORDER BY order, kept sorted. An event-time timer at
/// window_end − 1 ms emits the rows numbered <see cref="RankRange"/> once, as inserts, and drops the state, so the
/// output is append-only and state lives only while a window is open. A row whose window the watermark has passed is
/// late and dropped, as Flink's window operators drop it. Ties keep arrival order, except that window deduplication
/// keeping the last row lets a later row win a tie. Runs on the task thread only.
/// </summary>
internal sealed class WindowRankFunction : KeyedProcessFunction<Row, Change<Row>, Change<Row>>
{
    private readonly IComparer<Row> _order;
    private readonly RankRange _range;
    private readonly bool _outputRankNumber;
    private readonly bool _laterWinsTies;
    private readonly int _windowEndKey;
    private readonly ISerializer<Row> _rowSerializer;
    private ListState<Row> _rows = null!;

    /// <param name="order">The ORDER BY of the ranking, over input rows.</param>
    /// <param name="range">The row numbers emitted.</param>
    /// <param name="outputRankNumber">Whether each output row carries its row number as an extra last field.</param>
    /// <param name="laterWinsTies">Whether a row ranks before earlier rows it ties with (deduplication keeping the last row).</param>
    /// <param name="windowEndKey">The position of window_end in the key row.</param>
    /// <param name="rowSerializer">The serializer of input rows, for state.</param>
    public WindowRankFunction(IComparer<Row> order, RankRange range, bool outputRankNumber, bool laterWinsTies, int windowEndKey, ISerializer<Row> rowSerializer)
    {
        _order = order;
        _range = range;
        _outputRankNumber = outputRankNumber;
        _laterWinsTies = laterWinsTies;
        _windowEndKey = windowEndKey;
        _rowSerializer = rowSerializer;
    }

    /// <inheritdoc/>
    public override void Open(RuntimeContext context) =>
        _rows = context.GetListState(new ListStateDescriptor<Row>("window-rank-rows") { Serializer = _rowSerializer });

    /// <inheritdoc/>
    public override void ProcessElement(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var lastTimestamp = SqlValues.ToEpochMillis(context.CurrentKey[_windowEndKey]!) - 1;
        if (lastTimestamp <= context.TimerService.CurrentWatermark)
        {
            return;
        }

        var stored = _rows.Get();
        var position = SortedRows.InsertionPoint(stored, value.Row, _order, _laterWinsTies);
        if (position >= _range.End)
        {
            return;
        }

        var rows = new List<Row>(stored.Count + 1);
        rows.AddRange(stored);
        rows.Insert(position, value.Row);
        if (rows.Count > _range.End)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        _rows.Update(rows);
        context.TimerService.RegisterEventTimeTimer(lastTimestamp);
    }

    /// <inheritdoc/>
    public override void OnTimer(long timestamp, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var rows = _rows.Get();
        for (var position = _range.Start - 1; position < rows.Count && position < _range.End; position++)
        {
            var row = rows[(int)position];
            output.Collect(Change.Insert(_outputRankNumber ? SortedRows.WithNumber(row, position + 1) : row));
        }

        _rows.Clear();
    }
}
