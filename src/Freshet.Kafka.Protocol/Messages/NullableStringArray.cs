namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// Reads and writes a nullable array of non-null strings (<c>[]string</c> with nullableVersions), which
/// <see cref="KafkaReader"/> and <see cref="KafkaWriter"/> have no primitive for: null is count -1
/// (classic int32) or 0 (compact), like any other nullable array.
/// </summary>
internal static class NullableStringArray
{
    public static string[]? Read(ref KafkaReader reader, bool compact, string field)
    {
        int count = reader.ReadArrayLength(compact, field);
        if (count < 0)
        {
            return null;
        }

        var items = count == 0 ? [] : new string[count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = reader.ReadString(compact, field);
        }

        return items;
    }

    public static void Write(KafkaWriter writer, IReadOnlyList<string>? items, bool compact, string field)
    {
        if (items is not null)
        {
            writer.WriteStringArray(items, compact, field);
        }
        else if (compact)
        {
            writer.WriteUnsignedVarint(0);
        }
        else
        {
            writer.WriteInt32(-1);
        }
    }
}
