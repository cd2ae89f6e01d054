namespace Freshet.Log.Transactions;

/// <summary>
/// Where a transactional id's current transaction stands. The numeric values are those Kafka stores
/// in <c>__transaction_state</c>.
/// </summary>
public enum TransactionState : byte
{
    /// <summary>No transaction is open (after InitProducerId).</summary>
    Empty = 0,

    /// <summary>A transaction is open: partitions or group offsets have been added to it.</summary>
    Ongoing = 1,

    /// <summary>Commit decided and durable; markers are being written.</summary>
    PrepareCommit = 2,

    /// <summary>Abort decided and durable; markers are being written.</summary>
    PrepareAbort = 3,

    /// <summary>The last transaction committed: its markers and group offsets are written.</summary>
    CompleteCommit = 4,

    /// <summary>The last transaction aborted: its markers are written and its group offsets dropped.</summary>
    CompleteAbort = 5,
}
