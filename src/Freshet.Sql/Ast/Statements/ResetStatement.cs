namespace Freshet.Sql.Ast;

/// <summary><c>RESET 'key'</c> restores a session option's default; a bare <c>RESET</c> restores all.</summary>
/// <param name="Key">The option key, or null for all.</param>
public sealed record ResetStatement(string? Key) : SqlStatement;
