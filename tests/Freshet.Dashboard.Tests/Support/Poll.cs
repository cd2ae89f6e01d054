namespace Freshet.Dashboard.Tests.Support;

/// <summary>Waits for a condition by polling, with a generous deadline so that a hang fails the test with a message instead of blocking.</summary>
public static class Poll
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Deadline);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Still waiting for: {what()}.");
            }

            await Task.Delay(100);
        }
    }

    public static Task UntilAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null) => UntilAsync(() => Task.FromResult(condition()), what, timeout);
}
