using System.Buffers;

namespace Freshet.Streaming.Serialization;

/// <summary>
/// Turns values of <typeparamref name="T"/> into bytes and back: for connector keys and values (log topics,
/// Kafka) and for state in snapshots. One serialized value is one self-contained byte sequence; framing several
/// values (length prefixes) is the caller's job, so <see cref="Deserialize"/> always receives exactly the bytes
/// one <see cref="Serialize"/> call wrote.
/// <para>Thread-safety: implementations must be safe to call from several threads at once (the built-ins are
/// stateless), because one serializer instance is shared by every subtask of an operator.</para>
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public interface ISerializer<T>
{
    /// <summary>Appends the bytes of <paramref name="value"/> to <paramref name="output"/>.</summary>
    void Serialize(T value, IBufferWriter<byte> output);

    /// <summary>Reads the value whose bytes are exactly <paramref name="input"/>.</summary>
    /// <exception cref="System.Runtime.Serialization.SerializationException">The bytes are not a valid value.</exception>
    T Deserialize(ReadOnlySpan<byte> input);
}
