using System.Reflection;
using CsCheck;

namespace Freshet.Kafka.Protocol.Tests.Support;

/// <summary>
/// Random messages of any generated type, filled by reflection, then passed once through the codec at
/// the version under test so that fields absent at that version hold their defaults (the precondition
/// of <see cref="MessageContract{T}"/>). Used for the APIs whose codec exists ahead of a handler;
/// their layouts are pinned by golden-bytes tests, which this normalisation alone could not do.
/// </summary>
internal static class AnyMessage
{
    private static readonly string[] Strings = ["", "t", "orders", "librdkafka", "é日ß", "🙂", "group-1", new string('x', 300)];

    public static Gen<T> At<T>(short version)
        where T : IKafkaStruct<T> =>
        Gen.Int.Select(seed => Normalize<T>(new Random(seed), version)).Where(message => message is not null).Select(message => message!);

    private static T? Normalize<T>(Random random, short version)
        where T : IKafkaStruct<T>
    {
        var value = (T)Fill(typeof(T), random, depth: 0);
        try
        {
            return Codec.Decode<T>(Codec.Encode(value, version), version);
        }
        catch (KafkaProtocolException)
        {
            // A null in a field that is not nullable at this version: draw again.
            return default;
        }
    }

    private static object Fill(Type type, Random random, int depth)
    {
        // NullabilityInfoContext is not thread-safe, and test classes run in parallel: one per call.
        var nullability = new NullabilityInfoContext();
        var value = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            bool nullable = nullability.Create(property).WriteState == NullabilityState.Nullable;
            property.SetValue(value, nullable && random.Next(5) == 0 ? null : Any(property.PropertyType, random, depth));
        }

        return value;
    }

    private static object Any(Type type, Random random, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(sbyte)) return (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1);
        if (type == typeof(short)) return (short)random.Next(short.MinValue, short.MaxValue + 1);
        if (type == typeof(ushort)) return (ushort)random.Next(ushort.MaxValue + 1);
        if (type == typeof(int)) return random.Next(int.MinValue, int.MaxValue);
        if (type == typeof(uint)) return (uint)random.NextInt64(uint.MaxValue + 1L);
        if (type == typeof(long)) return random.NextInt64(long.MinValue, long.MaxValue);
        if (type == typeof(double)) return random.NextDouble();
        if (type == typeof(bool)) return random.Next(2) == 1;
        if (type == typeof(Guid)) return random.Next(4) == 0 ? Guid.Empty : new Guid(RandomBytes(random, 16));
        if (type == typeof(string)) return Strings[random.Next(Strings.Length)];
        if (type == typeof(byte[])) return RandomBytes(random, random.Next(20));
        if (type == typeof(ReadOnlyMemory<byte>)) return new ReadOnlyMemory<byte>(RandomBytes(random, random.Next(40)));
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = type.GetGenericArguments()[0];
            var items = Array.CreateInstance(element, depth > 3 ? 0 : random.Next(4));
            for (int i = 0; i < items.Length; i++)
            {
                items.SetValue(Any(element, random, depth + 1), i);
            }

            return items;
        }

        return Fill(type, random, depth + 1);
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
