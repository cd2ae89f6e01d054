using System.Runtime.Serialization;
using Freshet.Log.Partitions;

namespace Freshet.Cli.Demo.Instances;

/// <summary>
/// The demo's output topic as a read_committed reader sees it, read as it grows: every committed ranking in offset
/// order and how many each instance wrote. Records of aborted transactions (a killed instance's last, unfinished
/// commit) are never seen. Not thread-safe: the demo's loop owns it.
/// </summary>
internal sealed class OutputTally(Partition partition)
{
    private readonly List<InstanceHotSensors> _results = [];
    private readonly Dictionary<string, int> _byInstance = new(StringComparer.Ordinal);
    private long _offset;

    /// <summary>Every committed ranking read so far, in offset order.</summary>
    public IReadOnlyList<InstanceHotSensors> Results => _results;

    /// <summary>Committed records that are not rankings (someone else produced to the topic).</summary>
    public int Foreign { get; private set; }

    /// <summary>Rankings committed by <paramref name="instance"/> so far.</summary>
    public int CountOf(string instance) => _byInstance.GetValueOrDefault(instance);

    /// <summary>Reads what was committed since the last call.</summary>
    public void ReadNew()
    {
        foreach (var record in partition.ReadCommittedRecords(_offset))
        {
            _offset = record.Offset + 1;
            InstanceHotSensors result;
            try
            {
                result = record.Value is null ? throw new SerializationException("A record without a value.") : ApplicationDemoJob.DecodeResult(record.Value);
            }
            catch (SerializationException)
            {
                Foreign++;
                continue;
            }

            if (result.Instance is null || result.Ranking is null)
            {
                Foreign++;
                continue;
            }

            _results.Add(result);
            _byInstance[result.Instance] = CountOf(result.Instance) + 1;
        }
    }
}
