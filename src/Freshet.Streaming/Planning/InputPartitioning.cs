namespace Freshet.Streaming.Planning;

/// <summary>How records of a node's input are distributed over the node's subtasks.</summary>
internal enum InputPartitioning
{
    /// <summary>Forward (chained) when the parallelism is equal, otherwise rebalance — resolved when the job is planned, as in Flink.</summary>
    Default,

    /// <summary>By key group of the record's key (<c>KeyBy</c>).</summary>
    Hash,

    /// <summary>Round robin (<c>Rebalance</c>).</summary>
    Rebalance,

    /// <summary>Every record to every subtask (<c>Broadcast</c>).</summary>
    Broadcast,

    /// <summary>Subtask i to subtask i in the same task (<c>Forward</c>); the parallelism must be equal.</summary>
    Forward,
}
