using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>The end of a chain built by hand in a test: keeps every record it receives with its event time, and the last watermark.</summary>
internal sealed class CollectingOperator<T>(OperatorSetup setup) : Operator<T>(setup)
{
    public List<(T Value, long Timestamp)> Records { get; } = [];

    public long LastWatermark { get; private set; } = long.MinValue;

    protected override void ProcessBatch(StreamBatch<T> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            Records.Add((batch.Values[i], batch.Timestamps[i]));
        }
    }

    protected override void OnWatermark(long watermark) => LastWatermark = watermark;

    protected override void OnIdle()
    {
    }

    protected override void OnFinish()
    {
    }
}
