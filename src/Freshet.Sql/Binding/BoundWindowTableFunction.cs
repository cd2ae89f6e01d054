using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary>
/// <c>TUMBLE</c>, <c>HOP</c>, <c>CUMULATE</c> or <c>SESSION</c> over an input: the input row followed by
/// <c>window_start</c>, <c>window_end</c> (TIMESTAMP(3)) and <c>window_time</c> (the time attribute of the window).
/// </summary>
/// <param name="Function">The window function.</param>
/// <param name="Input">The windowed relation.</param>
/// <param name="TimeColumn">Ordinal of the DESCRIPTOR's time attribute in the input row.</param>
/// <param name="Parameters">Interval arguments in order: TUMBLE size [, offset]; HOP slide, size [, offset];
/// CUMULATE step, size [, offset]; SESSION gap.</param>
/// <param name="PartitionBy">SESSION's PARTITION BY keys over the input row; empty otherwise.</param>
public sealed record BoundWindowTableFunction(
    string Function,
    BoundRelation Input,
    int TimeColumn,
    NodeList<BoundExpression> Parameters,
    NodeList<BoundExpression> PartitionBy) : BoundRelation;
