using Freshet.Sql.Ast;
using Freshet.Sql.Syntax;

namespace Freshet.Sql.Binding;

/// <summary>
/// A node of the bound relational tree that a planner walks: its output columns and the kind of changelog it
/// emits. Each node keeps the span of the syntax it was bound from.
/// </summary>
public abstract record BoundRelation
{
    /// <summary>The output row, in order.</summary>
    public required NodeList<BoundColumn> Columns { get; init; }

    /// <summary>Whether the output is append-only or updating.</summary>
    public required ChangelogKind Changelog { get; init; }

    /// <summary>The span of the syntax node this relation was bound from.</summary>
    public SqlSpan Span { get; init; }
}
