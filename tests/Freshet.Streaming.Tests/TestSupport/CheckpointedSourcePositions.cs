using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>Reads the partition offsets a partitioned source (log topic, Kafka) stored in each completed checkpoint of a job.</summary>
public static class CheckpointedSourcePositions
{
    /// <summary>Per completed checkpoint in <paramref name="checkpointRoot"/>, per source subtask: partition → next offset.</summary>
    public static List<Dictionary<int, Dictionary<int, long>>> Read(string checkpointRoot, string sourceUid)
    {
        var storage = new CheckpointStorage(checkpointRoot, retainedCheckpoints: int.MaxValue);
        var checkpoints = new List<Dictionary<int, Dictionary<int, long>>>();
        foreach (var id in storage.ListCheckpointIds())
        {
            if (!CheckpointStorage.TryLoad(Path.Combine(checkpointRoot, $"chk-{id}"), out var checkpoint, out _))
            {
                continue;
            }

            var subtasks = new Dictionary<int, Dictionary<int, long>>();
            foreach (var subtask in checkpoint!.SubtasksOf(sourceUid))
            {
                Assert.True(checkpoint.TryReadState(sourceUid, subtask, out var state));
                var position = OperatorStateSections.Decode(state)[StreamTask.SourcePositionSection];
                subtasks[subtask] = PartitionOffsetsPosition.Decode(position, "test").ToDictionary(o => o.Partition, o => o.Offset);
            }

            checkpoints.Add(subtasks);
        }

        return checkpoints;
    }

    /// <summary>
    /// Asserts that, for each source subtask, the group's committed offsets of its partitions are exactly the positions
    /// that subtask stored in one completed checkpoint (subtasks hear of completions independently, so they may be at
    /// different checkpoints).
    /// </summary>
    public static void AssertCommittedAreCheckpointed(List<Dictionary<int, Dictionary<int, long>>> checkpoints, Func<int, long?> committed)
    {
        Assert.NotEmpty(checkpoints);
        foreach (var subtask in checkpoints.SelectMany(c => c.Keys).Distinct())
        {
            var partitions = checkpoints.First(c => c.ContainsKey(subtask))[subtask].Keys.ToArray();
            var actual = partitions.ToDictionary(p => p, committed);
            Assert.True(
                checkpoints.Any(c => c.TryGetValue(subtask, out var stored) && partitions.All(p => stored.GetValueOrDefault(p, -1) == actual[p])),
                $"subtask {subtask}: committed offsets {string.Join(", ", actual.Select(a => $"{a.Key}→{a.Value}"))} are not the positions of any completed checkpoint " +
                $"({string.Join(" | ", checkpoints.Select(c => c.TryGetValue(subtask, out var s) ? string.Join(", ", s.Select(o => $"{o.Key}→{o.Value}")) : "-"))})");
        }
    }
}
