using Freshet.Streaming.Operators;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Tasks;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Planning;

/// <summary>A source node: creates one reader per subtask, each with its <see cref="SourceReaderContext"/>.</summary>
internal sealed class SourceTransformation<T> : Transformation<T>
{
    private readonly Func<SourceReaderContext, SourceReader<T>> _readerFactory;

    /// <param name="readerFactory">The reader of one subtask (<see cref="Source{T}.CreateReader"/>, or a built-in connector's).</param>
    public SourceTransformation(int id, string name, int parallelism, Func<SourceReaderContext, SourceReader<T>> readerFactory, WatermarkStrategy<T> strategy)
        : base(id, name, parallelism, (Transformation?)null, InputPartitioning.Default)
    {
        _readerFactory = readerFactory;
        Strategy = strategy;
    }

    public WatermarkStrategy<T> Strategy { get; }

    /// <summary>The Kafka topic this source reads when it is a Kafka source, else null.</summary>
    public string? Topic { get; init; }

    public override string? SourceTopic => Topic;

    /// <summary>
    /// For a Kafka source: the reader of one application task's partition of <see cref="Topic"/>, resuming at the offset
    /// the task's group committed; null for sources of other kinds.
    /// </summary>
    public Func<TaskPlacement, SourceReaderContext, SourceReader<T>>? PartitionReaderFactory { get; init; }

    public override Transformation CopyForTask(int id, IReadOnlyList<Transformation> inputs, TaskPlacement placement)
    {
        var factory = PartitionReaderFactory ?? throw new InvalidOperationException($"'{Name}' cannot read a single partition, so it cannot run in application mode.");
        return new SourceTransformation<T>(id, Name, 1, context => factory(placement, context), Strategy)
        {
            Topic = Topic,
            ExplicitUid = Uid,
        };
    }

    public override StreamTask CreateSourceTask(string name, int subtask, OperatorBase head, OperatorMetricsCounter metrics, int batchSize, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout, Checkpoints.RestoredOperatorState? restored, bool checkpointingEnabled)
    {
        var context = new SourceReaderContext(subtask, Parallelism, checkpointingEnabled, processingTime);
        var reader = _readerFactory(context) ?? throw new InvalidOperationException($"The source '{Name}' created no reader for subtask {subtask} (CreateReader returned null).");
        return new SourceTask<T>(name, reader, (Operator<T>)head, metrics, Strategy, batchSize, operators, processingTime, bufferTimeout)
        {
            SourceMetrics = metrics,
            SourceUid = Uid,
            RestoredPositions = restored,
        };
    }
}
