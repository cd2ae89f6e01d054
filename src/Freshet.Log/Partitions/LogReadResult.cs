namespace Freshet.Log.Partitions;

/// <summary>
/// Stored batches returned by a read, byte-for-byte as they are on disk, with the partition's
/// positions at the time of the read. <see cref="Records"/> holds whole batches only; the first
/// batch may start before the requested offset (a batch is never split), as in Kafka.
/// </summary>
/// <param name="Records">Whole RecordBatch v2 batches, possibly empty when the offset is the log end.</param>
/// <param name="LogStartOffset">First offset still stored.</param>
/// <param name="HighWatermark">Offset up to which data is readable by consumers.</param>
/// <param name="LogEndOffset">Offset the next appended record will get.</param>
public readonly record struct LogReadResult(ReadOnlyMemory<byte> Records, long LogStartOffset, long HighWatermark, long LogEndOffset);
