namespace Freshet.Sql.Ast;

/// <summary><c>CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(columns)] AS query</c>.</summary>
/// <param name="Name">The view name.</param>
/// <param name="Columns">Names for the query's columns; may be empty.</param>
/// <param name="Query">The query.</param>
public sealed record CreateViewStatement(ObjectName Name, NodeList<Identifier> Columns, QueryExpression Query) : SqlStatement
{
    /// <summary>Whether <c>TEMPORARY</c> was written.</summary>
    public bool Temporary { get; init; }

    /// <summary>Whether <c>IF NOT EXISTS</c> was written.</summary>
    public bool IfNotExists { get; init; }
}
