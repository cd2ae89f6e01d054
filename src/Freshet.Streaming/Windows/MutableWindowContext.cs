using Freshet.Streaming.Functions;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Windows;

/// <summary>The <see cref="ProcessWindowContext"/> of one operator subtask, updated before each firing and reused.</summary>
internal sealed class MutableWindowContext : ProcessWindowContext
{
    private readonly ProcessingTimeService _processingTime;

    public MutableWindowContext(ProcessingTimeService processingTime)
    {
        _processingTime = processingTime;
    }

    public TimeWindow CurrentWindow { get; set; }

    public long Watermark { get; set; }

    public override TimeWindow Window => CurrentWindow;

    public override long CurrentWatermark => Watermark;

    public override long CurrentProcessingTime => _processingTime.Now;
}
