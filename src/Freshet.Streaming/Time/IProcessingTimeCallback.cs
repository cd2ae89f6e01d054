namespace Freshet.Streaming.Time;

/// <summary>An operator that wants to be called on its task thread when processing time reaches a scheduled time.</summary>
internal interface IProcessingTimeCallback
{
    /// <summary>Called with the current processing time (Unix ms), at or after the scheduled time.</summary>
    void OnProcessingTime(long nowMs);
}
