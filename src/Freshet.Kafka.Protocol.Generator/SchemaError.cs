
namespace Freshet.Kafka.Protocol.Generator;

/// <summary>A mistake in a schema file, with the line it is on (0-based) and the columns it covers. An immutable value.</summary>
internal sealed class SchemaError : IEquatable<SchemaError>
{
    public SchemaError(int line, int startColumn, int endColumn, string message)
    {
        Line = line;
        StartColumn = startColumn;
        EndColumn = endColumn;
        Message = message;
    }

    public int Line { get; }

    public int StartColumn { get; }

    public int EndColumn { get; }

    public string Message { get; }

    public bool Equals(SchemaError? other) =>
        other is not null && Line == other.Line && StartColumn == other.StartColumn && EndColumn == other.EndColumn && Message == other.Message;

    public override bool Equals(object? obj) => Equals(obj as SchemaError);

    public override int GetHashCode() => (Line * 31) ^ StringComparer.Ordinal.GetHashCode(Message);
}
