using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Tests.Runtime;

/// <summary>The task mailbox: requests run on the draining thread, in order; a closed mailbox fails what waits and what comes.</summary>
public sealed class TaskMailboxTests
{
    [Fact]
    public void RunPending_QueuedRequests_RunOnTheDrainingThreadInOrder()
    {
        var mailbox = new TaskMailbox();
        var order = new List<int>();
        var threads = new List<int>();
        var wakes = 0;
        mailbox.Wake = () => wakes++;
        mailbox.Post(new Recorded(() => { order.Add(1); threads.Add(Environment.CurrentManagedThreadId); }));
        mailbox.Post(new Recorded(() => { order.Add(2); threads.Add(Environment.CurrentManagedThreadId); }));
        Assert.Empty(order);

        mailbox.RunPending();

        Assert.Equal([1, 2], order);
        Assert.All(threads, t => Assert.Equal(Environment.CurrentManagedThreadId, t));
        Assert.Equal(2, wakes);
        mailbox.RunPending();
        Assert.Equal(2, order.Count);
    }

    [Fact]
    public void Close_QueuedAndLaterRequests_FailWithoutRunning()
    {
        var mailbox = new TaskMailbox();
        var queued = new Recorded(() => throw new InvalidOperationException("must not run"));
        mailbox.Post(queued);

        mailbox.Close();

        Assert.IsType<TaskMailboxClosedException>(queued.Failure);
        Assert.Throws<TaskMailboxClosedException>(() => mailbox.Post(new Recorded(() => { })));
        mailbox.RunPending();
    }

    [Fact]
    public void IsTaskThread_OnlyOnTheBoundThread()
    {
        var mailbox = new TaskMailbox();
        Assert.False(mailbox.IsTaskThread);
        var thread = new Thread(() =>
        {
            mailbox.BindToCurrentThread();
        });
        thread.Start();
        thread.Join();
        Assert.False(mailbox.IsTaskThread);
        mailbox.BindToCurrentThread();
        Assert.True(mailbox.IsTaskThread);
    }

    private sealed class Recorded(Action run) : ITaskMailboxRequest
    {
        public Exception? Failure { get; private set; }

        public void Run() => run();

        public void Fail(Exception reason) => Failure = reason;
    }
}
