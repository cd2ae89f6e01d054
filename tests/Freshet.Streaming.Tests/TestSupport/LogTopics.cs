using System.Buffers.Binary;
using System.Text;
using Freshet.Log;
using Freshet.Log.Records;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>Writes and reads <see cref="Ev"/>s in embedded log topics: key = UTF-8 key, value = 8-byte big-endian value, timestamp = event time.</summary>
public static class LogTopics
{
    public static void Append(LogStore store, string topic, int partition, IEnumerable<(long Time, string Key, long Value)> events)
    {
        var builder = new RecordBatchBuilder();
        foreach (var (time, key, value) in events)
        {
            builder.Add(time, Encoding.UTF8.GetBytes(key), Long(value));
        }

        store.GetPartition(topic, partition).Append(builder.Build());
    }

    public static Ev ToEv(LogRecord record) =>
        new(Encoding.UTF8.GetString(record.Key!), record.Timestamp, BinaryPrimitives.ReadInt64BigEndian(record.Value));

    public static byte[] Long(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    public static List<LogRecord> ReadAll(LogStore store, string topic)
    {
        var records = new List<LogRecord>();
        foreach (var partition in store.DescribeTopic(topic).Partitions)
        {
            var p = store.GetPartition(topic, partition.Id);
            var offset = p.LogStartOffset;
            while (offset < p.LogEndOffset)
            {
                var read = p.Read(offset, 1 << 20);
                foreach (var record in RecordBatchReader.ReadRecords(read.Records))
                {
                    records.Add(record);
                    offset = record.Offset + 1;
                }
            }
        }

        return records;
    }
}
