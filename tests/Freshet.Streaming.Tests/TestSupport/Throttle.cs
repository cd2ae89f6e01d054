using System.Diagnostics;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>
/// Slows a job's per-record work by a fixed amount of wall-clock time, so that a test can stop a job in the middle
/// of its input however fast or loaded the machine is. A spin count (<see cref="Thread.SpinWait"/>) is no substitute:
/// its duration differs by more than ten times between processors.
/// </summary>
public static class Throttle
{
    /// <summary>The time one throttled record takes at least: 40,000 records on two subtasks need 5 s or more.</summary>
    public static readonly TimeSpan PerRecord = TimeSpan.FromMicroseconds(250);

    /// <summary>Busy-waits for <see cref="PerRecord"/> on the calling thread (a busy wait, so the task stays runnable as a real computation would).</summary>
    public static void OneRecord()
    {
        var until = Stopwatch.GetTimestamp() + (long)(PerRecord.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(20);
        }
    }
}
