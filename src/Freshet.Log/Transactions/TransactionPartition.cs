namespace Freshet.Log.Transactions;

/// <summary>A partition taking part in a transaction.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition number, from 0.</param>
public readonly record struct TransactionPartition(string Topic, int Partition);
