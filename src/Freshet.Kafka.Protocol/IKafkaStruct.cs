namespace Freshet.Kafka.Protocol;

/// <summary>
/// A struct of Kafka's message definitions (a whole message or a nested element) that can be decoded
/// from and encoded to the wire at a given API version. <see cref="Read"/> then <see cref="Write"/>
/// at the same version returns an equal value, where fields absent at that version hold their
/// defaults. Fields absent at the version being written are not written, whatever their value.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IKafkaStruct<TSelf>
    where TSelf : IKafkaStruct<TSelf>
{
    /// <summary>Decodes one value at <paramref name="version"/>, advancing <paramref name="reader"/> past it.</summary>
    /// <exception cref="KafkaProtocolException">The bytes are not a valid encoding at this version.</exception>
    static abstract TSelf Read(ref KafkaReader reader, short version);

    /// <summary>Encodes this value at <paramref name="version"/>.</summary>
    /// <exception cref="KafkaProtocolException">A field holds a value the version cannot encode (for example null where not nullable).</exception>
    void Write(KafkaWriter writer, short version);
}
