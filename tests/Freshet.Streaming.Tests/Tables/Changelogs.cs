using Freshet.Streaming.Tables;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// Checks and applies table changelogs collected from jobs: <see cref="Materialize"/> applies changes in order to a
/// dictionary and asserts the normalisation invariant of <c>Table</c> on the way (per key: +I only when absent; -U and
/// -D only of the current row; -U immediately followed, for that key, by +U).
/// </summary>
internal static class Changelogs
{
    /// <summary>The table after the changes whose timestamp is at most <paramref name="upToTimestamp"/> (all by default).</summary>
    public static Dictionary<TKey, TValue> Materialize<TKey, TValue>(IEnumerable<(Change<KeyValuePair<TKey, TValue>> Change, long Timestamp)> changes, long upToTimestamp = long.MaxValue)
        where TKey : notnull
    {
        var table = new Dictionary<TKey, TValue>();
        var awaitingUpdateAfter = new HashSet<TKey>();
        foreach (var (change, timestamp) in changes)
        {
            if (timestamp > upToTimestamp)
            {
                continue;
            }

            var (key, value) = (change.Row.Key, change.Row.Value);
            var present = table.TryGetValue(key, out var current);
            if (change.Kind != RowKind.UpdateAfter)
            {
                Assert.False(awaitingUpdateAfter.Contains(key), $"-U of {key} not followed by its +U but by {change}");
            }

            switch (change.Kind)
            {
                case RowKind.Insert:
                    Assert.False(present, $"{change}: +I of a present key");
                    table[key] = value;
                    break;
                case RowKind.UpdateBefore:
                    Assert.True(present, $"{change}: -U of an absent key");
                    Assert.Equal(current, value);
                    awaitingUpdateAfter.Add(key);
                    table.Remove(key);
                    break;
                case RowKind.UpdateAfter:
                    Assert.True(awaitingUpdateAfter.Remove(key), $"{change}: +U without its -U");
                    table[key] = value;
                    break;
                case RowKind.Delete:
                    Assert.True(present, $"{change}: -D of an absent key");
                    Assert.Equal(current, value);
                    table.Remove(key);
                    break;
            }
        }

        Assert.Empty(awaitingUpdateAfter);
        return table;
    }

    /// <summary>The changes as Flink prints them, <c>+I[k, v]</c>, in order.</summary>
    public static string[] Format<TKey, TValue>(IEnumerable<Change<KeyValuePair<TKey, TValue>>> changes) =>
        changes.Select(c => $"{c.Kind.ToShortString()}[{c.Row.Key}, {c.Row.Value}]").ToArray();
}
