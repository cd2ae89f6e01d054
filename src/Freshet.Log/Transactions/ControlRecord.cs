using System.Buffers.Binary;
using Freshet.Log.Records;

namespace Freshet.Log.Transactions;

/// <summary>
/// Transaction markers in Kafka's control-record layout. A marker is a control batch (attributes:
/// transactional and control bits) holding one record, big-endian:
/// key = <c>int16 version 0, int16 type</c> (0 = ABORT, 1 = COMMIT);
/// value = <c>int16 version 0, int32 coordinator epoch</c>.
/// The batch carries the producer id and epoch of the transaction it ends and no sequence (-1).
/// </summary>
internal static class ControlRecord
{
    /// <summary>Control record type of an ABORT marker.</summary>
    public const short AbortType = 0;

    /// <summary>Control record type of a COMMIT marker.</summary>
    public const short CommitType = 1;

    /// <summary>Builds the marker batch ending <paramref name="producerId"/>'s transaction.</summary>
    public static byte[] BuildMarker(long producerId, short producerEpoch, bool commit, int coordinatorEpoch, long timestampMs, long baseOffset)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(key, 0);
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), commit ? CommitType : AbortType);
        var value = new byte[6];
        BinaryPrimitives.WriteInt16BigEndian(value, 0);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(2), coordinatorEpoch);
        var builder = new RecordBatchBuilder
        {
            ProducerId = producerId,
            ProducerEpoch = producerEpoch,
            IsTransactional = true,
            IsControl = true,
        };
        builder.Add(timestampMs, key, value);
        return builder.Build(baseOffset);
    }

    /// <summary>Reads the marker type of a control batch; false if it does not hold a well-formed marker.</summary>
    public static bool TryReadMarker(ReadOnlySpan<byte> batch, out bool isCommit)
    {
        isCommit = false;
        LogRecord[] records;
        try
        {
            records = RecordBatchReader.DecodeBatch(batch);
        }
        catch (LogException)
        {
            return false;
        }

        if (records.Length == 0 || records[0].Key is not { Length: >= 4 } key || BinaryPrimitives.ReadInt16BigEndian(key) < 0)
        {
            return false;
        }

        var type = BinaryPrimitives.ReadInt16BigEndian(key.AsSpan(2));
        isCommit = type == CommitType;
        return type is CommitType or AbortType;
    }
}
