namespace Freshet.Streaming.Tests.Application.Membership;

/// <summary>Waits for a condition by polling, with a generous deadline so that a hang fails the test with a message instead of blocking.</summary>
public static class Poll
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => UntilAsync(condition, () => what, timeout);

    /// <param name="what">What is awaited, computed when the deadline passes (it may describe the state then).</param>
    public static async Task UntilAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Deadline);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Still waiting for: {what()}.");
            }

            await Task.Delay(20);
        }
    }
}
