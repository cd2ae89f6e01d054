using Freshet.Sql.Ast;
using Freshet.Sql.Syntax;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>Operators, predicates, CASE, CAST and constructors.</summary>
internal sealed partial class ExpressionBinder
{
    private static BoundCall Call(string function, SqlType type, SqlSpan span, params BoundExpression[] arguments) =>
        new(function, BoundFunctionKind.Scalar, new NodeList<BoundExpression>(arguments)) { Type = type, Span = span };

    private static bool AnyNullable(params BoundExpression[] expressions) => expressions.Any(e => e.Type.Nullable);

    private static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => "OR",
        BinaryOperator.And => "AND",
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "<>",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.IsDistinctFrom => "IS DISTINCT FROM",
        BinaryOperator.IsNotDistinctFrom => "IS NOT DISTINCT FROM",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        _ => "||",
    };

    private BoundCall BindSubscript(SubscriptExpression subscript)
    {
        var target = Bind(subscript.Target);
        var index = Bind(subscript.Index);
        SqlType? type = target.Type.Kind switch
        {
            SqlTypeKind.Array when SqlTypeRules.IsExactInteger(index.Type) => target.Type.Element,
            SqlTypeKind.Map when SqlTypeRules.Comparable(target.Type.Key!, index.Type) => target.Type.Element,
            _ => null,
        };
        if (type is null)
        {
            throw new SqlValidationException($"Cannot apply '[]' to {Describe(target.Type)} and {Describe(index.Type)}", subscript.Span);
        }

        return Call("ITEM", type.WithNullable(true), subscript.Span, target, index);
    }

    private BoundExpression BindUnary(UnaryExpression unary)
    {
        var operand = Bind(unary.Operand);
        if (unary.Operator == UnaryOperator.Not)
        {
            if (operand.Type.Kind is not (SqlTypeKind.Boolean or SqlTypeKind.Null))
            {
                throw new SqlValidationException($"Cannot apply 'NOT' to {Describe(operand.Type)}", unary.Span);
            }

            return Call("NOT", SqlType.Boolean.WithNullable(operand.Type.Nullable), unary.Span, operand);
        }

        if (!SqlTypeRules.IsNumeric(operand.Type) && !SqlTypeRules.IsInterval(operand.Type))
        {
            var symbol = unary.Operator == UnaryOperator.Negate ? "-" : "+";
            throw new SqlValidationException($"Cannot apply '{symbol}' to {Describe(operand.Type)}", unary.Span);
        }

        return unary.Operator == UnaryOperator.Plus ? operand : Call("NEGATE", operand.Type.WithoutTimeAttribute(), unary.Span, operand);
    }

    private BoundCall BindBinary(BinaryExpression binary)
    {
        var left = Bind(binary.Left);
        var right = Bind(binary.Right);
        var symbol = Symbol(binary.Operator);
        switch (binary.Operator)
        {
            case BinaryOperator.And or BinaryOperator.Or:
                if (left.Type.Kind is not (SqlTypeKind.Boolean or SqlTypeKind.Null) || right.Type.Kind is not (SqlTypeKind.Boolean or SqlTypeKind.Null))
                {
                    throw new SqlValidationException($"Cannot apply '{symbol}' to {Describe(left.Type)} and {Describe(right.Type)}", binary.Span);
                }

                return Call(symbol, SqlType.Boolean.WithNullable(AnyNullable(left, right)), binary.Span, left, right);
            case BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.Less or BinaryOperator.LessOrEqual
                or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual or BinaryOperator.IsDistinctFrom or BinaryOperator.IsNotDistinctFrom:
                return Compare(symbol, left, right, binary.Span);
            default:
                var type = SqlTypeRules.Binary(binary.Operator, left.Type, right.Type)
                    ?? throw new SqlValidationException($"Cannot apply '{symbol}' to {Describe(left.Type)} and {Describe(right.Type)}", binary.Span);
                return Call(symbol, type, binary.Span, left, right);
        }
    }

    private static BoundCall Compare(string symbol, BoundExpression left, BoundExpression right, SqlSpan span)
    {
        if (!SqlTypeRules.Comparable(left.Type, right.Type) || left.Type.Kind is SqlTypeKind.Map)
        {
            throw new SqlValidationException($"Cannot compare {Describe(left.Type)} and {Describe(right.Type)} with '{symbol}'", span);
        }

        var nullable = symbol is not ("IS DISTINCT FROM" or "IS NOT DISTINCT FROM") && AnyNullable(left, right);
        return Call(symbol, SqlType.Boolean.WithNullable(nullable), span, left, right);
    }

    private BoundCall BindBetween(BetweenExpression between)
    {
        var operand = Bind(between.Operand);
        var low = Compare(">=", operand, Bind(between.Low), between.Span);
        var high = Compare("<=", operand, Bind(between.High), between.Span);
        var both = Call("AND", SqlType.Boolean.WithNullable(AnyNullable(low, high)), between.Span, low, high);
        return between.Negated ? Call("NOT", both.Type, between.Span, both) : both;
    }

    private BoundCall BindInList(InListExpression inList)
    {
        var operand = Bind(inList.Operand);
        var arguments = new List<BoundExpression> { operand };
        foreach (var value in inList.Values)
        {
            var bound = Bind(value);
            if (!SqlTypeRules.Comparable(operand.Type, bound.Type))
            {
                throw new SqlValidationException($"Cannot compare {Describe(operand.Type)} and {Describe(bound.Type)} in IN list", value.Span);
            }

            arguments.Add(bound);
        }

        var type = SqlType.Boolean.WithNullable(arguments.Any(a => a.Type.Nullable));
        var call = new BoundCall(inList.Negated ? "NOT IN" : "IN", BoundFunctionKind.Scalar, new NodeList<BoundExpression>(arguments)) { Type = type, Span = inList.Span };
        return call;
    }

    private BoundSubquery BindInSubquery(InSubqueryExpression inQuery)
    {
        var operand = Bind(inQuery.Operand);
        var query = _queries.BindSubquery(inQuery.Query, _scope);
        if (query.Columns.Count != 1)
        {
            throw new SqlValidationException($"The subquery of IN must return one column, but returns {query.Columns.Count}", inQuery.Query.Span);
        }

        if (!SqlTypeRules.Comparable(operand.Type, query.Columns[0].Type))
        {
            throw new SqlValidationException($"Cannot compare {Describe(operand.Type)} and {Describe(query.Columns[0].Type)} in IN", inQuery.Span);
        }

        return new BoundSubquery(BoundSubqueryKind.In, query, operand, inQuery.Negated) { Type = SqlType.Boolean, Span = inQuery.Span };
    }

    private BoundSubquery BindScalarSubquery(ScalarSubquery scalar)
    {
        var query = _queries.BindSubquery(scalar.Query, _scope);
        if (query.Columns.Count != 1)
        {
            throw new SqlValidationException($"A scalar subquery must return one column, but returns {query.Columns.Count}", scalar.Span);
        }

        return new BoundSubquery(BoundSubqueryKind.Scalar, query, null, false)
        {
            Type = query.Columns[0].Type.WithoutTimeAttribute().WithNullable(true),
            Span = scalar.Span,
        };
    }

    private BoundCall BindIs(IsExpression isExpression)
    {
        var operand = Bind(isExpression.Operand);
        if (isExpression.Test != IsTest.Null && operand.Type.Kind is not (SqlTypeKind.Boolean or SqlTypeKind.Null))
        {
            throw new SqlValidationException($"Cannot apply 'IS {isExpression.Test.ToString().ToUpperInvariant()}' to {Describe(operand.Type)}", isExpression.Span);
        }

        var name = "IS " + (isExpression.Negated ? "NOT " : string.Empty) + isExpression.Test.ToString().ToUpperInvariant();
        return Call(name, SqlType.Boolean.WithNullable(false), isExpression.Span, operand);
    }

    private BoundCall BindLike(LikeExpression like)
    {
        var operand = Bind(like.Operand);
        var pattern = Bind(like.Pattern);
        var arguments = new List<BoundExpression> { operand, pattern };
        if (like.Escape is not null)
        {
            arguments.Add(Bind(like.Escape));
        }

        if (arguments.Any(a => !SqlTypeRules.IsCharacter(a.Type) && a.Type.Kind != SqlTypeKind.Null))
        {
            throw new SqlValidationException($"Cannot apply 'LIKE' to {string.Join(" and ", arguments.Select(a => Describe(a.Type)))}", like.Span);
        }

        var call = new BoundCall(like.Negated ? "NOT LIKE" : "LIKE", BoundFunctionKind.Scalar, new NodeList<BoundExpression>(arguments))
        {
            Type = SqlType.Boolean.WithNullable(arguments.Any(a => a.Type.Nullable)),
            Span = like.Span,
        };
        return call;
    }

    private BoundCall BindCase(CaseExpression caseExpression)
    {
        var operand = caseExpression.Operand is null ? null : Bind(caseExpression.Operand);
        var arguments = new List<BoundExpression>();
        SqlType? result = null;
        foreach (var when in caseExpression.Whens)
        {
            BoundExpression condition;
            if (operand is null)
            {
                condition = BindBoolean(when.Condition, "A WHEN condition");
            }
            else
            {
                condition = Compare("=", operand, Bind(when.Condition), when.Condition.Span);
            }

            var value = Bind(when.Result);
            result = Unify(result, value, when.Result.Span);
            arguments.Add(condition);
            arguments.Add(value);
        }

        if (caseExpression.Else is not null)
        {
            var value = Bind(caseExpression.Else);
            result = Unify(result, value, caseExpression.Else.Span);
            arguments.Add(value);
        }
        else
        {
            result = result!.WithNullable(true);
            arguments.Add(new BoundLiteral(null) { Type = result, Span = caseExpression.Span });
        }

        // A CASE that yields a time attribute in each branch is still an ordinary timestamp.
        var type = result!.Kind == SqlTypeKind.Null ? SqlType.Null : result.WithoutTimeAttribute();
        return new BoundCall("CASE", BoundFunctionKind.Scalar, new NodeList<BoundExpression>(arguments)) { Type = type, Span = caseExpression.Span };
    }

    private static SqlType Unify(SqlType? current, BoundExpression value, SqlSpan span)
    {
        if (current is null)
        {
            return value.Type;
        }

        return SqlTypeRules.CommonType(current, value.Type)
            ?? throw new SqlValidationException($"CASE branches have incompatible types {Describe(current)} and {Describe(value.Type)}", span);
    }

    private BoundCast BindCast(CastExpression cast)
    {
        var operand = Bind(cast.Operand);
        var target = SqlTypeConverter.Convert(cast.Type);
        if (!SqlTypeRules.Castable(operand.Type, target))
        {
            throw new SqlValidationException($"Cannot cast {Describe(operand.Type)} to {Describe(target)}", cast.Span);
        }

        // CAST keeps the operand's nullability unless the target says NOT NULL; TRY_CAST may always give NULL.
        var nullable = cast.Try || (operand.Type.Nullable && !cast.Type.NotNull);
        return new BoundCast(operand, cast.Try) { Type = target.WithNullable(nullable), Span = cast.Span };
    }

    private BoundCall BindExtract(ExtractExpression extract)
    {
        var source = Bind(extract.Source);
        if (!SqlTypeRules.IsDatetime(source.Type) && !SqlTypeRules.IsInterval(source.Type) && source.Type.Kind != SqlTypeKind.Null)
        {
            throw new SqlValidationException($"Cannot EXTRACT {extract.Unit.ToString().ToUpperInvariant()} from {Describe(source.Type)}", extract.Span);
        }

        var unit = new BoundLiteral(extract.Unit.ToString().ToUpperInvariant()) { Type = SqlType.String.WithNullable(false), Span = extract.Span };
        return Call("EXTRACT", SqlType.BigInt.WithNullable(source.Type.Nullable), extract.Span, unit, source);
    }

    private BoundCall BindConstructor(ValueConstructor constructor)
    {
        var elements = constructor.Elements.Select(Bind).ToArray();
        SqlType type;
        switch (constructor.Kind)
        {
            case ConstructorKind.Array:
                type = SqlType.Array(CommonOf(elements, "ARRAY elements", constructor.Span));
                break;
            case ConstructorKind.Map:
                if (elements.Length == 0 || elements.Length % 2 != 0)
                {
                    throw new SqlValidationException("MAP[...] needs an even, non-zero number of values: key, value, ...", constructor.Span);
                }

                type = SqlType.Map(
                    CommonOf(elements.Where((_, i) => i % 2 == 0).ToArray(), "MAP keys", constructor.Span),
                    CommonOf(elements.Where((_, i) => i % 2 == 1).ToArray(), "MAP values", constructor.Span));
                break;
            default:
                type = SqlType.Row(elements.Select((e, i) => new SqlField($"EXPR${i}", e.Type.WithoutTimeAttribute())));
                break;
        }

        var name = constructor.Kind.ToString().ToUpperInvariant();
        return Call(name, type.WithNullable(false), constructor.Span, elements);
    }

    private static SqlType CommonOf(BoundExpression[] values, string what, SqlSpan span)
    {
        if (values.Length == 0)
        {
            throw new SqlValidationException($"{what} cannot be empty", span);
        }

        var common = values[0].Type;
        foreach (var value in values.Skip(1))
        {
            common = SqlTypeRules.CommonType(common, value.Type)
                ?? throw new SqlValidationException($"{what} have incompatible types {Describe(common)} and {Describe(value.Type)}", value.Span);
        }

        return common.WithoutTimeAttribute();
    }
}
