namespace Freshet.Sql.Ast;

/// <summary><c>EXTRACT(unit FROM x)</c>.</summary>
/// <param name="Unit">The part to extract.</param>
/// <param name="Source">The date, time, timestamp or interval.</param>
public sealed record ExtractExpression(TimeUnit Unit, SqlExpression Source) : SqlExpression;
