using Freshet.Sql.Binding;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Runtime;

/// <summary>
/// Compiles bound scalar expressions (<see cref="BoundExpression"/>) into delegates over an input <see cref="Row"/>,
/// once per expression: each node becomes a closure that calls its children's closures, so a row is evaluated without
/// walking or allocating the tree (results are boxed). Semantics are Flink's: NULL propagates through operators and
/// functions, AND/OR/NOT use three-valued logic, integer arithmetic wraps as Java's does, and a value that cannot be
/// computed (a bad CAST, a division by zero, a regular expression that times out) throws
/// <see cref="SqlRuntimeException"/> at the failing expression's position (docs/sql.md, "Runtime semantics").
/// <para>
/// Subqueries and OVER calls are planned as relational operators, not compiled here: they are refused with
/// <see cref="SqlValidationException"/>. CURRENT_TIMESTAMP, NOW, PROCTIME, LOCALTIMESTAMP, CURRENT_DATE and
/// CURRENT_TIME read the clock on every evaluation (session time zone UTC).
/// </para>
/// Thread-safety: compiling is pure; the compiled delegates keep no per-row state and may be called from several
/// threads at once.
/// </summary>
internal static partial class ExpressionCompiler
{
    /// <summary>How long one regular-expression match (LIKE, REGEXP_EXTRACT, REGEXP_REPLACE) may run before it fails.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Evaluates a bound scalar expression over a row (column references index the row).</summary>
    public static Func<Row, object?> Compile(BoundExpression expression) => Compile(expression, TimeProvider.System);

    /// <summary>As <see cref="Compile(BoundExpression)"/>, reading the current time from <paramref name="clock"/>.</summary>
    public static Func<Row, object?> Compile(BoundExpression expression, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(clock);
        return Node(expression, clock);
    }

    /// <summary>TRUE only when the condition is TRUE (NULL and FALSE are false), as WHERE, HAVING and ON.</summary>
    public static Func<Row, bool> CompilePredicate(BoundExpression condition) => CompilePredicate(condition, TimeProvider.System);

    /// <summary>As <see cref="CompilePredicate(BoundExpression)"/>, reading the current time from <paramref name="clock"/>.</summary>
    public static Func<Row, bool> CompilePredicate(BoundExpression condition, TimeProvider clock)
    {
        var evaluate = Compile(condition, clock);
        return row => evaluate(row) is true;
    }

    /// <summary>One output value per expression, as a new row.</summary>
    public static Func<Row, Row> CompileProjection(IReadOnlyList<BoundExpression> expressions) =>
        CompileProjection(expressions, TimeProvider.System);

    /// <summary>As <see cref="CompileProjection(IReadOnlyList{BoundExpression})"/>, reading the current time from <paramref name="clock"/>.</summary>
    public static Func<Row, Row> CompileProjection(IReadOnlyList<BoundExpression> expressions, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        var columns = new Func<Row, object?>[expressions.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = Compile(expressions[i], clock);
        }

        return row =>
        {
            var values = new object?[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                values[i] = columns[i](row);
            }

            return new Row(values);
        };
    }

    private static Func<Row, object?> Node(BoundExpression expression, TimeProvider clock) => expression switch
    {
        BoundLiteral literal => Constant(SqlValues.ParseLiteral(literal)),
        BoundColumnReference column => Column(column.Ordinal),
        BoundFieldAccess access => FieldAccess(access, clock),
        BoundCast cast => Cast(cast, clock),
        BoundCall { Over: not null } call => throw new SqlValidationException($"OVER window function {call.Function} is not supported in this expression", call.Span),
        BoundCall { Kind: not BoundFunctionKind.Scalar } call => throw new SqlValidationException($"Aggregate function {call.Function} cannot be evaluated as a scalar expression", call.Span),
        BoundCall call => Call(call, clock),
        BoundSubquery subquery => throw new SqlValidationException(
            "A subquery runs only as a conjunct of WHERE (IN, NOT IN, EXISTS, NOT EXISTS) or as a scalar subquery in WHERE or the SELECT list of a SELECT without aggregation; not here",
            subquery.Span),
        BoundOuterReference outer => throw new SqlValidationException(
            $"The correlated column '{outer.Name}' can only be read in a condition of the subquery's WHERE", outer.Span),
        _ => throw new SqlValidationException($"{expression.GetType().Name} is not supported at run time", expression.Span),
    };

    private static Func<Row, object?> Constant(object? value) => _ => value;

    private static Func<Row, object?> Column(int ordinal) => row => row[ordinal];

    /// <summary>The expression's value converted to <paramref name="type"/> (a wider numeric, a timestamp from a date),
    /// as operators see their operands.</summary>
    private static Func<Row, object?> Coerced(BoundExpression expression, SqlType type, TimeProvider clock)
    {
        var evaluate = Node(expression, clock);
        var widen = SqlCasts.Widening(expression.Type, type);
        if (widen is null)
        {
            return evaluate;
        }

        if (expression is BoundLiteral literal && SqlValues.ParseLiteral(literal) is { } constant)
        {
            return Constant(widen(constant));
        }

        return row => evaluate(row) is { } value ? widen(value) : null;
    }

    private static Func<Row, object?> FieldAccess(BoundFieldAccess access, TimeProvider clock)
    {
        var target = Node(access.Target, clock);
        var fields = access.Target.Type.Fields;
        var index = -1;
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Name == access.Field)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new SqlValidationException($"Field '{access.Field}' not found in {access.Target.Type}", access.Span);
        }

        return row => target(row) is Row value ? value[index] : null;
    }

    private static Func<Row, object?> Cast(BoundCast cast, TimeProvider clock)
    {
        var operand = Node(cast.Operand, clock);
        Func<object, object> convert;
        try
        {
            convert = SqlCasts.Converter(cast.Operand.Type, cast.Type);
        }
        catch (InvalidCastException e)
        {
            throw new SqlValidationException(e.Message, cast.Span);
        }

        var name = cast.Try ? "TRY_CAST" : "CAST";
        var target = cast.Type.WithNullable(true).WithoutTimeAttribute();
        var notNull = !cast.Try && !cast.Type.Nullable;
        var span = cast.Span;
        return row =>
        {
            if (operand(row) is not { } value)
            {
                return notNull ? throw new SqlRuntimeException($"{name} of NULL to {cast.Type}: the value must not be NULL", span) : null;
            }

            try
            {
                return convert(value);
            }
            catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException or ArgumentException)
            {
                return cast.Try ? null : throw new SqlRuntimeException($"{name} of {Show(value)} to {target} failed: {e.Message}", span, e);
            }
        };
    }

    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    /// <summary>A boolean result without allocating a box per row.</summary>
    private static object Box(bool value) => value ? BoxedTrue : BoxedFalse;

    /// <summary>A value as a message shows it: strings quoted, others in Flink's text form.</summary>
    internal static string Show(object? value) => value is string text ? $"'{text}'" : new Row([value]).ToString();

    private static Func<Row, object?> Strict(Func<Row, object?> a, Func<object, object?> apply) =>
        row => a(row) is { } x ? apply(x) : null;

    private static Func<Row, object?> Strict(Func<Row, object?> a, Func<Row, object?> b, Func<object, object, object?> apply) =>
        row => a(row) is { } x && b(row) is { } y ? apply(x, y) : null;

    private static Func<Row, object?> Strict(Func<Row, object?> a, Func<Row, object?> b, Func<Row, object?> c, Func<object, object, object, object?> apply) =>
        row => a(row) is { } x && b(row) is { } y && c(row) is { } z ? apply(x, y, z) : null;

    private static Func<Row, object?>[] Nodes(Ast.NodeList<BoundExpression> expressions, TimeProvider clock)
    {
        var nodes = new Func<Row, object?>[expressions.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = Node(expressions[i], clock);
        }

        return nodes;
    }

    /// <summary>The common type of all <paramref name="expressions"/>, as comparisons, IN and COALESCE convert to.</summary>
    private static SqlType CommonType(Ast.NodeList<BoundExpression> expressions)
    {
        var common = expressions[0].Type;
        for (var i = 1; i < expressions.Count; i++)
        {
            common = SqlTypeRules.CommonType(common, expressions[i].Type) ?? common;
        }

        return common;
    }
}
