
namespace Freshet.Kafka.Protocol.Generator;

/// <summary>Stops parsing one line of a schema; the parser turns it into a <see cref="SchemaError"/> and moves on to the next line.</summary>
internal sealed class SchemaException : Exception
{
    public SchemaException(string message)
        : base(message)
    {
    }

    public SchemaException()
    {
    }

    public SchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
