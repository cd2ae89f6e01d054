namespace Freshet.Sql.Ast;

/// <summary>A date, time or timestamp literal: a type keyword and a string. The string is checked by the binder, not the parser.</summary>
/// <param name="Kind">The type keyword.</param>
/// <param name="Value">The string's content.</param>
public sealed record TypedLiteral(TypedLiteralKind Kind, string Value) : SqlExpression;
