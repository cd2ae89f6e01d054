using System.Collections;
using System.Reflection;

namespace Freshet.Kafka.Protocol.Tests.Support;

/// <summary>
/// Deep structural equality over message objects: public instance properties, lists element by
/// element, byte slices by content. Failures name the path to the first difference.
/// </summary>
internal static class Structural
{
    public static void AssertEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {Show(expected)}, got {Show(actual)}");
            return;
        }

        switch (expected)
        {
            case string or Guid or Enum or bool or sbyte or byte or short or ushort or int or uint or long or ulong or double:
                Assert.True(expected.Equals(actual), $"{path}: expected {Show(expected)}, got {Show(actual)}");
                return;
            case ReadOnlyMemory<byte> memory:
                Assert.True(actual is ReadOnlyMemory<byte> other && memory.Span.SequenceEqual(other.Span), $"{path}: byte contents differ");
                return;
            case byte[] array:
                Assert.True(actual is byte[] otherArray && array.AsSpan().SequenceEqual(otherArray), $"{path}: byte contents differ");
                return;
            case IEnumerable sequence:
                var left = sequence.Cast<object?>().ToList();
                var right = ((IEnumerable)actual).Cast<object?>().ToList();
                Assert.True(left.Count == right.Count, $"{path}: expected {left.Count} elements, got {right.Count}");
                for (int i = 0; i < left.Count; i++)
                {
                    AssertEqual(left[i], right[i], $"{path}[{i}]");
                }

                return;
        }

        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            AssertEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => value.ToString() ?? "?",
    };
}
