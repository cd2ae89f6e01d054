using Freshet.Log.Records;

namespace Freshet.Log.Segments;

/// <summary>A batch found by <see cref="SegmentScanner"/>: its header, its byte position in the file, and its bytes (valid until the next scan step).</summary>
internal readonly record struct ScannedBatch(long Position, RecordBatchHeader Header, ReadOnlyMemory<byte> Bytes);
