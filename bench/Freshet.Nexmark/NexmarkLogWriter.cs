using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Nexmark.Generation;
using Freshet.Nexmark.Model;

namespace Freshet.Nexmark;

/// <summary>
/// Writes generated events into a Freshet.Log topic so that jobs can read them with
/// <see cref="NexmarkSource.FromNexmarkTopic"/>: event <c>n</c> goes to partition <c>n % partitions</c> (so each
/// partition is in event-time order), value = <see cref="NexmarkSerializer"/>, no key, record timestamp = event time.
/// Not thread-safe; one writer per topic.
/// </summary>
public static class NexmarkLogWriter
{
    private const int RecordsPerBatch = 1000;

    /// <summary>
    /// Appends events <c>first .. first + count - 1</c> to <paramref name="topic"/>, creating it with
    /// <paramref name="partitions"/> partitions if it does not exist (an existing topic keeps its partition count).
    /// Returns the number of events written.
    /// </summary>
    public static long Write(LogStore store, string topic, NexmarkGenerator generator, long first, long count, int partitions = 1) =>
        Write(store, topic, generator, first, count, partitions, NexmarkSerializer.Serialize);

    /// <summary>As <see cref="Write(LogStore, string, NexmarkGenerator, long, long, int)"/>, with each event's value made by
    /// <paramref name="serialize"/> (the JSON writer's form).</summary>
    internal static long Write(LogStore store, string topic, NexmarkGenerator generator, long first, long count, int partitions, Func<NexmarkEvent, byte[]> serialize)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (!store.TryDescribeTopic(topic, out var description))
        {
            description = store.CreateTopic(topic, partitions);
        }

        var partitionCount = description.Partitions.Count;
        var builders = new RecordBatchBuilder[partitionCount];
        var pending = new int[partitionCount];
        for (var p = 0; p < partitionCount; p++)
        {
            builders[p] = new RecordBatchBuilder();
        }

        for (var n = first; n < first + count; n++)
        {
            var partition = (int)(n % partitionCount);
            var e = generator.Generate(n);
            builders[partition].Add(e.DateTime, null, serialize(e));
            if (++pending[partition] == RecordsPerBatch)
            {
                store.GetPartition(topic, partition).Append(builders[partition].Build());
                builders[partition] = new RecordBatchBuilder();
                pending[partition] = 0;
            }
        }

        for (var p = 0; p < partitionCount; p++)
        {
            if (pending[p] > 0)
            {
                store.GetPartition(topic, p).Append(builders[p].Build());
            }
        }

        return count;
    }
}
