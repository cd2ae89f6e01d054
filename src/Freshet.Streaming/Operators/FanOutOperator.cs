using Freshet.Streaming.Exchange;

namespace Freshet.Streaming.Operators;

/// <summary>
/// Passes every batch and control element to several operators in turn (a stream consumed more than once).
/// The batch is shared: receivers only read it (see <see cref="StreamBatch{T}"/>).
/// </summary>
internal sealed class FanOutOperator<T> : Operator<T>
{
    public override bool IsStateless => true;

    private readonly Operator<T>[] _targets;

    public FanOutOperator(OperatorSetup setup, Operator<T>[] targets)
        : base(setup)
    {
        _targets = targets;
    }

    public override bool IsReported => false;

    protected override void ProcessBatch(StreamBatch<T> batch)
    {
        foreach (var target in _targets)
        {
            target.Process(batch);
        }
    }

    protected override void OnWatermark(long watermark)
    {
        foreach (var target in _targets)
        {
            target.Watermark(watermark);
        }
    }

    protected override void OnIdle()
    {
        foreach (var target in _targets)
        {
            target.Idle();
        }
    }

    protected override void OnFinish()
    {
        foreach (var target in _targets)
        {
            target.Finish();
        }
    }
}
