using Freshet.Sql.Syntax;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// Checks that a scalar subquery's relation holds at most one row (Flink's SINGLE_VALUE): all its changes arrive
/// under one key, the number of rows it holds is kept in keyed state, and a change that would make it two throws
/// <see cref="SqlRuntimeException"/>, which fails the job. Changes are passed on unchanged. Runs on the task thread.
/// </summary>
internal sealed class SingleValueFunction : KeyedProcessFunction<Row, Change<Row>, Change<Row>>
{
    private readonly SqlSpan _span;
    private ValueState<long> _rows = null!;

    /// <param name="span">The scalar subquery, for the error.</param>
    public SingleValueFunction(SqlSpan span) => _span = span;

    /// <inheritdoc/>
    public override void Open(RuntimeContext context) =>
        _rows = context.GetState(new ValueStateDescriptor<long>("single-value-rows"));

    /// <inheritdoc/>
    public override void ProcessElement(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var rows = _rows.HasValue ? _rows.Value : 0;
        rows = value.IsAddition ? rows + 1 : Math.Max(0, rows - 1);
        if (rows > 1)
        {
            throw new SqlRuntimeException("A scalar subquery returned more than one row", _span);
        }

        if (rows == 0)
        {
            _rows.Clear();
        }
        else
        {
            _rows.Update(rows);
        }

        output.Collect(value);
    }
}
