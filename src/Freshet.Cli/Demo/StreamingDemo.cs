using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Freshet.Broker;
using Freshet.Dashboard;
using Freshet.Log;
using Freshet.Log.Topics;
using Freshet.Streaming;
using Freshet.Streaming.Jobs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Freshet.Cli.Demo;

/// <summary>What <c>freshet demo</c> runs with.</summary>
/// <param name="DataDirectory">The log's directory; reused across runs so a restarted demo continues.</param>
/// <param name="Duration">Stop after the job has run this long; null runs until Ctrl+C or SIGTERM.</param>
/// <param name="Port">The embedded broker's port; when taken, a free port is used instead.</param>
/// <param name="ReadingsPerSecond">Rate of the generated sensor readings.</param>
/// <param name="Parallelism">Parallelism of the job.</param>
internal sealed record DemoOptions(string DataDirectory, TimeSpan? Duration, int Port = 9092, double ReadingsPerSecond = 5_000, int Parallelism = 2)
{
    /// <summary>The lowest level of the log's, the broker's and the job's events written to standard output.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = ConsoleLogging.DefaultLevel;

    /// <summary>The port of the job's dashboard and REST API on 127.0.0.1; null: none.</summary>
    public int? HttpPort { get; init; }

    /// <summary>The default data directory: the same every run, so a second run continues the first.</summary>
    public static string DefaultDataDirectory => Path.Combine(Path.GetTempPath(), "freshet-demo");
}

/// <summary>
/// <c>freshet demo</c>: opens (or creates) a data directory, serves it on an embedded Kafka-compatible broker so
/// kcat or any Kafka client can watch, generates sensor readings into <see cref="SensorDemoJob.InputTopic"/>, and
/// runs <see cref="SensorDemoJob"/> into <see cref="SensorDemoJob.OutputTopic"/> while showing live progress.
/// Ends after <see cref="DemoOptions.Duration"/> or on Ctrl+C/SIGTERM with a summary.
/// </summary>
internal static class StreamingDemo
{
    private const int InputPartitions = 4;

    public static async Task<int> RunAsync(DemoOptions options, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        using var stop = new CancellationTokenSource();
        void RequestStop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
        using var loggerFactory = ConsoleLogging.Create(options.LogLevel);
        LogStore store;
        try
        {
            store = LogStore.Open(options.DataDirectory, new LogStoreOptions { LoggerFactory = loggerFactory });
        }
        catch (Exception e) when (e is LogException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"freshet demo: cannot open the data directory {options.DataDirectory}: {e.Message}");
            return 1;
        }

        using (store)
        {
            EnsureTopics(store);
            await using var broker = await StartBrokerAsync(store, options.Port, loggerFactory).ConfigureAwait(false);
            console.MarkupLine($"[bold]Freshet demo[/] — data in [blue]{Markup.Escape(store.Directory)}[/]");
            console.MarkupLine($"Kafka-compatible broker on [green]{broker.BootstrapAddress}[/]; watch the results with:");
            console.MarkupLine($"  [grey]kcat -b {broker.BootstrapAddress} -C -t {SensorDemoJob.OutputTopic} -u[/]");
            console.MarkupLine(
                $"Job: readings below {SensorDemoJob.ThresholdCelsius} °C dropped → average per sensor over {SensorDemoJob.WindowSize.TotalSeconds:0} s windows every {SensorDemoJob.WindowSlide.TotalSeconds:0} s → top {SensorDemoJob.TopN} per window → [blue]{SensorDemoJob.OutputTopic}[/]");

            var env = StreamEnvironment.Create(new StreamEnvironmentOptions
            {
                Parallelism = options.Parallelism,
                LoggerFactory = loggerFactory,
                Checkpointing = new CheckpointingOptions
                {
                    Directory = Path.Combine(store.Directory, CheckpointDirectoryName),
                    Interval = CheckpointInterval,
                    RestartStrategy = RestartStrategy.ExponentialDelay(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), maxAttempts: 10),
                },
            });
            SensorDemoJob.Build(env, store, bounded: false);
            using var producer = new SensorProducer(store, new SensorFleet(sensors: 200, seed: Environment.TickCount), options.ReadingsPerSecond, TimeProvider.System);
            producer.Start();
            var job = await env.ExecuteAsync("freshet demo: hot sensors", CancellationToken.None).ConfigureAwait(false);
            if (job.RestoredFrom is { } restored)
            {
                output.WriteLine(
                    $"Recovered from checkpoint {restored.CheckpointId} ({restored.Directory}): windows, rankings in progress and input positions continue where it left off; results written after it are not written twice.");
                foreach (var skipped in restored.Skipped)
                {
                    output.WriteLine($"  skipped {skipped}");
                }
            }
            else
            {
                output.WriteLine($"Checkpoints every {CheckpointInterval.TotalSeconds:0} s into {Path.Combine(store.Directory, CheckpointDirectoryName)}; results are committed to {SensorDemoJob.OutputTopic} at each checkpoint (read_committed sees each once).");
            }

            DashboardServer? dashboard = null;
            if (options.HttpPort is { } httpPort)
            {
                try
                {
                    dashboard = await JobDashboard.StartAsync(job, new DashboardOptions { Port = httpPort, LoggerFactory = loggerFactory }).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException)
                {
                    error.WriteLine($"freshet demo: cannot serve the dashboard on http://127.0.0.1:{httpPort}/: {e.Message}");
                    await job.CancelAsync().ConfigureAwait(false);
                    return 1;
                }
            }

            await using var dashboardScope = dashboard;
            if (dashboard is not null)
            {
                console.MarkupLine($"Dashboard and REST API on [green]{dashboard.Address}[/] (Prometheus: {dashboard.Address}metrics)");
            }

            var progress = new DemoProgress(store, producer, job);
            var clock = Stopwatch.StartNew();
            if (options.Duration is { } duration)
            {
                // Counted from here, not from the process start: a slow start (a loaded machine) does not eat the run.
                stop.CancelAfter(duration);
            }

            if (console.Profile.Capabilities.Interactive)
            {
                await console.Live(progress.Render()).StartAsync(async live =>
                {
                    while (await WaitAsync(job, stop.Token).ConfigureAwait(false))
                    {
                        progress.Sample();
                        live.UpdateTarget(progress.Render());
                    }
                }).ConfigureAwait(false);
            }
            else
            {
                while (await WaitAsync(job, stop.Token).ConfigureAwait(false))
                {
                    progress.Sample();
                    output.WriteLine(progress.OneLine());
                }
            }

            producer.Dispose();
            if (job.Status == JobStatus.Running)
            {
                await job.CancelAsync().ConfigureAwait(false);
            }

            progress.Sample();
            store.Flush();
            console.WriteLine();
            console.Write(progress.Summary(clock.Elapsed));
            if (job.Status == JobStatus.Failed || producer.Failure is not null)
            {
                var reason = job.Completion.Exception?.InnerException?.Message ?? producer.Failure?.Message;
                error.WriteLine($"freshet demo: the job stopped with an error: {reason}");
                return 1;
            }
        }

        return 0;
    }

    /// <summary>The demo's checkpoint directory, inside its data directory.</summary>
    public const string CheckpointDirectoryName = "checkpoints";

    /// <summary>How often the demo checkpoints (and commits its output).</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(2);

    /// <summary>Waits one refresh period; false when the demo should stop (stop requested or the job ended).</summary>
    private static async Task<bool> WaitAsync(JobHandle job, CancellationToken stop)
    {
        var tick = Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
        var ended = await Task.WhenAny(tick, job.Completion, Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
        return ended == tick && !stop.IsCancellationRequested;
    }

    private static void EnsureTopics(LogStore store)
    {
        if (!store.TryDescribeTopic(SensorDemoJob.InputTopic, out _))
        {
            store.CreateTopic(SensorDemoJob.InputTopic, InputPartitions, TopicConfig.Default with { RetentionMs = (long)TimeSpan.FromHours(1).TotalMilliseconds });
        }

        if (!store.TryDescribeTopic(SensorDemoJob.OutputTopic, out _))
        {
            store.CreateTopic(SensorDemoJob.OutputTopic, 1);
        }
    }

    private static async Task<KafkaBroker> StartBrokerAsync(LogStore store, int port, Microsoft.Extensions.Logging.ILoggerFactory loggerFactory)
    {
        try
        {
            return await KafkaBroker.StartAsync(store, new BrokerOptions { Port = port, LoggerFactory = loggerFactory }).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // The port is taken (another broker, a previous demo): any free port will do for a demo.
            return await KafkaBroker.StartAsync(store, new BrokerOptions { Port = 0, LoggerFactory = loggerFactory }).ConfigureAwait(false);
        }
    }

    /// <summary>Samples the job's metrics and the output topic once per refresh and renders them. Used by one thread.</summary>
    private sealed class DemoProgress(LogStore store, SensorProducer producer, JobHandle job)
    {
        private readonly Stopwatch _sinceSample = Stopwatch.StartNew();
        private long _producedBefore;
        private long _readBefore;
        private long _emittedBefore;
        private long _outputOffset = store.GetPartition(SensorDemoJob.OutputTopic, 0).LogEndOffset;

        public long Produced { get; private set; }

        public long Read { get; private set; }

        public long Emitted { get; private set; }

        public double ProducedPerSecond { get; private set; }

        public double ReadPerSecond { get; private set; }

        public double EmittedPerSecond { get; private set; }

        public long? WatermarkLagMs { get; private set; }

        public long WindowsWritten { get; private set; }

        public HotSensors? Latest { get; private set; }

        public void Sample()
        {
            var seconds = Math.Max(_sinceSample.Elapsed.TotalSeconds, 0.001);
            _sinceSample.Restart();
            var metrics = job.GetMetrics();
            Checkpoints = job.GetCheckpointMetrics();
            Produced = producer.Produced;
            Read = metrics.Where(m => m.OperatorName == "Sensor readings").Sum(m => m.RecordsOut);
            Emitted = metrics.Where(m => m.OperatorName == "Top sensors").Sum(m => m.RecordsOut);
            ProducedPerSecond = (Produced - _producedBefore) / seconds;
            ReadPerSecond = (Read - _readBefore) / seconds;
            EmittedPerSecond = (Emitted - _emittedBefore) / seconds;
            (_producedBefore, _readBefore, _emittedBefore) = (Produced, Read, Emitted);
            var watermarks = metrics.Where(m => m.OperatorName == "Top sensors").Select(m => m.CurrentWatermark).ToArray();
            WatermarkLagMs = watermarks.Length > 0 && watermarks.Min() > long.MinValue
                ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - watermarks.Min()
                : null;
            ReadNewResults();
        }

        public Rows Render()
        {
            var stats = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("what").AddColumn("value");
            stats.AddRow("Readings generated", $"{Produced:N0}  ({ProducedPerSecond:N0}/s)");
            stats.AddRow("Read by the job", $"{Read:N0}  ({ReadPerSecond:N0}/s)");
            stats.AddRow("Rankings written", $"{Emitted:N0}  ({EmittedPerSecond:N1}/s)");
            stats.AddRow("Watermark lag", WatermarkLagMs is { } lag ? $"{lag / 1000.0:N1} s" : "waiting for the first watermark");
            stats.AddRow("Checkpoints", CheckpointLine());
            stats.AddRow("Job", job.Status.ToString());
            var ranking = new Table().Border(TableBorder.Simple).AddColumn("#").AddColumn("sensor").AddColumn(new TableColumn("avg °C").RightAligned()).AddColumn(new TableColumn("readings").RightAligned());
            if (Latest is not null)
            {
                for (var i = 0; i < Latest.Ranking.Count; i++)
                {
                    var entry = Latest.Ranking[i];
                    ranking.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(entry.SensorId), entry.AverageCelsius.ToString("N2", CultureInfo.InvariantCulture), entry.Readings.ToString(CultureInfo.InvariantCulture));
                }
            }

            var title = Latest is null ? "Hottest sensors: waiting for the first window to close" : $"Hottest sensors, window ending {WindowEnd(Latest):HH:mm:ss}";
            return new Rows(stats, new Markup($"[bold]{Markup.Escape(title)}[/]"), ranking, new Markup("[grey]Ctrl+C stops the demo.[/]"));
        }

        public string OneLine()
        {
            var top = Latest is not { Ranking.Count: > 0 } ? "no window closed yet" : $"top {Latest.Ranking[0].SensorId} {Latest.Ranking[0].AverageCelsius:N2} °C at {WindowEnd(Latest):HH:mm:ss}";
            var lag = WatermarkLagMs is { } l ? $"{l / 1000.0:N1} s" : "-";
            return string.Create(CultureInfo.InvariantCulture, $"generated {Produced:N0} ({ProducedPerSecond:N0}/s) | read {Read:N0} ({ReadPerSecond:N0}/s) | rankings {Emitted:N0} | watermark lag {lag} | checkpoints {Checkpoints.Completed} | {top}");
        }

        /// <summary>Checkpoint counters of the job, sampled with the other figures.</summary>
        public CheckpointMetrics Checkpoints { get; private set; } = new(0, 0, 0, 0, 0, 0, 0);

        private string CheckpointLine() => Checkpoints.Completed == 0
            ? "none completed yet"
            : string.Create(CultureInfo.InvariantCulture, $"{Checkpoints.Completed:N0} completed (last #{Checkpoints.LastCompletedId}, {Checkpoints.LastStateBytes / 1024.0:N1} KiB, sync {Checkpoints.LastSyncMs} ms, async {Checkpoints.LastAsyncMs} ms){(Checkpoints.Failed > 0 ? $", {Checkpoints.Failed} failed" : "")}");

        public Rows Summary(TimeSpan elapsed)
        {
            var lines = new List<IRenderable>
            {
                new Markup($"[bold]Summary[/] after {elapsed.TotalSeconds:N0} s: {Produced:N0} readings generated, {Read:N0} read by the job, {Emitted:N0} rankings produced; {WindowsWritten:N0} committed to [blue]{SensorDemoJob.OutputTopic}[/] and read back; checkpoints: {Markup.Escape(CheckpointLine())}."),
            };
            if (Latest is not null)
            {
                lines.Add(new Markup(Markup.Escape($"Last ranking (window ending {WindowEnd(Latest):HH:mm:ss}): " + string.Join(", ", Latest.Ranking.Select(r => $"{r.SensorId} {r.AverageCelsius:N2} °C")))));
            }

            lines.Add(new Markup($"Data kept in [blue]{Markup.Escape(store.Directory)}[/]; run [grey]freshet demo[/] again to continue from the last checkpoint."));
            return new Rows(lines);
        }

        private static DateTime WindowEnd(HotSensors result) => DateTimeOffset.FromUnixTimeMilliseconds(result.WindowEndMs).LocalDateTime;

        private void ReadNewResults()
        {
            // read_committed: only rankings of completed checkpoints, each once (aborted transactions are skipped).
            var partition = store.GetPartition(SensorDemoJob.OutputTopic, 0);
            foreach (var record in partition.ReadCommittedRecords(_outputOffset))
            {
                _outputOffset = record.Offset + 1;
                WindowsWritten++;
                if (record.Value is not null)
                {
                    Latest = SensorDemoJob.DecodeResult(record.Value);
                }
            }
        }
    }
}
