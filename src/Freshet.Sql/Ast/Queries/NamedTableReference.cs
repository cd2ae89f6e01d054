namespace Freshet.Sql.Ast;

/// <summary>
/// A table or view by name, optionally as of a point in time (a temporal join's versioned table):
/// <c>rates FOR SYSTEM_TIME AS OF o.order_time AS r</c>.
/// </summary>
/// <param name="Name">The table or view.</param>
/// <param name="SystemTimeAsOf">The <c>FOR SYSTEM_TIME AS OF</c> time, or null.</param>
/// <param name="Alias">The alias, or null.</param>
public sealed record NamedTableReference(ObjectName Name, SqlExpression? SystemTimeAsOf, TableAlias? Alias) : TableReference;
