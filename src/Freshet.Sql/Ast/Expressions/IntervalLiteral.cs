namespace Freshet.Sql.Ast;

/// <summary>
/// <c>INTERVAL '5' SECOND</c>, <c>INTERVAL '1:30' HOUR TO MINUTE</c>. The string is kept as written (a sign, if
/// any, is inside it) and checked against the qualifier by the binder.
/// </summary>
/// <param name="Value">The string's content.</param>
/// <param name="Start">The leading unit.</param>
/// <param name="End">The trailing unit of a <c>start TO end</c> qualifier, or null.</param>
public sealed record IntervalLiteral(string Value, TimeUnit Start, TimeUnit? End = null) : SqlExpression;
