namespace Freshet.Sql.Ast;

/// <summary><c>DROP [TEMPORARY] TABLE | VIEW [IF EXISTS] name</c>.</summary>
/// <param name="Kind">Table or view.</param>
/// <param name="Name">The object to drop.</param>
/// <param name="IfExists">Whether <c>IF EXISTS</c> was written.</param>
/// <param name="Temporary">Whether <c>TEMPORARY</c> was written.</param>
public sealed record DropStatement(DropObjectKind Kind, ObjectName Name, bool IfExists, bool Temporary) : SqlStatement;
