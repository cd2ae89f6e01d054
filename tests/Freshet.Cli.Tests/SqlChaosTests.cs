using System.Globalization;
using System.Text;
using System.Text.Json;
using Freshet.Log;
using Freshet.Log.Records;

namespace Freshet.Cli.Tests;

/// <summary>
/// A SQL job killed with SIGKILL and restarted: <c>freshet sql --file</c> runs a GROUP BY into an exactly-once
/// upsert table with checkpoints; the process is killed twice after a checkpoint and started again with the same
/// script, restoring from the newest checkpoint. The committed result topic, compacted, must equal the aggregates
/// computed directly.
/// </summary>
public sealed class SqlChaosTests : IDisposable
{
    private const int Records = 200_000;
    private const int Keys = 50;
    private readonly string _root = Directory.CreateTempSubdirectory("freshet-sql-chaos-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task KilledTwice_ExactlyOnceUpsertSink_CompactedResultEqualsTheAggregates()
    {
        var data = Path.Combine(_root, "data");
        var checkpoints = Path.Combine(_root, "checkpoints");
        WriteInput(data);
        var script = Path.Combine(_root, "job.sql");
        await File.WriteAllTextAsync(script, $"""
            SET 'parallelism.default' = '2';
            SET 'execution.checkpointing.interval' = '100 ms';
            SET 'state.checkpoints.dir' = '{checkpoints}';
            CREATE TABLE input (k STRING, v BIGINT)
            WITH ('connector' = 'freshet-log', 'topic' = 'input', 'format' = 'json', 'scan.bounded.mode' = 'latest-offset');
            CREATE TABLE totals (k STRING, total BIGINT, n BIGINT, PRIMARY KEY (k) NOT ENFORCED)
            WITH ('connector' = 'freshet-log', 'topic' = 'totals', 'key.format' = 'json', 'value.format' = 'json', 'sink.delivery-guarantee' = 'exactly-once');
            INSERT INTO totals SELECT k, SUM(v), COUNT(*) FROM input GROUP BY k;
            """);

        var restored = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            using var process = FreshetProcess.Start("sql", "--data", data, "--file", script);
            await process.WaitForOutputAsync("submitted", TimeSpan.FromMinutes(1));
            var before = NewestCheckpoint(checkpoints);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (NewestCheckpoint(checkpoints) <= before && DateTime.UtcNow < deadline && !process.Stdout.Contains("[ERROR]", StringComparison.Ordinal))
            {
                await Task.Delay(10);
            }

            process.KillAlone();
            restored.Add(process.Stdout);
        }

        var (exit, stdout, stderr) = await FreshetProcess.RunAsync(["sql", "--data", data, "--file", script], timeout: TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("restored from checkpoint", stdout + string.Concat(restored));

        var expected = Enumerable.Range(0, Records).Select(Input).GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => (Total: g.Sum(e => e.Value), Count: (long)g.Count()));
        Assert.Equal(expected, ReadCompactedTotals(data));
    }

    private static (string Key, long Value) Input(int i) => ("k" + (i % Keys), (i % 97) + 1);

    private static void WriteInput(string data)
    {
        using var store = LogStore.Open(data, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("input", 2);
        foreach (var partition in Enumerable.Range(0, Records).GroupBy(i => i % 2))
        {
            foreach (var chunk in partition.Chunk(1000))
            {
                var batch = new RecordBatchBuilder();
                foreach (var i in chunk)
                {
                    var (key, value) = Input(i);
                    batch.Add(i, null, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"k":"{{key}}","v":{{value}}}""")));
                }

                store.GetPartition("input", partition.Key).Append(batch.Build());
            }
        }

        store.Flush();
    }

    private static long NewestCheckpoint(string checkpoints) =>
        Directory.Exists(checkpoints)
            ? Directory.GetDirectories(checkpoints, "chk-*", SearchOption.AllDirectories)
                .Where(d => File.Exists(Path.Combine(d, "_manifest")))
                .Select(d => long.Parse(Path.GetFileName(d)[4..], CultureInfo.InvariantCulture))
                .DefaultIfEmpty(0)
                .Max()
            : 0;

    // The last committed record of each key wins and a tombstone removes the key: what compaction keeps.
    private static Dictionary<string, (long Total, long Count)> ReadCompactedTotals(string data)
    {
        using var store = LogStore.Open(data, new LogStoreOptions { BackgroundMaintenance = false });
        var totals = new Dictionary<string, (long Total, long Count)>();
        var description = store.DescribeTopic("totals");
        foreach (var partition in description.Partitions)
        {
            foreach (var record in store.GetPartition("totals", partition.Id).ReadCommittedRecords(0))
            {
                var key = JsonDocument.Parse(record.Key!).RootElement.GetProperty("k").GetString()!;
                if (record.Value is null)
                {
                    totals.Remove(key);
                    continue;
                }

                var value = JsonDocument.Parse(record.Value).RootElement;
                totals[key] = (value.GetProperty("total").GetInt64(), value.GetProperty("n").GetInt64());
            }
        }

        return totals;
    }
}
