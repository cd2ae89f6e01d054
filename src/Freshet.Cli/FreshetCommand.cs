using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Freshet.Cli.Demo;
using Freshet.Cli.Demo.Instances;
using Freshet.Cli.Targets;
using Microsoft.Extensions.Logging;

namespace Freshet.Cli;

/// <summary>
/// The <c>freshet</c> command line: demo, log-walkthrough, broker, topics, produce, consume, groups, users, savepoint,
/// checkpoints, sql. Exit codes: 0 success, 1 a failure reported in one sentence on stderr (stack trace with
/// <c>--verbose</c>), 2 wrong arguments (with usage).
/// </summary>
internal static partial class FreshetCommand
{
    public const int Failure = 1;
    public const int UsageError = 2;

    private static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "On failure, show the full exception.", Recursive = true };

    /// <summary>Parses and runs <paramref name="args"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                error.WriteLine($"freshet: {problem.Message}");
            }

            var command = parse.CommandResult.Command;
            error.WriteLine($"Usage: run '{CommandPath(command)} --help' to see the arguments.");
            return UsageError;
        }

        // Commands that run until stopped (broker, demo, consume) handle SIGINT and SIGTERM themselves and take the time
        // their clean stop needs (a broker's flush, the application demo's exactly-once check); System.CommandLine's own
        // handling would end the process two seconds after the signal, with exit code 130.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command c; symbol = c.Parents.FirstOrDefault())
        {
            names.Insert(0, c is RootCommand ? "freshet" : c.Name);
        }

        return string.Join(' ', names);
    }

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Freshet: a Kafka-compatible log and a Flink-style stream processing engine for .NET.") { Verbose };
        root.Subcommands.Add(DemoCommand(output, error));
        root.Subcommands.Add(DemoInstanceCommandLine(output, error));
        root.Subcommands.Add(LogWalkthroughCommand(output, error));
        root.Subcommands.Add(BrokerCommandLine(output, error));
        root.Subcommands.Add(TopicsCommand(output, error));
        root.Subcommands.Add(ProduceCommand(output, error));
        root.Subcommands.Add(ConsumeCommand(output, error));
        root.Subcommands.Add(GroupsCommand(output, error));
        root.Subcommands.Add(AclsCommand(output, error));
        root.Subcommands.Add(UsersCommand(output, error));
        root.Subcommands.Add(SavepointCommand(output, error));
        root.Subcommands.Add(CheckpointsCommand(output, error));
        root.Subcommands.Add(SqlCommand(output, error));
        return root;
    }

    private static Command DemoCommand(TextWriter output, TextWriter error)
    {
        var data = new Option<string>("--data") { Description = "The data directory (kept between runs; with --instances a new or empty one, default a temporary one, removed).", DefaultValueFactory = _ => DemoOptions.DefaultDataDirectory };
        var duration = new Option<double?>("--duration", "--seconds") { Description = "Stop after the job has run this many seconds (default: until Ctrl+C; with --instances 60)." };
        var port = new Option<int>("--port") { Description = "Port of the embedded broker (a free one when taken; with --instances any free one unless given).", DefaultValueFactory = _ => BrokerCommand.DefaultPort };
        var rate = new Option<double>("--rate") { Description = "Sensor readings generated per second (default 5000; with --instances 500).", DefaultValueFactory = _ => 5_000 };
        var logLevel = LogLevelOption();
        var httpPort = new Option<int?>("--http-port") { HelpName = "PORT", Description = "Serve the job's dashboard and REST API at http://127.0.0.1:PORT/ (job graph, throughput, backpressure, checkpoints, exceptions; docs/rest-api.md), with /metrics for Prometheus; off by default. Not with --instances." };
        httpPort.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > 65535)
            {
                result.AddError("--http-port takes a number from 1 to 65535.");
            }
        });
        var instances = new Option<int?>("--instances") { Description = $"Run the job in application mode as this many processes (1 to {ApplicationDemo.MaxInstances}) sharing its tasks: one is killed with SIGKILL, its tasks move, and the output is checked exactly-once." };
        instances.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > ApplicationDemo.MaxInstances)
            {
                result.AddError($"--instances takes a number from 1 to {ApplicationDemo.MaxInstances}.");
            }
        });
        var command = new Command("demo", "Run a streaming job on the embedded log with a live view: sensor readings → drop glitches → moving average per sensor → top 3 per window. With --instances N, as N processes of one application.")
        {
            data, duration, port, rate, instances, logLevel, httpPort,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(instances) is not null && result.GetResult(httpPort) is not null)
            {
                result.AddError("--http-port serves one job process's dashboard; it cannot be combined with --instances.");
            }
        });
        command.SetAction((parse, _) => Guarded(parse, error, "demo", () =>
        {
            var seconds = parse.GetValue(duration);
            if (seconds is <= 0)
            {
                throw new ArgumentException("--duration must be positive.");
            }

            if (parse.GetValue(rate) is not (> 0 and <= 1_000_000))
            {
                throw new ArgumentException("--rate must be a positive number of readings per second, at most 1000000.");
            }

            if (parse.GetValue(instances) is { } count)
            {
                var applicationOptions = new ApplicationDemoOptions(
                    count,
                    seconds is { } limit ? TimeSpan.FromSeconds(limit) : ApplicationDemo.DefaultDuration,
                    parse.GetResult(data) is { Implicit: false } ? parse.GetValue(data) : null,
                    parse.GetResult(port) is { Implicit: false } ? parse.GetValue(port) : 0,
                    parse.GetResult(rate) is { Implicit: false } ? parse.GetValue(rate) : ApplicationDemo.DefaultReadingsPerSecond,
                    parse.GetResult(logLevel) is { Implicit: false } ? parse.GetValue(logLevel) : ApplicationDemo.DefaultLogLevel);
                return ApplicationDemo.RunAsync(applicationOptions, Spectre.Console.AnsiConsole.Console, output, error);
            }

            var options = new DemoOptions(parse.GetValue(data)!, seconds is { } s ? TimeSpan.FromSeconds(s) : null, parse.GetValue(port), parse.GetValue(rate)) { LogLevel = parse.GetValue(logLevel), HttpPort = parse.GetValue(httpPort) };
            return StreamingDemo.RunAsync(options, Spectre.Console.AnsiConsole.Console, output, error);
        }));
        return command;
    }

    /// <summary>The hidden <c>demo-instance</c> command: one process of <c>demo --instances N</c> (see <see cref="DemoInstanceCommand"/>).</summary>
    private static Command DemoInstanceCommandLine(TextWriter output, TextWriter error)
    {
        var bootstrap = new Option<string>("--bootstrap-server") { Description = "The demo's broker, host:port.", Required = true };
        var instance = new Option<string>("--instance") { Description = "This instance's name, also its static group instance id.", Required = true };
        var state = new Option<string>("--state") { Description = "This instance's state directory.", Required = true };
        var command = new Command(DemoInstanceCommand.Name, "One instance of 'freshet demo --instances N' (started by the demo).") { bootstrap, instance, state };
        command.Hidden = true;
        command.SetAction((parse, _) => Guarded(parse, error, DemoInstanceCommand.Name, () =>
            DemoInstanceCommand.RunAsync(parse.GetValue(bootstrap)!, parse.GetValue(instance)!, parse.GetValue(state)!, Console.In, output, error)));
        return command;
    }

    private static Command LogWalkthroughCommand(TextWriter output, TextWriter error)
    {
        var data = new Option<string?>("--data") { Description = "Keep the walkthrough's log in this directory (default: a temporary one, deleted)." };
        var command = new Command("log-walkthrough", "Walk through the embedded log: topics, every codec, reads, timestamp lookup, idempotent producers, retention, recovery.") { data };
        command.SetAction((parse, _) => Guarded(parse, error, "log-walkthrough", () => Task.FromResult(LogWalkthrough.Run(parse.GetValue(data), output))));
        return command;
    }

    private static Command BrokerCommandLine(TextWriter output, TextWriter error)
    {
        var data = new Option<string?>("--data") { Description = "The data directory to serve (Kafka: log.dirs)." };
        var port = PortOption(BrokerCommand.DefaultPort);
        var config = new Option<string?>("--config") { Description = "A Kafka-style properties file of broker settings (num.partitions, log.retention.hours, listeners, log.dirs, ...); flags override it." };
        var partitions = new Option<int?>("--num-partitions") { Description = "Partitions of automatically created topics and of CreateTopics without a count (Kafka: num.partitions, default 1)." };
        var autoCreate = new Option<bool?>("--auto-create-topics") { Description = "Create unknown topics a client's Metadata request asks for: true or false (Kafka: auto.create.topics.enable, default true)." };
        var overrides = new Option<string[]>("--override") { Description = "A broker setting as key=value in Kafka's names (e.g. log.retention.ms=3600000), applied after --config; repeatable.", AllowMultipleArgumentsPerToken = false };
        var maxFrameBytes = new Option<int?>("--socket-request-max-bytes") { Description = "Largest request in bytes; a larger one closes its connection (Kafka: socket.request.max.bytes, default 104857600)." };
        var queuedMaxRequestBytes = new Option<long?>("--queued-max-request-bytes") { Description = "Bytes of requests read but not yet handled, all connections together; connections wait when it is used up. At least --socket-request-max-bytes, or -1 for unbounded (Kafka: queued.max.request.bytes; default 268435456)." };
        var connectionsMaxIdleMs = new Option<long?>("--connections-max-idle-ms") { Description = "Close connections idle for this many milliseconds, -1 never (Kafka: connections.max.idle.ms, default 600000)." };
        var listeners = new Option<string?>("--listeners") { HelpName = "NAME://IP:PORT,...", Description = "Addresses to serve, Kafka's listeners, e.g. PLAINTEXT://127.0.0.1:9092,SSL://127.0.0.1:9093 (docs/security.md); not with --port." };
        var advertisedListeners = new Option<string?>("--advertised-listeners") { HelpName = "NAME://HOST:PORT,...", Description = "The address clients are told to use per listener, Kafka's advertised.listeners, e.g. SSL://broker.example.com:9093." };
        var logLevel = LogLevelOption();
        var metricsPort = new Option<int?>("--metrics-port") { HelpName = "PORT", Description = "Serve the broker's metrics for Prometheus at http://127.0.0.1:PORT/metrics (docs/operations.md); off by default." };
        metricsPort.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > 65535)
            {
                result.AddError("--metrics-port takes a number from 1 to 65535.");
            }
        });
        var httpPort = new Option<int?>("--http-port") { HelpName = "PORT", Description = "Serve the broker's dashboard and REST API at http://127.0.0.1:PORT/ (topics, consumer groups and lag, transactions; docs/rest-api.md), with /metrics for Prometheus; off by default." };
        httpPort.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > 65535)
            {
                result.AddError("--http-port takes a number from 1 to 65535.");
            }
        });
        var command = new Command("broker", "Serve a data directory to any Kafka client until Ctrl+C or SIGTERM.") { data, port, config, listeners, advertisedListeners, partitions, autoCreate, maxFrameBytes, queuedMaxRequestBytes, connectionsMaxIdleMs, overrides, logLevel, metricsPort, httpPort };
        command.Validators.Add(result =>
        {
            if (result.GetResult(data) is null && result.GetResult(config) is null)
            {
                result.AddError("Give --data DIR, or --config FILE that sets log.dirs.");
            }

            if (result.GetResult(port) is { Implicit: false } && result.GetResult(listeners) is not null)
            {
                result.AddError("--port and --listeners both say where to listen; give one (--port N is --listeners PLAINTEXT://127.0.0.1:N).");
            }
        });
        command.SetAction((parse, _) => Guarded(parse, error, "broker", () =>
        {
            var flags = new List<KeyValuePair<string, string>>(ParseConfig(parse.GetValue(overrides) ?? [], "--override"));
            if (parse.GetValue(listeners) is { } listening)
            {
                flags.Add(new("listeners", listening));
            }

            if (parse.GetValue(advertisedListeners) is { } advertised)
            {
                flags.Add(new("advertised.listeners", advertised));
            }

            if (parse.GetValue(partitions) is { } count)
            {
                flags.Add(new("num.partitions", count.ToString(CultureInfo.InvariantCulture)));
            }

            if (parse.GetValue(autoCreate) is { } enabled)
            {
                flags.Add(new("auto.create.topics.enable", enabled ? "true" : "false"));
            }

            if (parse.GetValue(maxFrameBytes) is { } frameBytes)
            {
                flags.Add(new("socket.request.max.bytes", frameBytes.ToString(CultureInfo.InvariantCulture)));
            }

            if (parse.GetValue(queuedMaxRequestBytes) is { } queuedBytes)
            {
                flags.Add(new("queued.max.request.bytes", queuedBytes.ToString(CultureInfo.InvariantCulture)));
            }

            if (parse.GetValue(connectionsMaxIdleMs) is { } idleMs)
            {
                flags.Add(new("connections.max.idle.ms", idleMs.ToString(CultureInfo.InvariantCulture)));
            }

            var settings = new BrokerCommandSettings(parse.GetValue(config), parse.GetValue(data), parse.GetResult(port) is { Implicit: false } ? parse.GetValue(port) : null, flags) { LogLevel = parse.GetValue(logLevel), MetricsPort = parse.GetValue(metricsPort), HttpPort = parse.GetValue(httpPort) };
            return BrokerCommand.RunAsync(settings, output, error);
        }));
        return command;
    }

    private static Command TopicsCommand(TextWriter output, TextWriter error)
    {
        var topics = new Command("topics", "List, create, describe and delete topics.");

        var list = new Command("list", "List the topics.");
        var (listBootstrap, listData) = AddTargetOptions(list);
        list.SetAction((parse, _) => WithTarget(parse, error, "topics list", listBootstrap, listData, target =>
        {
            foreach (var name in target.ListTopics())
            {
                output.WriteLine(name);
            }
        }));

        var createName = new Argument<string>("topic") { Description = "The topic's name." };
        var partitions = new Option<int>("--partitions", "-p") { Description = "Number of partitions.", DefaultValueFactory = _ => 1 };
        var config = new Option<string[]>("--config") { Description = "A topic setting as key=value (Kafka names, e.g. retention.ms=3600000); repeatable.", AllowMultipleArgumentsPerToken = false };
        var create = new Command("create", "Create a topic.") { createName, partitions, config };
        var (createBootstrap, createData) = AddTargetOptions(create);
        create.SetAction((parse, _) => WithTarget(parse, error, "topics create", createBootstrap, createData, target =>
        {
            var count = parse.GetValue(partitions);
            if (count < 1)
            {
                throw new ArgumentException("--partitions must be at least 1.");
            }

            var name = parse.GetValue(createName)!;
            target.CreateTopic(name, count, ParseConfig(parse.GetValue(config) ?? [], "--config"));
            output.WriteLine($"Created topic {name} with {count} partition{(count == 1 ? string.Empty : "s")}.");
        }));

        var describeName = new Argument<string>("topic") { Description = "The topic's name." };
        var describe = new Command("describe", "Show a topic's partitions (log start and end offsets) and settings.") { describeName };
        var (describeBootstrap, describeData) = AddTargetOptions(describe);
        describe.SetAction((parse, _) => WithTarget(parse, error, "topics describe", describeBootstrap, describeData, target =>
        {
            var info = target.DescribeTopic(parse.GetValue(describeName)!);
            output.WriteLine($"Topic {info.Name}: {info.Partitions.Count} partition(s), {info.Partitions.Sum(p => p.LogEndOffset - p.LogStartOffset)} record(s) retained");
            foreach (var p in info.Partitions)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  partition {p.Id}: log start offset {p.LogStartOffset}, log end offset {p.LogEndOffset}"));
            }

            foreach (var (key, value) in info.Config.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"  {key}={value}");
            }
        }));

        var deleteName = new Argument<string>("topic") { Description = "The topic's name." };
        var delete = new Command("delete", "Delete a topic and its data.") { deleteName };
        var (deleteBootstrap, deleteData) = AddTargetOptions(delete);
        delete.SetAction((parse, _) => WithTarget(parse, error, "topics delete", deleteBootstrap, deleteData, target =>
        {
            var name = parse.GetValue(deleteName)!;
            target.DeleteTopic(name);
            output.WriteLine($"Deleted topic {name}.");
        }));

        topics.Subcommands.Add(list);
        topics.Subcommands.Add(create);
        topics.Subcommands.Add(describe);
        topics.Subcommands.Add(delete);
        return topics;
    }

    private static Command ProduceCommand(TextWriter output, TextWriter error)
    {
        var topic = new Argument<string>("topic") { Description = "The topic to write to." };
        var separator = new Option<string?>("--key-separator") { Description = "Split each line at the first occurrence into key and value (default: no key)." };
        var command = new Command("produce", "Write each line of standard input as one record.") { topic, separator };
        var (bootstrap, data) = AddTargetOptions(command);
        command.SetAction((parse, _) => WithTarget(parse, error, "produce", bootstrap, data, target =>
        {
            var keySeparator = parse.GetValue(separator);
            if (keySeparator is { Length: 0 })
            {
                throw new ArgumentException("--key-separator must not be empty.");
            }

            var count = target.Produce(parse.GetValue(topic)!, ReadLines(Console.In, keySeparator));
            error.WriteLine($"Produced {count} record{(count == 1 ? string.Empty : "s")}.");
        }));
        return command;
    }

    private static Command ConsumeCommand(TextWriter output, TextWriter error)
    {
        var topic = new Argument<string>("topic") { Description = "The topic to read." };
        var group = new Option<string?>("--group", "-g") { Description = "Consumer group: start from its committed offsets and commit what was read." };
        var fromBeginning = new Option<bool>("--from-beginning") { Description = "Without a committed offset, start at the log start (default: at the end)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep waiting for new records (until Ctrl+C) instead of stopping at the end." };
        var maxMessages = new Option<long?>("--max-messages", "-n") { Description = "Stop after this many records." };
        var printKey = new Option<bool>("--print-key") { Description = "Print each record as key<TAB>value." };
        var command = new Command("consume", "Print the records of a topic, one per line.") { topic, group, fromBeginning, follow, maxMessages, printKey };
        var (bootstrap, data) = AddTargetOptions(command);
        command.SetAction((parse, cancellation) => WithTarget(parse, error, "consume", bootstrap, data, target =>
        {
            if (parse.GetValue(maxMessages) is <= 0)
            {
                throw new ArgumentException("--max-messages must be positive.");
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            void RequestStop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
            var withKey = parse.GetValue(printKey);
            var request = new ConsumeRequest(parse.GetValue(topic)!, parse.GetValue(group), parse.GetValue(fromBeginning), parse.GetValue(follow), parse.GetValue(maxMessages));
            target.Consume(request, record =>
            {
                var value = record.Value is null ? "null" : Encoding.UTF8.GetString(record.Value);
                output.WriteLine(withKey ? $"{(record.Key is null ? "null" : Encoding.UTF8.GetString(record.Key))}\t{value}" : value);
            }, stop.Token);
            output.Flush();
        }));
        return command;
    }

    /// <summary><c>--log-level</c>: the lowest level of log events written to the console (docs/operations.md).</summary>
    private static Option<LogLevel> LogLevelOption() => new("--log-level")
    {
        Description = "Lowest level of log events written to standard output: Trace, Debug, Information (default), Warning, Error, Critical or None.",
        DefaultValueFactory = _ => ConsoleLogging.DefaultLevel,
    };

    private static Option<int> PortOption(int defaultPort)
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 = any free port).", DefaultValueFactory = _ => defaultPort };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError("--port takes a number from 0 to 65535.");
            }
        });
        return port;
    }

    private static (Option<string?> Bootstrap, Option<string?> Data) AddTargetOptions(Command command)
    {
        var bootstrap = new Option<string?>("--bootstrap-server", "-b") { Description = "A Kafka-protocol broker, host:port (e.g. a running 'freshet broker')." };
        var data = new Option<string?>("--data") { Description = "A data directory, opened in this process (no broker may hold it)." };
        command.Options.Add(bootstrap);
        command.Options.Add(data);
        command.Validators.Add(result =>
        {
            var hasBootstrap = result.GetResult(bootstrap) is not null;
            var hasData = result.GetResult(data) is not null;
            if (hasBootstrap == hasData)
            {
                result.AddError("Give exactly one of --bootstrap-server HOST:PORT or --data DIR.");
            }
        });
        return (bootstrap, data);
    }

    private static Task<int> WithTarget(ParseResult parse, TextWriter error, string name, Option<string?> bootstrap, Option<string?> data, Action<ILogTarget> action) =>
        Guarded(parse, error, name, () =>
        {
            using ILogTarget target = parse.GetValue(bootstrap) is { } servers ? new BrokerTarget(servers) : new DataDirectoryTarget(parse.GetValue(data)!);
            action(target);
            return Task.FromResult(0);
        });

    /// <summary>Runs a command, turning failures into one sentence (and the stack trace with --verbose).</summary>
    private static async Task<int> Guarded(ParseResult parse, TextWriter error, string name, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"freshet {name}: {e.Message}");
            return UsageError;
        }
#pragma warning disable CA1031 // The command line reports every failure as a sentence rather than crashing with a trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error.WriteLine($"freshet {name}: {(e is CliException ? e.Message : $"{e.GetType().Name}: {e.Message}")}");
            if (parse.GetValue(Verbose))
            {
                error.WriteLine(e.ToString());
            }

            return Failure;
        }
    }

    private static Dictionary<string, string> ParseConfig(IEnumerable<string> settings, string option)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in settings)
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"{option} takes key=value, got '{setting}'.");
            }

            config[setting[..equals]] = setting[(equals + 1)..];
        }

        return config;
    }

    private static IEnumerable<(byte[]? Key, byte[] Value)> ReadLines(TextReader input, string? keySeparator)
    {
        while (input.ReadLine() is { } line)
        {
            var split = keySeparator is null ? -1 : line.IndexOf(keySeparator, StringComparison.Ordinal);
            yield return split < 0
                ? (null, Encoding.UTF8.GetBytes(line))
                : (Encoding.UTF8.GetBytes(line[..split]), Encoding.UTF8.GetBytes(line[(split + keySeparator!.Length)..]));
        }
    }
}
