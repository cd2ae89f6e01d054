namespace Freshet.Sql.Ast;

/// <summary>What an <see cref="IsExpression"/> tests for.</summary>
public enum IsTest
{
    /// <summary><c>IS NULL</c>.</summary>
    Null,

    /// <summary><c>IS TRUE</c>.</summary>
    True,

    /// <summary><c>IS FALSE</c>.</summary>
    False,

    /// <summary><c>IS UNKNOWN</c>.</summary>
    Unknown,
}
