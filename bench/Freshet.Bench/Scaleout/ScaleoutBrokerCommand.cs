using System.Runtime.InteropServices;
using Freshet.Broker;
using Freshet.Log;
using Freshet.Log.Topics;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// The hidden sub-command <c>Freshet.Bench scaleout-broker DIR</c>: the Freshet broker as <c>freshet broker --data DIR</c>
/// runs it (a <see cref="LogStore"/> with the default topic configuration, <see cref="KafkaBroker"/> with default
/// <see cref="BrokerOptions"/>: 127.0.0.1, 3 s initial rebalance delay) but on a free port, in a process of its own so
/// that the suite can tell the broker's CPU time from the job's. Prints <c>listening HOST:PORT</c> once it serves;
/// SIGTERM, or the end of its standard input (the suite ended), stops it gracefully (requests in flight answered, log
/// flushed).
/// </summary>
internal static class ScaleoutBrokerCommand
{
    public const string Name = "scaleout-broker";

    public static int Run(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine($"usage: Freshet.Bench {Name} DATA-DIRECTORY");
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        ChildProcess.StopWhenParentEnds(() => stop.TrySetResult());
        using var store = LogStore.Open(args[0], new LogStoreOptions { DefaultTopicConfig = TopicConfig.Default });
        var broker = KafkaBroker.StartAsync(store, new BrokerOptions { Port = 0 }).GetAwaiter().GetResult();
        Console.WriteLine($"listening {broker.BootstrapAddress}");
        stop.Task.GetAwaiter().GetResult();
        broker.StopAsync().GetAwaiter().GetResult();
        return 0;
    }
}
