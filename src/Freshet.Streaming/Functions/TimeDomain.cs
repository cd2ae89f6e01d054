namespace Freshet.Streaming.Functions;

/// <summary>Which clock a timer belongs to.</summary>
public enum TimeDomain
{
    /// <summary>Fires when the watermark reaches the timer's time.</summary>
    EventTime,

    /// <summary>Fires when the injected clock reaches the timer's time.</summary>
    ProcessingTime,
}
