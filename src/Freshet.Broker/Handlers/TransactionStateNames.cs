using Freshet.Log.Transactions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Kafka's names of transaction states, as DescribeTransactions reports them and ListTransactions filters
/// by them. Kafka also names two states Freshet's coordinator never enters (Dead, for an expired
/// transactional id, and PrepareEpochFence, a transient step of fencing); they are known names, so a filter
/// on them is not reported unknown, and they match nothing. Immutable; thread-safe.
/// </summary>
internal static class TransactionStateNames
{
    private static readonly string[] KafkaOnly = ["Dead", "PrepareEpochFence"];

    /// <summary>Kafka's name of <paramref name="state"/>.</summary>
    public static string Of(TransactionState state) => state switch
    {
        TransactionState.Empty => "Empty",
        TransactionState.Ongoing => "Ongoing",
        TransactionState.PrepareCommit => "PrepareCommit",
        TransactionState.PrepareAbort => "PrepareAbort",
        TransactionState.CompleteCommit => "CompleteCommit",
        TransactionState.CompleteAbort => "CompleteAbort",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown transaction state."),
    };

    /// <summary>Whether <paramref name="name"/> is one of Kafka's state names (case-sensitive, as in Kafka).</summary>
    public static bool IsKnown(string name)
    {
        foreach (var state in Enum.GetValues<TransactionState>())
        {
            if (Of(state) == name)
            {
                return true;
            }
        }

        return Array.IndexOf(KafkaOnly, name) >= 0;
    }
}
