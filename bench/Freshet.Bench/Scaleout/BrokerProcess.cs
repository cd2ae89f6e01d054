namespace Freshet.Bench.Scaleout;

/// <summary>The suite's broker: <see cref="ScaleoutBrokerCommand"/> in a child process over a data directory the caller owns. Disposing stops it with SIGTERM.</summary>
internal sealed class BrokerProcess : IDisposable
{
    private readonly ChildProcess _child;

    private BrokerProcess(ChildProcess child, string bootstrapServers)
    {
        _child = child;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }

    /// <summary>CPU seconds the broker process has used so far.</summary>
    public double CpuSeconds => _child.CpuSeconds;

    public static BrokerProcess Start(string dataDirectory)
    {
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = ChildProcess.Start("broker", ScaleoutBrokerCommand.Name, [dataDirectory], line =>
        {
            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                listening.TrySetResult(line["listening ".Length..].Trim());
            }
        });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!listening.Task.IsCompleted)
        {
            if (child.HasExited || DateTime.UtcNow > deadline)
            {
                var tail = child.Tail;
                child.Dispose();
                throw new InvalidOperationException($"The broker did not start: {tail}");
            }

            listening.Task.Wait(TimeSpan.FromMilliseconds(50));
        }

        return new BrokerProcess(child, listening.Task.Result);
    }

    public void Dispose()
    {
        _child.Terminate(TimeSpan.FromSeconds(30));
        _child.Dispose();
    }
}
