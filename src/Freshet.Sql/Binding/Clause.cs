namespace Freshet.Sql.Binding;

/// <summary>Where an expression stands; decides whether aggregates and OVER are allowed and names the place in errors.</summary>
internal enum Clause
{
    Select,
    Where,
    GroupBy,
    Having,
    On,
    OrderBy,
    Values,
    WindowArgument,
    ComputedColumn,
    Watermark,
    Limit,
}
