namespace Freshet.Sql.Ast;

/// <summary>The type keyword in front of a <see cref="TypedLiteral"/>.</summary>
public enum TypedLiteralKind
{
    /// <summary><c>DATE '2024-01-31'</c>.</summary>
    Date,

    /// <summary><c>TIME '12:00:00'</c>.</summary>
    Time,

    /// <summary><c>TIMESTAMP '2024-01-31 12:00:00.000'</c>.</summary>
    Timestamp,
}
