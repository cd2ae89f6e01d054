using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary>A join; the output row is the left row followed by the right row. Condition columns index that
/// combined row. USING columns are bound as equality conditions.</summary>
/// <param name="Kind">Inner, left, right, full or cross (a comma join is a cross join).</param>
/// <param name="Left">The left input.</param>
/// <param name="Right">The right input.</param>
/// <param name="Condition">The ON or USING condition, or null for a cross join.</param>
public sealed record BoundJoin(JoinKind Kind, BoundRelation Left, BoundRelation Right, BoundExpression? Condition) : BoundRelation
{
    /// <summary>For a temporal join (<c>FOR SYSTEM_TIME AS OF</c>), the left side's time attribute that picks the right
    /// side's version; null for other joins.</summary>
    public BoundColumnReference? SystemTimeAsOf { get; init; }
}
