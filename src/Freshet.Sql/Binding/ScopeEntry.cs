namespace Freshet.Sql.Binding;

/// <summary>
/// One relation visible in a FROM clause: its alias (or table name), its columns, and where they start in the
/// combined input row of the SELECT that sees it.
/// </summary>
/// <param name="Alias">The qualifier that names it (<c>B</c> in <c>bid B</c>), or null for an unnamed subquery.</param>
/// <param name="Columns">Its columns in order.</param>
/// <param name="Offset">Ordinal of its first column in the combined input row.</param>
internal sealed record ScopeEntry(string? Alias, IReadOnlyList<BoundColumn> Columns, int Offset);
