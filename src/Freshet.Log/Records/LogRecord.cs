namespace Freshet.Log.Records;

/// <summary>
/// One record of a Kafka RecordBatch v2, decoded: its absolute offset, timestamp, key, value and
/// headers. <see cref="RecordBatchReader"/> produces these; <see cref="RecordBatchBuilder"/> accepts them.
/// A null <see cref="Key"/> or <see cref="Value"/> is distinct from an empty one, as on the wire
/// (length -1); a null value is a tombstone on a compacted topic.
/// </summary>
/// <remarks>
/// The byte arrays are held by reference, not copied: the type is immutable only as long as no one
/// mutates them. Equality is reference equality; compare contents explicitly where needed.
/// </remarks>
public sealed class LogRecord
{
    /// <summary>Creates a record for writing; <see cref="Offset"/> stays 0 unless set with an initializer.</summary>
    /// <param name="timestamp">Milliseconds since the Unix epoch (create time).</param>
    /// <param name="key">The key, or null for none.</param>
    /// <param name="value">The value, or null for a tombstone.</param>
    /// <param name="headers">The headers, or null for none.</param>
    public LogRecord(long timestamp, byte[]? key, byte[]? value, IReadOnlyList<RecordHeader>? headers = null)
    {
        Timestamp = timestamp;
        Key = key;
        Value = value;
        Headers = headers ?? [];
    }

    /// <summary>
    /// Absolute offset of the record in its partition: the batch's <c>BaseOffset</c> plus the record's
    /// offset delta. Ignored by <see cref="RecordBatchBuilder.Add(LogRecord)"/>; used by
    /// <see cref="RecordBatchBuilder.AddWithOffset(LogRecord)"/>.
    /// </summary>
    public long Offset { get; init; }

    /// <summary>Milliseconds since the Unix epoch: the create time, or the batch's log append time when the batch says so.</summary>
    public long Timestamp { get; }

    /// <summary>The key; null when the record has none.</summary>
    public byte[]? Key { get; }

    /// <summary>The value; null for a tombstone.</summary>
    public byte[]? Value { get; }

    /// <summary>The headers in wire order; empty, never null, when there are none.</summary>
    public IReadOnlyList<RecordHeader> Headers { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"LogRecord(Offset={Offset}, Timestamp={Timestamp}, Key={Key?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}B, Value={Value?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}B, Headers={Headers.Count})";
}
