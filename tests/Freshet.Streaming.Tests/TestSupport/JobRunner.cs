using Freshet.Streaming.Jobs;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>Runs a job to completion with a deadline so that a hang fails the test instead of blocking the suite.</summary>
public static class JobRunner
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task<JobHandle> RunAsync(StreamEnvironment env, string name = "test")
    {
        var job = await env.ExecuteAsync(name);
        await job.Completion.WaitAsync(Deadline);
        return job;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes; <paramref name="describe"/> says what was seen instead.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Deadline);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time." + (describe is null ? "" : " " + describe()));
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Options for deterministic event-time tests: one subtask, one record per batch (a watermark after every record).</summary>
    public static StreamEnvironmentOptions PerRecord(int parallelism = 1) => new()
    {
        Parallelism = parallelism,
        BatchSize = 1,
        BufferTimeout = TimeSpan.FromMilliseconds(5),
    };
}
