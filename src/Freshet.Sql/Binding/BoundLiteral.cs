
namespace Freshet.Sql.Binding;

/// <summary>A constant. <see cref="Text"/> is its canonical SQL text (<c>42</c>, <c>'x'</c>, <c>TRUE</c>,
/// <c>INTERVAL '10' SECOND</c>, <c>TIMESTAMP '2024-01-01 00:00:00'</c>), or null for NULL.</summary>
/// <param name="Text">The literal's SQL text, or null for NULL.</param>
public sealed record BoundLiteral(string? Text) : BoundExpression;
