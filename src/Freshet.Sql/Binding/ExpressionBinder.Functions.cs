using Freshet.Sql.Ast;
using Freshet.Sql.Catalog;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>Function calls: the registry lookup, aggregate placement, and OVER windows.</summary>
internal sealed partial class ExpressionBinder
{
    private static readonly Dictionary<Clause, string> ClauseNames = new()
    {
        [Clause.Where] = "WHERE",
        [Clause.GroupBy] = "GROUP BY",
        [Clause.On] = "the ON condition of a join",
        [Clause.OrderBy] = "ORDER BY",
        [Clause.Values] = "VALUES",
        [Clause.WindowArgument] = "a window function argument",
        [Clause.ComputedColumn] = "a computed column",
        [Clause.Watermark] = "a WATERMARK",
        [Clause.Limit] = "LIMIT",
        [Clause.Having] = "HAVING",
        [Clause.Select] = "SELECT",
    };

    private BoundCall BindCall(FunctionCall call)
    {
        var nameNode = call.Name.Parts[^1];
        if (call.Name.Parts.Count > 1)
        {
            throw new SqlValidationException($"Qualified function name '{string.Join('.', call.Name.Parts.Select(p => p.Value))}' is not supported", call.Name.Span);
        }

        var name = nameNode.Value.ToUpperInvariant();
        if (FunctionRegistry.GroupWindowFunctions.Contains(name))
        {
            throw new SqlValidationException(
                $"Group window function {name}(...) is not supported; use the window table function FROM TABLE({name}(TABLE t, DESCRIPTOR(ts), ...))",
                call.Span);
        }

        if (!FunctionRegistry.TryGet(name, out var definition))
        {
            if (_queries.Catalog.TryGetFunction(name, out var function))
            {
                return BindUserFunctionCall(call, function);
            }

            throw new SqlValidationException($"No function named '{nameNode.Value}'{NameSuggestions.Hint(name, FunctionRegistry.Names)}", nameNode.Span);
        }

        var isAggregate = definition.Kind == BoundFunctionKind.Aggregate;
        if (call.Distinct && !isAggregate)
        {
            throw new SqlValidationException($"DISTINCT is only allowed in aggregate functions, not in {name}", call.Span);
        }

        if (call.StarArgument && name != "COUNT")
        {
            throw new SqlValidationException($"'*' is only allowed as the argument of COUNT, not of {name}", call.Span);
        }

        if (call.Filter is not null && !isAggregate)
        {
            throw new SqlValidationException($"FILTER is only allowed on aggregate functions, not on {name}", call.Span);
        }

        if (definition.Kind == BoundFunctionKind.Ranking && call.Over is null)
        {
            throw new SqlValidationException($"{name} needs an OVER window", call.Span);
        }

        if (call.Over is not null && definition.Kind == BoundFunctionKind.Scalar)
        {
            throw new SqlValidationException($"OVER is only allowed on aggregate and ranking functions, not on {name}", call.Span);
        }

        if ((isAggregate || call.Over is not null) && _clause != Clause.Select && !(_clause == Clause.Having && call.Over is null))
        {
            var what = call.Over is null ? "Aggregate function" : "OVER window function";
            throw new SqlValidationException($"{what} {name} is not allowed in {ClauseNames[_clause]}", call.Span);
        }

        if ((isAggregate || definition.Kind == BoundFunctionKind.Ranking) && _insideAggregate)
        {
            throw new SqlValidationException($"Aggregate function {name} cannot be nested in another aggregate", call.Span);
        }

        var count = call.Arguments.Count;
        if (count < definition.MinArguments || count > definition.MaxArguments || (name == "COUNT" && count == 0 && !call.StarArgument))
        {
            var expected = definition.MinArguments == definition.MaxArguments ? $"{definition.MinArguments}"
                : definition.MaxArguments == int.MaxValue ? $"at least {definition.MinArguments}"
                : $"{definition.MinArguments} to {definition.MaxArguments}";
            var noun = expected == "1" ? "argument" : "arguments";
            throw new SqlValidationException($"Function {name} takes {expected} {noun}, but got {count}", call.Span);
        }

        var wasInside = _insideAggregate;
        _insideAggregate = isAggregate || definition.Kind == BoundFunctionKind.Ranking;
        var arguments = new List<BoundExpression>();
        BoundExpression? filter = null;
        try
        {
            foreach (var argument in call.Arguments)
            {
                arguments.Add(Bind(argument));
            }

            if (call.Filter is not null)
            {
                filter = BindBoolean(call.Filter, "A FILTER condition");
            }
        }
        finally
        {
            _insideAggregate = wasInside;
        }

        var type = definition.Result(arguments.Select(a => a.Type).ToArray())
            ?? throw new SqlValidationException(
                $"Cannot apply '{name}' to {string.Join(", ", arguments.Select(a => Describe(a.Type)))}", call.Span);

        BoundOverWindow? over = null;
        if (call.Over is not null)
        {
            over = BindOver(call.Over, name, definition.Kind);
            if (definition.Kind == BoundFunctionKind.Ranking)
            {
                SawRanking = true;
            }
            else
            {
                SawOverAggregate = true;
            }
        }
        else if (isAggregate)
        {
            SawAggregate = true;
        }

        return new BoundCall(name, definition.Kind, new NodeList<BoundExpression>(arguments))
        {
            Type = type,
            Span = call.Span,
            Distinct = call.Distinct,
            Filter = filter,
            Over = over,
        };
    }

    /// <summary>A call of a temporary system function: a plain scalar call whose arguments are implicitly cast to the
    /// declared parameter types.</summary>
    private BoundCall BindUserFunctionCall(FunctionCall call, CatalogFunction function)
    {
        var name = function.Name;
        if (call.Distinct || call.StarArgument || call.Filter is not null || call.Over is not null)
        {
            throw new SqlValidationException($"{name} is a scalar function: no DISTINCT, '*', FILTER or OVER", call.Span);
        }

        var parameters = function.ParameterTypes;
        if (call.Arguments.Count != parameters.Count)
        {
            throw new SqlValidationException($"Function {name} takes {parameters.Count} {(parameters.Count == 1 ? "argument" : "arguments")}, but got {call.Arguments.Count}", call.Span);
        }

        var arguments = new List<BoundExpression>();
        for (var i = 0; i < parameters.Count; i++)
        {
            var argument = Bind(call.Arguments[i]);
            if (!SqlTypeRules.Assignable(argument.Type, parameters[i]))
            {
                throw new SqlValidationException(
                    $"Cannot apply '{name}' to {string.Join(", ", call.Arguments.Select(a => Syntax(a)))}: argument {i + 1} is {Describe(argument.Type)}, but the function takes {parameters[i]}",
                    call.Arguments[i].Span);
            }

            arguments.Add(argument);
        }

        return new BoundCall(name.ToUpperInvariant(), BoundFunctionKind.Scalar, new NodeList<BoundExpression>(arguments))
        {
            Type = function.ResultType,
            Span = call.Span,
            UserFunction = function,
        };
    }

    private BoundOverWindow BindOver(WindowSpecification specification, string function, BoundFunctionKind kind)
    {
        if (specification.BaseWindow is { } baseName)
        {
            var named = _namedWindows.FirstOrDefault(w => w.Name.Value == baseName.Value)
                ?? throw new SqlValidationException($"Window '{baseName.Value}' not found", baseName.Span);
            if (specification.PartitionBy.Count > 0 || specification.OrderBy.Count > 0 || specification.Frame is not null)
            {
                throw new SqlValidationException("Refining a named window in OVER is not supported", specification.Span);
            }

            specification = named.Specification;
        }

        var wasInside = _insideAggregate;
        _insideAggregate = true;
        try
        {
            var partition = new NodeList<BoundExpression>(specification.PartitionBy.Select(Bind).ToArray());
            var order = new NodeList<BoundSortKey>(specification.OrderBy
                .Select(o => new BoundSortKey(Bind(o.Expression), o.Direction == SortDirection.Descending) { NullsFirst = o.Nulls is null ? null : o.Nulls == NullOrdering.First }).ToArray());
            if (order.Count == 0)
            {
                throw new SqlValidationException($"{function} OVER (...) needs an ORDER BY", specification.Span);
            }

            if (kind == BoundFunctionKind.Aggregate)
            {
                // Flink's streaming OVER aggregation advances with time: one ascending time attribute orders it.
                var key = order[0];
                if (order.Count != 1 || key.Descending || key.Expression.Type.TimeAttribute == TimeAttributeKind.None)
                {
                    throw new SqlValidationException(
                        $"OVER aggregation must be ordered by one time attribute ascending, but '{Syntax(specification.OrderBy[0].Expression)}' is {key.Expression.Type}",
                        specification.OrderBy[0].Span);
                }
            }
            else if (specification.Frame is not null)
            {
                throw new SqlValidationException($"{function} does not take a window frame", specification.Frame.Span);
            }

            if (kind != BoundFunctionKind.Aggregate || specification.Frame is not { } frame)
            {
                return new BoundOverWindow(partition, order, specification.Frame);
            }

            return new BoundOverWindow(partition, order, frame) { Rows = frame.Unit == FrameUnit.Rows, Preceding = BindFrameStart(frame) };
        }
        finally
        {
            _insideAggregate = wasInside;
        }
    }

    /// <summary>
    /// The start of an OVER aggregation's frame as an offset before the current row (null for UNBOUNDED PRECEDING).
    /// Flink's streaming OVER aggregation runs only frames that end at the current row: ROWS take a row count, RANGE
    /// over a time attribute an interval.
    /// </summary>
    private BoundExpression? BindFrameStart(WindowFrame frame)
    {
        if (frame.End is { Kind: not FrameBoundKind.CurrentRow } end)
        {
            throw new SqlValidationException("OVER aggregation frames must end at CURRENT ROW", end.Span);
        }

        var start = frame.Start;
        switch (start.Kind)
        {
            case FrameBoundKind.UnboundedPreceding:
                return null;
            case FrameBoundKind.CurrentRow:
                return frame.Unit == FrameUnit.Rows
                    ? new BoundLiteral("0") { Type = SqlType.BigInt.WithNullable(false), Span = start.Span }
                    : new BoundLiteral("INTERVAL '0' SECOND") { Type = SqlType.IntervalDayTime.WithNullable(false), Span = start.Span };
            case FrameBoundKind.Preceding when start.Offset is not null:
                var offset = Bind(start.Offset);
                if (frame.Unit == FrameUnit.Rows)
                {
                    if (offset is not BoundLiteral { Text: { } digits } || !SqlTypeRules.IsExactInteger(offset.Type) || !long.TryParse(digits, out var count) || count < 0)
                    {
                        throw new SqlValidationException($"A ROWS frame needs a non-negative whole number of rows, not '{Syntax(start.Offset)}'", start.Offset.Span);
                    }

                    return new BoundLiteral(count.ToString(System.Globalization.CultureInfo.InvariantCulture)) { Type = SqlType.BigInt.WithNullable(false), Span = offset.Span };
                }

                if (offset is not BoundLiteral || offset.Type.Kind != SqlTypeKind.IntervalDayTime || Syntax(start.Offset).Contains('-', StringComparison.Ordinal))
                {
                    throw new SqlValidationException($"A RANGE frame over a time attribute needs a non-negative day-time INTERVAL, not '{Syntax(start.Offset)}'", start.Offset.Span);
                }

                return offset;
            default:
                throw new SqlValidationException("OVER aggregation frames must start at UNBOUNDED PRECEDING, n PRECEDING or CURRENT ROW", start.Span);
        }
    }

    private static string Syntax(SqlExpression expression) => Printing.SqlPrinter.Print(expression);
}
