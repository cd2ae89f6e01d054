using Freshet.Streaming.Sinks;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Connectors;

/// <summary>Flink's <c>blackhole</c> connector: accepts every change and discards it. Stateless; thread-safe.</summary>
internal sealed class BlackholeTableSink : Sink<Change<Row>>
{
    public override SinkWriter<Change<Row>> CreateWriter(SinkContext context) => new Writer();

    private sealed class Writer : SinkWriter<Change<Row>>
    {
        public override void Write(ReadOnlySpan<Change<Row>> values, ReadOnlySpan<long> timestamps)
        {
        }
    }
}
