namespace Freshet.Sql.Ast;

/// <summary><c>ROWS | RANGE BETWEEN start AND end</c>, or <c>ROWS | RANGE start</c> when <see cref="End"/> is null.</summary>
/// <param name="Unit">Rows or range.</param>
/// <param name="Start">The first bound.</param>
/// <param name="End">The second bound, or null when the frame was written without BETWEEN.</param>
public sealed record WindowFrame(FrameUnit Unit, FrameBound Start, FrameBound? End) : SqlNode;
