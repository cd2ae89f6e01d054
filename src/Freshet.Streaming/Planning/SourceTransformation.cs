using Freshet.Streaming.Operators;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Tasks;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Planning;

/// <summary>A source node: creates one reader per subtask.</summary>
internal sealed class SourceTransformation<T> : Transformation<T>
{
    private readonly Func<int, int, SourceReader<T>> _readerFactory;

    /// <param name="readerFactory">(subtask, parallelism) → reader.</param>
    public SourceTransformation(int id, string name, int parallelism, Func<int, int, SourceReader<T>> readerFactory, WatermarkStrategy<T> strategy)
        : base(id, name, parallelism, (Transformation?)null, InputPartitioning.Default)
    {
        _readerFactory = readerFactory;
        Strategy = strategy;
    }

    public WatermarkStrategy<T> Strategy { get; }

    public override StreamTask CreateSourceTask(string name, int subtask, OperatorBase head, OperatorMetricsCounter metrics, int batchSize, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout, Checkpoints.RestoredOperatorState? restored) =>
        new SourceTask<T>(name, _readerFactory(subtask, Parallelism), (Operator<T>)head, metrics, Strategy, batchSize, operators, processingTime, bufferTimeout)
        {
            SourceMetrics = metrics,
            SourceUid = Uid,
            RestoredPositions = restored,
        };
}
