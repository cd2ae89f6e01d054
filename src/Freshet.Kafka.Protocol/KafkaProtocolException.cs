namespace Freshet.Kafka.Protocol;

/// <summary>
/// Bytes did not decode as the Kafka message they claim to be (a length past the end of the input,
/// a negative length where none is allowed, a varint longer than its type, a null in a field that is
/// not nullable, an unsupported version), or a message could not be encoded as asked (a null in a
/// non-nullable field, a string longer than the protocol allows). The message names the field.
/// Decoding never throws any other exception for bad input: a broker catches this one, answers with
/// the protocol's error where one exists, otherwise closes that one connection.
/// </summary>
public sealed class KafkaProtocolException : Exception
{
    /// <summary>Creates an exception about the named field.</summary>
    /// <param name="field">The field being read or written when the problem was found, or null when it concerns no single field.</param>
    /// <param name="message">What is wrong, in words that name the field.</param>
    public KafkaProtocolException(string? field, string message)
        : base(message)
    {
        Field = field;
    }

    /// <summary>The field being read or written, as Kafka's message definitions name it; null when the problem concerns no single field.</summary>
    public string? Field { get; }
}
