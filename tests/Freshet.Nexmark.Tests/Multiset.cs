namespace Freshet.Nexmark.Tests;

public static class Multiset
{
    /// <summary>Asserts both sequences hold the same elements the same number of times, listing a few differences otherwise.</summary>
    public static void AssertEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual)
        where T : notnull
    {
        var counts = new Dictionary<T, int>();
        long expectedCount = 0, actualCount = 0;
        foreach (var e in expected)
        {
            counts[e] = counts.GetValueOrDefault(e) + 1;
            expectedCount++;
        }

        foreach (var a in actual)
        {
            counts[a] = counts.GetValueOrDefault(a) - 1;
            actualCount++;
        }

        var differences = counts.Where(c => c.Value != 0).Take(5).Select(c => $"{c.Key} (expected - actual = {c.Value})").ToList();
        Assert.True(differences.Count == 0 && expectedCount == actualCount,
            $"expected {expectedCount} results, got {actualCount}; differences: {string.Join("; ", differences)}");
    }
}
