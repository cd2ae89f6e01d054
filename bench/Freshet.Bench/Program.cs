using BenchmarkDotNet.Running;
using Freshet.Bench.Broker;
using Freshet.Bench.Engine;
using Freshet.Bench.Log;
using Freshet.Bench.Nexmark;
using Freshet.Bench.Scaleout;
using Freshet.Bench.Transactions;

namespace Freshet.Bench;

/// <summary>
/// Entry point: <c>Freshet.Bench SUITE [options]</c>. Each suite measures Freshet side by side with
/// a baseline in the same run and ends its output with one <c>RESULT {json}</c> line.
/// </summary>
internal static class Program
{
    private static readonly (string Name, string Description, Func<string[], int> Run)[] Suites =
    [
        (LogSuite.Name, "log append/fsync/read/8-partition throughput against the raw disk", LogSuite.Run),
        (BrokerSuite.Name, "broker produce/consume throughput and latency against librdkafka's mock cluster", BrokerSuite.Run),
        (TransactionSuite.Name, "Kafka transactions on the embedded log: commit cost and read_committed reads against idempotent appends and plain reads", TransactionSuite.Run),
        (EngineSuite.Name, "stream engine: filter+map and tumbling windows over 20M in-memory events against hand-written loops", EngineSuite.Run),
        (NexmarkSuite.Name, "nexmark q0-q8 with the generator inside the job: events/s, per core, against the generator loop and Flink 1.13; --sql: the SQL queries against the DataStream jobs over one JSON log topic", NexmarkSuite.Run),
        (ScaleoutSuite.Name, "application mode: 1-3 instance processes against the single-process job, restore from changelogs against a plain consumer, failover time", ScaleoutSuite.Run),
        ("micro", "BenchmarkDotNet micro benchmarks (arguments go to BenchmarkSwitcher, e.g. --filter '*')", RunMicro),
    ];

    /// <summary>Sub-commands the suites start as child processes of this executable; not listed in the usage.</summary>
    private static readonly (string Name, Func<string[], int> Run)[] ChildCommands =
    [
        (ScaleoutInstanceCommand.Name, ScaleoutInstanceCommand.Run),
        (ScaleoutBrokerCommand.Name, ScaleoutBrokerCommand.Run),
    ];

    public static int Main(string[] args)
    {
        if (args.Length > 0)
        {
            foreach (var command in ChildCommands)
            {
                if (command.Name == args[0])
                {
                    return command.Run(args[1..]);
                }
            }

            foreach (var suite in Suites)
            {
                if (suite.Name == args[0])
                {
                    return suite.Run(args[1..]);
                }
            }

            Console.Error.WriteLine($"Unknown suite '{args[0]}'.");
        }

        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Freshet.Bench -- SUITE [options]");
        foreach (var suite in Suites)
        {
            Console.Error.WriteLine($"  {suite.Name,-8} {suite.Description}");
        }

        return 2;
    }

    private static int RunMicro(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
