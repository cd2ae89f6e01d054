namespace Freshet.Sql.Ast;

/// <summary><c>*</c> or <c>t.*</c> in a SELECT list.</summary>
/// <param name="Qualifier">The table whose columns are meant, or null for all tables in scope.</param>
public sealed record StarSelectItem(ObjectName? Qualifier) : SelectItem;
