using Freshet.Sql.Syntax;

namespace Freshet.Sql.Parsing;

/// <summary>One statement's text cut from a script by <see cref="SqlScript.Split"/>.</summary>
/// <param name="Text">The statement from its first token to its last, without the closing <c>;</c>.</param>
/// <param name="Span">Where <paramref name="Text"/> is in the script.</param>
public sealed record SqlScriptPart(string Text, SqlSpan Span);
