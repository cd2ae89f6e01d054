using Freshet.Sql.Syntax;

namespace Freshet.Sql.Binding;

/// <summary>A bound statement that reads or writes data: a query, an INSERT, a statement set or EXPLAIN.</summary>
public abstract record BoundStatement
{
    /// <summary>The span of the statement's syntax.</summary>
    public SqlSpan Span { get; init; }
}
