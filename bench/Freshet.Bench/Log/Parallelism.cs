using System.Diagnostics;

namespace Freshet.Bench.Log;

/// <summary>Starts writer threads together and times them from the common start to the last one's end.</summary>
internal static class Parallelism
{
    /// <param name="prepare">Called on the calling thread for each writer index; returns the work that thread runs.</param>
    public static TimeSpan RunWriters(int writers, Func<int, Action> prepare)
    {
        var work = new Action[writers];
        for (var i = 0; i < writers; i++)
        {
            work[i] = prepare(i);
        }

        using var start = new Barrier(writers + 1);
        Exception? failure = null;
        var threads = new Thread[writers];
        for (var i = 0; i < writers; i++)
        {
            var body = work[i];
            threads[i] = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            })
            {
                IsBackground = true,
                Name = $"bench-writer-{i}",
            };
            threads[i].Start();
        }

        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        var elapsed = clock.Elapsed;
        if (failure is not null)
        {
            throw new InvalidOperationException("A writer thread failed.", failure);
        }

        return elapsed;
    }
}
