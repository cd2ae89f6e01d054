namespace Freshet.Streaming.Functions;

/// <summary>
/// Called for each joined pair of an interval join (Flink's <c>ProcessJoinFunction</c>). Each subtask runs its own
/// shallow copy; calls come from that subtask's task thread.
/// </summary>
public abstract class ProcessJoinFunction<TLeft, TRight, TOut>
{
    /// <summary>Handles one pair; results get the pair's timestamp (the larger of the two event times).</summary>
    public abstract void ProcessElement(TLeft left, TRight right, ProcessJoinContext context, Collector<TOut> output);

    /// <summary>The copy one subtask runs.</summary>
    internal ProcessJoinFunction<TLeft, TRight, TOut> CopyForSubtask() => (ProcessJoinFunction<TLeft, TRight, TOut>)MemberwiseClone();
}

/// <summary>The event times of the pair a <see cref="ProcessJoinFunction{TLeft, TRight, TOut}"/> sees.</summary>
public abstract class ProcessJoinContext
{
    /// <summary>The left record's event time (ms).</summary>
    public abstract long LeftTimestamp { get; }

    /// <summary>The right record's event time (ms).</summary>
    public abstract long RightTimestamp { get; }

    /// <summary>The pair's timestamp: the larger of the two (ms).</summary>
    public long Timestamp => Math.Max(LeftTimestamp, RightTimestamp);
}
