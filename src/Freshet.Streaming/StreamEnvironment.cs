using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Sources;
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
    /// <summary>
    /// The name of the engine's <see cref="System.Diagnostics.Metrics.Meter"/>: records, watermarks, checkpoints and
    /// restarts of running jobs (docs/operations.md, "Metrics"). Collect it with, for example, OpenTelemetry's
    /// <c>AddMeter(StreamEnvironment.MeterName)</c>.
    /// </summary>
    public const string MeterName = "Freshet.Streaming";

    private readonly List<Transformation> _nodes = [];
    private readonly HashSet<string> _queryableTableNames = new(StringComparer.Ordinal);
    private readonly List<Action<Queryable.QueryableStateRegistry>> _queryableDeclarations = [];
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
        var node = new SourceTransformation<T>(NextId(), name, 1, _ => new CollectionSourceReader<T>(items), watermarkStrategy ?? WatermarkStrategy.NoWatermarks<T>())
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
        var node = new SourceTransformation<T>(NextId(), name, Options.Parallelism, context => new GeneratorSourceReader<T>(generator, total, rate, context), watermarkStrategy ?? WatermarkStrategy.NoWatermarks<T>());
        return Add(node);
    }

    /// <summary>
    /// A stream read from <paramref name="source"/> (Flink's <c>env.fromSource</c>): one reader per subtask, at the
    /// environment's parallelism unless <see cref="DataStream{T}.SetParallelism"/> says otherwise. Event times and
    /// watermarks come from <paramref name="watermarkStrategy"/>, per split of each reader (see
    /// <see cref="SourceOutput{T}"/>); without one, records keep the source's own timestamps and no watermarks are
    /// generated. In a job with checkpoints the source's readers must have positions
    /// (<see cref="SourceReader{T}.SupportsPositions"/>).
    /// </summary>
    /// <param name="source">The source; <see cref="Source{T}.CreateReader"/> is called for every subtask at each start and restart.</param>
    /// <param name="watermarkStrategy">Timestamp assigner, out-of-orderness bound and idleness timeout; default <see cref="WatermarkStrategy.NoWatermarks{T}"/>.</param>
    /// <param name="name">The source's name in task names, metrics and errors; default <c>Source: </c> and the source's type name.</param>
    public DataStream<T> FromSource<T>(Source<T> source, WatermarkStrategy<T>? watermarkStrategy = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var node = new SourceTransformation<T>(NextId(), name ?? $"Source: {SourceTypeName(source.GetType())}", Options.Parallelism, source.CreateReader, watermarkStrategy ?? WatermarkStrategy.NoWatermarks<T>());
        return Add(node);
    }

    /// <summary>
    /// Plans the job and starts it: one thread per task. Returns once the tasks are started; await
    /// <see cref="JobHandle.Completion"/> for the end. Cancelling <paramref name="cancellationToken"/> cancels the job.
    /// In application mode (<see cref="StreamEnvironmentOptions.Application"/>) this process joins the application as
    /// one instance and returns once it is a member of the application's group; the tasks it is given start then.
    /// </summary>
    /// <exception cref="InvalidOperationException">The environment already ran a job, or the job graph is invalid (or cannot run in application mode).</exception>
    public async Task<JobHandle> ExecuteAsync(string jobName = "Freshet Job", CancellationToken cancellationToken = default)
    {
        if (_executed)
        {
            throw new InvalidOperationException("This environment has already executed its job; create a new environment for another.");
        }

        _executed = true;
        var queryableStates = new Queryable.QueryableStateRegistry { IsApplicationMode = Options.Application is not null };
        var options = Options with { QueryableStates = queryableStates };
        if (options.Application is null)
        {
            // Tables of Table.Queryable are known from the start (their reads say "being restored" until a subtask opens);
            // in application mode a table's parts are partitions, known only once the topology is cut.
            foreach (var declare in _queryableDeclarations)
            {
                declare(queryableStates);
            }
        }

        IJobControl control;
        if (options.Application is not null)
        {
            var instance = new Application.Instance.ApplicationInstance(jobName, _nodes, options);
            await instance.StartAsync(cancellationToken).ConfigureAwait(false);
            control = instance;
        }
        else
        {
            var execution = new JobExecution(jobName, _nodes, options);
            execution.Start();
            control = execution;
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(control.Cancel);
            _ = control.Completion.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }

        queryableStates.Status = () => control.Status;
        return new JobHandle(control, queryableStates);
    }

    internal int NextId() => _nodes.Count;

    /// <summary>Reserves <paramref name="name"/> for one queryable table of this job (<c>Table.Queryable</c>).</summary>
    /// <exception cref="ArgumentException">The name is empty or blank.</exception>
    /// <exception cref="InvalidOperationException">Another table of this job already has the name.</exception>
    /// <param name="declare">Declares the table in the job's registry when the job starts (outside application mode).</param>
    internal void ClaimQueryableTableName(string name, Action<Queryable.QueryableStateRegistry> declare)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_queryableTableNames.Add(name))
        {
            throw new InvalidOperationException($"The job already has a queryable table named '{name}'; queryable names must be unique within a job.");
        }

        _queryableDeclarations.Add(declare);
    }

    /// <summary><c>NdjsonSource</c> for <c>NdjsonSource`1</c>: a generic type's name without its arity.</summary>
    private static string SourceTypeName(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    /// <summary>The job graph built so far, in the order nodes were added (a node's id is its index).</summary>
    internal IReadOnlyList<Transformation> Nodes => _nodes;

    internal DataStream<T> Add<T>(Transformation<T> node)
    {
        _nodes.Add(node);
        return new DataStream<T>(this, node);
    }

    internal void Register(Transformation node) => _nodes.Add(node);
}
