using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Streaming.Application.Assignment;
using Freshet.Streaming.Application.Topology;

namespace Freshet.Streaming.Application.Instance;

/// <summary>
/// The input lag of the tasks an instance runs, as <c>kafka-consumer-groups --describe</c> computes a group's lag:
/// per input partition (the task's partition of each of its sub-topology's source and repartition topics), the
/// read_committed end (last stable offset) minus the offset the application's group has committed for it — the
/// whole partition when nothing is committed yet — summed over the task's inputs. Committed offsets trail processing
/// by up to one commit interval, and the commit markers that follow the last records of a repartition partition (at
/// most one per upstream task once the input is processed) count, as they do for Kafka's tool. Refreshed in the background every <see cref="RefreshInterval"/> with
/// two admin requests; <see cref="Of"/> reads the last refresh without blocking.
/// Thread-safety: <see cref="Of"/> from any thread; one refresh loop.
/// </summary>
internal sealed class TaskInputLag
{
    /// <summary>How often the lag is read from the cluster.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly IAdminClient _admin;
    private readonly string _groupId;
    private readonly ApplicationTopology _topology;
    private readonly TimeSpan _timeout;
    private volatile Dictionary<TaskId, long> _lag = new Dictionary<TaskId, long>();

    public TaskInputLag(IAdminClient admin, string groupId, ApplicationTopology topology, TimeSpan timeout)
    {
        _admin = admin;
        _groupId = groupId;
        _topology = topology;
        _timeout = timeout;
    }

    /// <summary>The task's input lag in records at the last refresh, or -1 when it has not been read yet.</summary>
    public long Of(TaskId task) => _lag.TryGetValue(task, out var lag) ? lag : -1;

    /// <summary>Refreshes the lag of the tasks <paramref name="tasks"/> names every <see cref="RefreshInterval"/> until <paramref name="stopping"/>; a failed refresh keeps the last figures.</summary>
    public async Task RunAsync(Func<IReadOnlyCollection<TaskId>> tasks, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var current = tasks();
                if (current.Count > 0)
                {
                    await RefreshAsync(current).ConfigureAwait(false);
                }

                await Task.Delay(RefreshInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Lag is a report: a cluster that does not answer now is asked again at the next refresh.
            catch (Exception)
#pragma warning restore CA1031
            {
                await Task.Delay(RefreshInterval, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Per task, the sum over its inputs of end minus committed (the end where nothing is committed); tasks with an input whose end is unknown are left out.</summary>
    public static Dictionary<TaskId, long> Compute(IReadOnlyDictionary<TaskId, IReadOnlyList<TopicPartition>> inputs, IReadOnlyDictionary<TopicPartition, long> committed, IReadOnlyDictionary<TopicPartition, long> ends)
    {
        var lag = new Dictionary<TaskId, long>();
        foreach (var (task, partitions) in inputs)
        {
            long sum = 0;
            var known = true;
            foreach (var partition in partitions)
            {
                if (!ends.TryGetValue(partition, out var end))
                {
                    known = false;
                    break;
                }

                sum += Math.Max(0, end - committed.GetValueOrDefault(partition));
            }

            if (known)
            {
                lag[task] = sum;
            }
        }

        return lag;
    }

    private async Task RefreshAsync(IReadOnlyCollection<TaskId> tasks)
    {
        var inputs = tasks.ToDictionary(
            static t => t,
            t => (IReadOnlyList<TopicPartition>)_topology.SubTopologies[t.SubTopology].InputTopics.Select(topic => new TopicPartition(topic, t.Partition)).ToArray());
        var partitions = inputs.Values.SelectMany(static p => p).Distinct().ToList();
        var groups = await _admin.ListConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitions(_groupId, partitions)],
            new ListConsumerGroupOffsetsOptions { RequestTimeout = _timeout }).ConfigureAwait(false);
        var committed = groups.SelectMany(static g => g.Partitions)
            .Where(static p => p.Error.Code == ErrorCode.NoError && !p.Offset.IsSpecial)
            .ToDictionary(static p => p.TopicPartition, static p => p.Offset.Value);
        var listed = await _admin.ListOffsetsAsync(
            partitions.Select(static p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = OffsetSpec.Latest() }),
            new ListOffsetsOptions { IsolationLevel = IsolationLevel.ReadCommitted, RequestTimeout = _timeout }).ConfigureAwait(false);
        var ends = listed.ResultInfos
            .Where(static r => r.TopicPartitionOffsetError.Error.Code == ErrorCode.NoError)
            .ToDictionary(static r => r.TopicPartitionOffsetError.TopicPartition, static r => r.TopicPartitionOffsetError.Offset.Value);
        var lag = new Dictionary<TaskId, long>(_lag);
        foreach (var (task, value) in Compute(inputs, committed, ends))
        {
            lag[task] = value;
        }

        _lag = lag;
    }
}
