namespace Freshet.Sql.Ast;

/// <summary><c>'key' = 'value'</c> in a WITH clause (<c>'connector' = 'kafka'</c>) or in SET.</summary>
/// <param name="Key">The option key.</param>
/// <param name="Value">The option value.</param>
public sealed record TableOption(string Key, string Value) : SqlNode;
