namespace Freshet.Sql.Ast;

/// <summary>
/// A name as written, with back-quotes removed: <c>price</c>, <c>`dateTime`</c>. Flink SQL identifiers are
/// case-sensitive, so the value keeps its case; whether it was quoted is not kept (the printer quotes when needed).
/// </summary>
/// <param name="Value">The name.</param>
public sealed record Identifier(string Value) : SqlNode;
