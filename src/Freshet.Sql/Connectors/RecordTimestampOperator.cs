using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Connectors;

/// <summary>
/// Sets each change's event time to the record timestamp its row asks for (a sink table's writable <c>timestamp</c>
/// metadata column), so that the sink writes it as the Kafka or log record's timestamp; a row whose column is NULL
/// keeps its event time. Passes watermarks on unchanged. Stateless; task thread only.
/// </summary>
internal sealed class RecordTimestampOperator : Operator<Change<Row>>
{
    private readonly Func<Row, long?> _timestampMs;
    private readonly Output<Change<Row>> _output;

    public RecordTimestampOperator(OperatorSetup setup, Func<Row, long?> timestampMs, Operator<Change<Row>> next)
        : base(setup)
    {
        _timestampMs = timestampMs;
        _output = new Output<Change<Row>>(next, setup.BatchSize, Metrics);
    }

    public override bool IsStateless => true;

    protected override void ProcessBatch(StreamBatch<Change<Row>> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            _output.Emit(values[i], _timestampMs(values[i].Row) ?? timestamps[i]);
        }

        _output.Flush();
    }

    protected override void OnWatermark(long watermark) => _output.Watermark(watermark);

    protected override void OnIdle() => _output.Idle();

    protected override void OnFinish() => _output.Finish();
}
