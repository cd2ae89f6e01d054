using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Tasks;
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
