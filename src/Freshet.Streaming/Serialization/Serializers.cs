using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Freshet.Streaming.Serialization;

/// <summary>
/// The built-in serializers, and <see cref="Default{T}"/>, which picks one for a type.
/// <para>
/// Byte layouts match the Kafka clients' standard serializers, so records written by Freshet read correctly in
/// Java, librdkafka or kafkajs consumers and the other way round: integers and floating point numbers are
/// big-endian two's complement / IEEE 754 of their natural width, strings are UTF-8 without a length, byte arrays
/// are copied as they are. <see cref="Guid"/> is its 16 bytes in RFC 4122 (big-endian) order.
/// </para>
/// Null: the fixed-layout built-ins (strings and byte arrays included) reject <see langword="null"/> with an
/// <see cref="ArgumentNullException"/>, because an empty value and a null value would otherwise be the same bytes;
/// JSON writes <c>null</c>.
/// </summary>
public static class Serializers
{
    /// <summary>Byte arrays as they are.</summary>
    public static ISerializer<byte[]> Bytes { get; } = new BytesSerializer();

    /// <summary>Strings as UTF-8 (no length prefix, no BOM). Invalid UTF-8 on read is an error.</summary>
    public static ISerializer<string> Utf8String { get; } = new Utf8StringSerializer();

    /// <summary>One byte: 1 for true, 0 for false.</summary>
    public static ISerializer<bool> Boolean { get; } = new FixedSerializer<bool>(1, static (v, s) => s[0] = v ? (byte)1 : (byte)0, static s => s[0] switch
    {
        0 => false,
        1 => true,
        _ => throw Invalid<bool>($"byte {s[0]} is neither 0 nor 1"),
    });

    /// <summary>32-bit signed integers, big-endian.</summary>
    public static ISerializer<int> Int32 { get; } = new FixedSerializer<int>(4, static (v, s) => System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(s, v), static s => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(s));

    /// <summary>64-bit signed integers, big-endian.</summary>
    public static ISerializer<long> Int64 { get; } = new FixedSerializer<long>(8, static (v, s) => System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(s, v), static s => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(s));

    /// <summary>32-bit IEEE 754 floating point numbers, big-endian.</summary>
    public static ISerializer<float> Single { get; } = new FixedSerializer<float>(4, static (v, s) => System.Buffers.Binary.BinaryPrimitives.WriteSingleBigEndian(s, v), static s => System.Buffers.Binary.BinaryPrimitives.ReadSingleBigEndian(s));

    /// <summary>64-bit IEEE 754 floating point numbers, big-endian.</summary>
    public static ISerializer<double> Double { get; } = new FixedSerializer<double>(8, static (v, s) => System.Buffers.Binary.BinaryPrimitives.WriteDoubleBigEndian(s, v), static s => System.Buffers.Binary.BinaryPrimitives.ReadDoubleBigEndian(s));

    /// <summary>GUIDs as 16 bytes in RFC 4122 (big-endian) order.</summary>
    public static ISerializer<Guid> Guid { get; } = new FixedSerializer<Guid>(16, static (v, s) => v.TryWriteBytes(s, bigEndian: true, out _), static s => new Guid(s, bigEndian: true));

    /// <summary>
    /// The serializer for <typeparamref name="T"/>: a built-in for <see cref="byte"/>[], <see cref="string"/>,
    /// <see cref="bool"/>, <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> and
    /// <see cref="System.Guid"/>; the type's own for types implementing <see cref="IHasDefaultSerializer{TSelf}"/>;
    /// otherwise JSON through System.Text.Json by reflection, public fields included (tuples keep their items).
    /// For trimmed or AOT applications, pass <see cref="Json{T}(JsonTypeInfo{T})"/> from a source-generated context.
    /// </summary>
    public static ISerializer<T> Default<T>() => DefaultHolder<T>.Instance;

    /// <summary>JSON through System.Text.Json with <paramref name="options"/> (reflection-based).</summary>
    public static ISerializer<T> Json<T>(JsonSerializerOptions? options = null) => new JsonReflectionSerializer<T>(options ?? JsonSerializerOptions.Default);

    /// <summary>JSON through System.Text.Json with type metadata from a source-generated <c>JsonSerializerContext</c>.</summary>
    public static ISerializer<T> Json<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new JsonTypeInfoSerializer<T>(typeInfo);
    }

    /// <summary>Serializes <paramref name="value"/> into a new array.</summary>
    public static byte[] SerializeToArray<T>(this ISerializer<T> serializer, T value)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    internal static System.Runtime.Serialization.SerializationException Invalid<T>(string problem) =>
        new($"Cannot deserialize a {typeof(T).Name}: {problem}.");

    /// <summary>JSON for types without a built-in serializer: public properties and public fields (so tuples keep their items).</summary>
    private static readonly JsonSerializerOptions DefaultJsonOptions = new(JsonSerializerOptions.Default) { IncludeFields = true };

    private static class DefaultHolder<T>
    {
        public static readonly ISerializer<T> Instance = Create();

        private static ISerializer<T> Create()
        {
            object? builtIn = typeof(T) == typeof(byte[]) ? Bytes
                : typeof(T) == typeof(string) ? Utf8String
                : typeof(T) == typeof(bool) ? Boolean
                : typeof(T) == typeof(int) ? Int32
                : typeof(T) == typeof(long) ? Int64
                : typeof(T) == typeof(float) ? Single
                : typeof(T) == typeof(double) ? Double
                : typeof(T) == typeof(Guid) ? Guid
                : typeof(IHasDefaultSerializer<T>).IsAssignableFrom(typeof(T)) ? OwnSerializer()
                : null;
            return builtIn as ISerializer<T> ?? new JsonReflectionSerializer<T>(DefaultJsonOptions);
        }

        // The static abstract property of IHasDefaultSerializer<T>, read through the interface map because T is not
        // constrained here.
        private static object? OwnSerializer()
        {
            var map = typeof(T).GetInterfaceMap(typeof(IHasDefaultSerializer<T>));
            var getter = map.TargetMethods[Array.IndexOf(map.InterfaceMethods, typeof(IHasDefaultSerializer<T>).GetProperty(nameof(IHasDefaultSerializer<T>.DefaultSerializer))!.GetMethod)];
            return getter.Invoke(null, null);
        }
    }

    private sealed class BytesSerializer : ISerializer<byte[]>
    {
        public void Serialize(byte[] value, IBufferWriter<byte> output)
        {
            ArgumentNullException.ThrowIfNull(value);
            ArgumentNullException.ThrowIfNull(output);
            output.Write(value);
        }

        public byte[] Deserialize(ReadOnlySpan<byte> input) => input.ToArray();
    }

    private sealed class Utf8StringSerializer : ISerializer<string>
    {
        private static readonly System.Text.UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public void Serialize(string value, IBufferWriter<byte> output)
        {
            ArgumentNullException.ThrowIfNull(value);
            ArgumentNullException.ThrowIfNull(output);
            var span = output.GetSpan(Strict.GetMaxByteCount(value.Length));
            output.Advance(Strict.GetBytes(value, span));
        }

        public string Deserialize(ReadOnlySpan<byte> input)
        {
            try
            {
                return Strict.GetString(input);
            }
            catch (System.Text.DecoderFallbackException e)
            {
                throw new System.Runtime.Serialization.SerializationException("Cannot deserialize a String: the bytes are not valid UTF-8.", e);
            }
        }
    }

    /// <summary>A value of a fixed byte width, written and read by two delegates over a span of that width.</summary>
    private sealed class FixedSerializer<T>(int width, FixedSerializer<T>.Writer write, FixedSerializer<T>.Reader read) : ISerializer<T>
    {
        public delegate void Writer(T value, Span<byte> destination);

        public delegate T Reader(ReadOnlySpan<byte> source);

        public void Serialize(T value, IBufferWriter<byte> output)
        {
            ArgumentNullException.ThrowIfNull(output);
            write(value, output.GetSpan(width)[..width]);
            output.Advance(width);
        }

        public T Deserialize(ReadOnlySpan<byte> input) =>
            input.Length == width ? read(input) : throw Invalid<T>($"expected {width} bytes, got {input.Length}");
    }

    private sealed class JsonReflectionSerializer<T>(JsonSerializerOptions options) : ISerializer<T>
    {
        public void Serialize(T value, IBufferWriter<byte> output)
        {
            using var writer = new Utf8JsonWriter(output);
            JsonSerializer.Serialize(writer, value, options);
        }

        public T Deserialize(ReadOnlySpan<byte> input)
        {
            try
            {
                return JsonSerializer.Deserialize<T>(input, options)!;
            }
            catch (JsonException e)
            {
                throw new System.Runtime.Serialization.SerializationException($"Cannot deserialize a {typeof(T).Name} from JSON: {e.Message}", e);
            }
        }
    }

    private sealed class JsonTypeInfoSerializer<T>(JsonTypeInfo<T> typeInfo) : ISerializer<T>
    {
        public void Serialize(T value, IBufferWriter<byte> output)
        {
            using var writer = new Utf8JsonWriter(output);
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        public T Deserialize(ReadOnlySpan<byte> input)
        {
            try
            {
                return JsonSerializer.Deserialize(input, typeInfo)!;
            }
            catch (JsonException e)
            {
                throw new System.Runtime.Serialization.SerializationException($"Cannot deserialize a {typeof(T).Name} from JSON: {e.Message}", e);
            }
        }
    }
}
