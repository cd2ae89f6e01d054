using System.Linq.Expressions;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Catalog;

/// <summary>
/// A C# scalar function callable from SQL by name (<c>SqlEnvironment.CreateTemporarySystemFunction</c>): its SQL
/// parameter and result types and an invoker over <see cref="Row"/>'s value representation. The invoker calls the
/// delegate with each argument converted to the parameter's .NET type; when an argument is NULL and its .NET
/// parameter cannot hold null (a non-nullable value type), the delegate is not called and the result is NULL.
/// Immutable; thread-safe if the delegate is.
/// </summary>
internal sealed class CatalogFunction
{
    private readonly Func<object?[], object?> _invoke;
    private readonly bool[] _nullGivesNull;

    private CatalogFunction(string name, SqlType[] parameterTypes, SqlType resultType, Func<object?[], object?> invoke, bool[] nullGivesNull)
    {
        Name = name;
        ParameterTypes = parameterTypes;
        ResultType = resultType;
        _invoke = invoke;
        _nullGivesNull = nullGivesNull;
    }

    /// <summary>The name as registered; SQL calls it case-insensitively.</summary>
    public string Name { get; }

    /// <summary>The SQL types of the parameters; arguments are implicitly cast to them.</summary>
    public IReadOnlyList<SqlType> ParameterTypes { get; }

    /// <summary>The SQL type of the result.</summary>
    public SqlType ResultType { get; }

    /// <summary>
    /// Makes a function of <paramref name="function"/>. Types not given are derived from the delegate's .NET types as
    /// DataStream tables derive column types (<c>long</c> BIGINT NOT NULL, <c>long?</c> BIGINT, <c>string</c> STRING,
    /// <c>DateTime</c> TIMESTAMP(3), ...); types given must have the delegate's .NET type as their value
    /// representation (DECIMAL(10, 2) for <c>decimal</c>, TIMESTAMP(3) for <c>DateTime</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A .NET type with no SQL type, a declared type that does not match, or a
    /// delegate without a return value.</exception>
    public static CatalogFunction Create(string name, Delegate function, SqlType? resultType, IReadOnlyList<SqlType>? parameterTypes)
    {
        var method = function.Method;
        var parameters = method.GetParameters();
        if (method.ReturnType == typeof(void))
        {
            throw new ArgumentException($"Function '{name}' must return a value", nameof(function));
        }

        if (parameterTypes is not null && parameterTypes.Count != parameters.Length)
        {
            throw new ArgumentException($"Function '{name}' takes {parameters.Length} parameters, but {parameterTypes.Count} types are declared", nameof(parameterTypes));
        }

        var sqlParameters = new SqlType[parameters.Length];
        var nullGivesNull = new bool[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var clr = parameters[i].ParameterType;
            sqlParameters[i] = Declared(name, $"parameter '{parameters[i].Name}'", clr, parameterTypes?[i]).WithNullable(true);
            nullGivesNull[i] = clr.IsValueType && Nullable.GetUnderlyingType(clr) is null;
        }

        var result = Declared(name, "result", method.ReturnType, resultType);
        if (nullGivesNull.Any(n => n))
        {
            result = result.WithNullable(true);
        }

        return new CatalogFunction(name, sqlParameters, result, Invoker(function, parameters.Select(p => p.ParameterType).ToArray()), nullGivesNull);
    }

    /// <summary>Calls the function on argument values already converted to <see cref="ParameterTypes"/>.</summary>
    public object? Invoke(object?[] arguments)
    {
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] is null && _nullGivesNull[i])
            {
                return null;
            }
        }

        return _invoke(arguments);
    }

    private static SqlType Declared(string name, string what, Type clr, SqlType? declared)
    {
        var underlying = Nullable.GetUnderlyingType(clr) ?? clr;
        if (declared is null)
        {
            return TypeOf(underlying)?.WithNullable(!clr.IsValueType || underlying != clr)
                ?? throw new ArgumentException($"The {what} of function '{name}' has .NET type {clr.Name}, which has no SQL type; see docs/sql.md, \"User-defined functions\"");
        }

        if (RowValueTypes.ClrTypeOf(declared) != underlying)
        {
            throw new ArgumentException($"The {what} of function '{name}' is declared {declared}, whose values are {RowValueTypes.ClrTypeOf(declared)?.Name ?? "not supported in functions"}, but its .NET type is {clr.Name}");
        }

        return declared.WithoutTimeAttribute();
    }

    private static SqlType? TypeOf(Type clr) => Type.GetTypeCode(clr) switch
    {
        TypeCode.Boolean => SqlType.Boolean,
        TypeCode.SByte => SqlType.TinyInt,
        TypeCode.Int16 => SqlType.SmallInt,
        TypeCode.Int32 => SqlType.Int,
        TypeCode.Int64 => SqlType.BigInt,
        TypeCode.Single => SqlType.Float,
        TypeCode.Double => SqlType.Double,
        TypeCode.Decimal => SqlType.Decimal(38, 18),
        TypeCode.String => SqlType.String,
        TypeCode.DateTime => SqlType.Timestamp(3),
        _ when clr == typeof(byte[]) => SqlType.Bytes,
        _ when clr == typeof(DateOnly) => SqlType.Date,
        _ when clr == typeof(TimeOnly) => SqlType.Time(3),
        _ when clr == typeof(DateTimeOffset) => SqlType.TimestampLtz(3),
        _ when clr == typeof(TimeSpan) => SqlType.IntervalDayTime,
        _ => null,
    };

    /// <summary>A compiled call of the delegate with each array element unboxed or cast to its parameter type, and the
    /// result boxed: no reflection per call.</summary>
    private static Func<object?[], object?> Invoker(Delegate function, Type[] parameterTypes)
    {
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var values = parameterTypes.Select((type, i) => (Expression)Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), type));
        var call = Expression.Invoke(Expression.Constant(function), values);
        return Expression.Lambda<Func<object?[], object?>>(Expression.Convert(call, typeof(object)), arguments).Compile();
    }
}
