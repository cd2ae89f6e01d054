namespace Freshet.Sql.Ast;

/// <summary><c>name AS (specification)</c> in a WINDOW clause.</summary>
/// <param name="Name">The window name used by <c>OVER name</c>.</param>
/// <param name="Specification">The window.</param>
public sealed record NamedWindow(Identifier Name, WindowSpecification Specification) : SqlNode;
