namespace Freshet.Kafka.Protocol.Generator.Model;

/// <summary>The wire types of Kafka's message definitions, plus <see cref="Struct"/> for a nested struct.</summary>
internal enum PrimitiveType
{
    Int8,
    Int16,
    Int32,
    Int64,
    UInt16,
    UInt32,
    Float64,
    Bool,
    Uuid,
    String,
    Bytes,
    Records,
    Struct,
}
