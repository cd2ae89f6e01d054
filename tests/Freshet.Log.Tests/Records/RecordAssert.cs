using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

/// <summary>Content comparison for <see cref="LogRecord"/>, which has reference equality.</summary>
internal static class RecordAssert
{
    public static void Equal(IReadOnlyList<LogRecord> expected, IReadOnlyList<LogRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Equal(expected[i], actual[i], i);
        }
    }

    public static void Equal(LogRecord expected, LogRecord actual, int index = 0)
    {
        Assert.True(expected.Offset == actual.Offset, $"record {index}: offset {actual.Offset}, expected {expected.Offset}");
        Assert.True(expected.Timestamp == actual.Timestamp, $"record {index}: timestamp {actual.Timestamp}, expected {expected.Timestamp}");
        BytesEqual(expected.Key, actual.Key, $"record {index} key");
        BytesEqual(expected.Value, actual.Value, $"record {index} value");
        Assert.True(expected.Headers.Count == actual.Headers.Count, $"record {index}: {actual.Headers.Count} headers, expected {expected.Headers.Count}");
        for (var h = 0; h < expected.Headers.Count; h++)
        {
            Assert.Equal(expected.Headers[h].Key, actual.Headers[h].Key);
            BytesEqual(expected.Headers[h].Value, actual.Headers[h].Value, $"record {index} header {h} value");
        }
    }

    private static void BytesEqual(byte[]? expected, byte[]? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{what}: expected {(expected is null ? "null" : "non-null")}, got {(actual is null ? "null" : "non-null")}");
            return;
        }

        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{what}: bytes differ");
    }
}
