
namespace Freshet.Sql.Binding;

/// <summary>What a <see cref="BoundCall"/> computes.</summary>
public enum BoundFunctionKind
{
    /// <summary>A value per row.</summary>
    Scalar,
    /// <summary>An aggregate over a group (or over an OVER window when <see cref="BoundCall.Over"/> is set).</summary>
    Aggregate,
    /// <summary>A ranking function that needs OVER: ROW_NUMBER, RANK, DENSE_RANK.</summary>
    Ranking,
}
