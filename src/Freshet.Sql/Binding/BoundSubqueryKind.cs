
namespace Freshet.Sql.Binding;

/// <summary>How a <see cref="BoundSubquery"/> is used.</summary>
public enum BoundSubqueryKind
{
    /// <summary>A single value.</summary>
    Scalar,
    /// <summary><c>EXISTS (query)</c>.</summary>
    Exists,
    /// <summary><c>x IN (query)</c>.</summary>
    In,
}
