using Freshet.Streaming.Exchange;

namespace Freshet.Streaming.Operators;

/// <summary>The output of an operator whose stream nobody consumes: drops everything.</summary>
internal sealed class DiscardingOperator<T> : Operator<T>
{
    public override bool IsStateless => true;

    public DiscardingOperator(OperatorSetup setup)
        : base(setup)
    {
    }

    public override bool IsReported => false;

    protected override void ProcessBatch(StreamBatch<T> batch)
    {
    }

    protected override void OnWatermark(long watermark)
    {
    }

    protected override void OnIdle()
    {
    }

    protected override void OnFinish()
    {
    }
}
