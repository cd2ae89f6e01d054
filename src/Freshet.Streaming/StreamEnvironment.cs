using Freshet.Log.Records;
using Freshet.Log;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Runtime;
using Freshet.Streaming.Time;

namespace Freshet.Streaming;

/// <summary>
/// The entry point of a job (Flink's <c>StreamExecutionEnvironment</c>): create sources, transform the streams, add
/// sinks, then <see cref="ExecuteAsync"/>. An environment runs one job. Building the graph is not thread-safe (use
/// one thread); the running job is independent of the environment.
/// </summary>
public sealed partial class StreamEnvironment
{
    private readonly List<Transformation> _nodes = [];
    private bool _executed;

    private StreamEnvironment(StreamEnvironmentOptions options)
    {
        Options = options;
    }

    /// <summary>The environment's settings.</summary>
    public StreamEnvironmentOptions Options { get; }

    /// <summary>Creates an environment; <paramref name="options"/> default to <see cref="StreamEnvironmentOptions"/>'s defaults.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static StreamEnvironment Create(StreamEnvironmentOptions? options = null)
    {
        options ??= new StreamEnvironmentOptions();
        options.Validate();
        return new StreamEnvironment(options);
    }

    /// <summary>A bounded source of <paramref name="items"/>, read once in order by one subtask (parallelism 1).</summary>
    public DataStream<T> FromCollection<T>(IEnumerable<T> items, WatermarkStrategy<T>? watermarkStrategy = null, string name = "Collection Source")
    {
        ArgumentNullException.ThrowIfNull(items);
        var node = new SourceTransformation<T>(NextId(), name, 1, (_, _) => new CollectionSourceReader<T>(items), watermarkStrategy ?? WatermarkStrategy.NoWatermarks<T>())
        {
            FixedParallelism = true,
        };
        return Add(node);
    }

    /// <summary>
    /// A parallel source producing <c>generator(index)</c> for indexes <c>0 … count − 1</c> (unbounded when
    /// <paramref name="count"/> is null); subtask <c>s</c> of <c>p</c> produces indexes <c>s, s + p, …</c>. With
    /// <paramref name="recordsPerSecond"/>, the rate over all subtasks is limited (on the environment's clock).
    /// </summary>
    public DataStream<T> FromGenerator<T>(Func<long, T> generator, long? count = null, WatermarkStrategy<T>? watermarkStrategy = null, double? recordsPerSecond = null, string name = "Generator Source")
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (count is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "The count must not be negative.");
        }

        if (recordsPerSecond is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(recordsPerSecond), "The rate must be positive.");
        }

        var total = count ?? long.MaxValue;
        var rate = recordsPerSecond ?? 0;
        var node = new SourceTransformation<T>(NextId(), name, Options.Parallelism, (s, p) => new GeneratorSourceReader<T>(generator, total, rate, s, p), watermarkStrategy ?? WatermarkStrategy.NoWatermarks<T>());
        return Add(node);
    }

    /// <summary>
    /// A source reading a topic of an embedded <see cref="LogStore"/>: partition <c>i</c> is read by subtask
    /// <c>i % parallelism</c>, each partition with its own watermark. Without a timestamp assigner, a record's event
    /// time is the log record's timestamp.
    /// </summary>
    /// <param name="deserializer">Turns a stored record into a stream record.</param>
    public DataStream<T> FromLogTopic<T>(LogStore store, string topic, Func<LogRecord, T> deserializer, LogSourceOptions? options = null, WatermarkStrategy<T>? watermarkStrategy = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(deserializer);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        LogTopicSourceReader<T>.Converter convert = (LogRecord record, int _, out T value) =>
        {
            value = deserializer(record);
            return true;
        };
        return AddLogTopicSource(store, topic, convert, options, watermarkStrategy, name);
    }

    private DataStream<T> AddLogTopicSource<T>(LogStore store, string topic, LogTopicSourceReader<T>.Converter convert, LogSourceOptions? options, WatermarkStrategy<T>? watermarkStrategy, string? name)
    {
        options ??= new LogSourceOptions();
        var node = new SourceTransformation<T>(NextId(), name ?? $"Log Source: {topic}", Options.Parallelism, (s, p) => new LogTopicSourceReader<T>(store, topic, convert, options, s, p), watermarkStrategy ?? WatermarkStrategy.ForMonotonousTimestamps<T>());
        return Add(node);
    }

    /// <summary>
    /// Plans the job and starts it: one thread per task. Returns once the tasks are started; await
    /// <see cref="JobHandle.Completion"/> for the end. Cancelling <paramref name="cancellationToken"/> cancels the job.
    /// </summary>
    /// <exception cref="InvalidOperationException">The environment already ran a job, or the job graph is invalid.</exception>
    public Task<JobHandle> ExecuteAsync(string jobName = "Freshet Job", CancellationToken cancellationToken = default)
    {
        if (_executed)
        {
            throw new InvalidOperationException("This environment has already executed its job; create a new environment for another.");
        }

        _executed = true;
        var execution = new JobExecution(jobName, _nodes, Options);
        var handle = new JobHandle(execution);
        execution.Start();
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(execution.Cancel);
            execution.Completion.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }

        return Task.FromResult(handle);
    }

    internal int NextId() => _nodes.Count;

    internal DataStream<T> Add<T>(Transformation<T> node)
    {
        _nodes.Add(node);
        return new DataStream<T>(this, node);
    }

    internal void Register(Transformation node) => _nodes.Add(node);
}
