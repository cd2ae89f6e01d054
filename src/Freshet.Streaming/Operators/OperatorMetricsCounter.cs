using Freshet.Streaming.Jobs;

namespace Freshet.Streaming.Operators;

/// <summary>
/// The live counters of one operator subtask. Written only by its task thread, once per batch; read by any
/// thread without locks (values may lag by a batch; 64-bit reads and writes are atomic on the supported platforms).
/// </summary>
internal sealed class OperatorMetricsCounter
{
    public OperatorMetricsCounter(string operatorName, int subtask, int parallelism)
    {
        OperatorName = operatorName;
        Subtask = subtask;
        Parallelism = parallelism;
    }

    public string OperatorName { get; }

    /// <summary>The operator's stable id (the one its checkpointed state is stored under); empty where none applies.</summary>
    public string Uid { get; init; } = "";

    public int Subtask { get; }

    public int Parallelism { get; }

    public long RecordsIn;

    public long RecordsOut;

    /// <summary>
    /// Bytes of record keys and values a source connector read from its log or cluster (Kafka, log topic); 0 for other
    /// operators, whose records are objects rather than bytes. Added once per poll.
    /// </summary>
    public long BytesIn;

    /// <summary>Bytes of record keys and values a sink connector wrote (Kafka, log topic); 0 for other operators. Added once per written batch.</summary>
    public long BytesOut;

    /// <summary>The last watermark the operator processed (event time, ms); <see cref="long.MinValue"/> before the first.</summary>
    public long Watermark = long.MinValue;

    public OperatorMetrics Snapshot() => new(
        OperatorName,
        Subtask,
        Parallelism,
        Volatile.Read(ref RecordsIn),
        Volatile.Read(ref RecordsOut),
        Volatile.Read(ref Watermark));
}
