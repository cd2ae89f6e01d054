namespace Freshet.Streaming.Runtime;

/// <summary>An operator that holds records back for batching and must send them once they have waited the buffer timeout.</summary>
internal interface IBufferedOutput
{
    /// <summary>Sends what has waited at least <paramref name="timeoutTicks"/> (Stopwatch ticks).</summary>
    void FlushIfOlderThan(long timeoutTicks);
}
