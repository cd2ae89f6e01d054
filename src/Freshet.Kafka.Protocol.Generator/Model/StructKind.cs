namespace Freshet.Kafka.Protocol.Generator.Model;

/// <summary>What a generated class is: a top-level message, or a struct inside one.</summary>
internal enum StructKind
{
    Request,
    Response,
    Struct,
}
