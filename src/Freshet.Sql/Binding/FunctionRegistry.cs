using Freshet.Sql.Ast;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>
/// The functions SQL can call, by upper-case name (see docs/sql.md, "Functions"). Function names are
/// case-insensitive. Result types follow Flink; nullability is the OR of the arguments' unless stated.
/// Immutable; thread-safe.
/// </summary>
internal static class FunctionRegistry
{
    private static readonly Dictionary<string, FunctionDefinition> Functions = Build();

    /// <summary>Names of the old GROUP BY window functions, refused with a pointer to the window table functions.</summary>
    public static readonly HashSet<string> GroupWindowFunctions = new(StringComparer.Ordinal) { "TUMBLE", "HOP", "SESSION", "CUMULATE" };

    public static IEnumerable<string> Names => Functions.Keys;

    public static bool TryGet(string upperName, out FunctionDefinition definition) =>
        Functions.TryGetValue(upperName, out definition!);

    private static Dictionary<string, FunctionDefinition> Build()
    {
        var all = new List<FunctionDefinition>
        {
            // Aggregates.
            new("COUNT", BoundFunctionKind.Aggregate, 0, 1, _ => SqlType.BigInt.WithNullable(false)),
            new("SUM", BoundFunctionKind.Aggregate, 1, 1, a => Sum(a[0])),
            new("AVG", BoundFunctionKind.Aggregate, 1, 1, a => Average(a[0])),
            new("MIN", BoundFunctionKind.Aggregate, 1, 1, a => Orderable(a[0]) ? a[0].WithoutTimeAttribute().WithNullable(true) : null),
            new("MAX", BoundFunctionKind.Aggregate, 1, 1, a => Orderable(a[0]) ? a[0].WithoutTimeAttribute().WithNullable(true) : null),

            // Ranking functions, only with OVER.
            new("ROW_NUMBER", BoundFunctionKind.Ranking, 0, 0, _ => SqlType.BigInt.WithNullable(false)),
            new("RANK", BoundFunctionKind.Ranking, 0, 0, _ => SqlType.BigInt.WithNullable(false)),
            new("DENSE_RANK", BoundFunctionKind.Ranking, 0, 0, _ => SqlType.BigInt.WithNullable(false)),

            // Strings.
            Scalar("UPPER", 1, 1, a => Text(a, 1) ? Str(a) : null),
            Scalar("LOWER", 1, 1, a => Text(a, 1) ? Str(a) : null),
            Scalar("TRIM", 1, 1, a => Text(a, 1) ? Str(a) : null),
            Scalar("LTRIM", 1, 1, a => Text(a, 1) ? Str(a) : null),
            Scalar("RTRIM", 1, 1, a => Text(a, 1) ? Str(a) : null),
            Scalar("CHAR_LENGTH", 1, 1, a => Text(a, 1) ? SqlType.Int.WithNullable(AnyNullable(a)) : null),
            Scalar("CHARACTER_LENGTH", 1, 1, a => Text(a, 1) ? SqlType.Int.WithNullable(AnyNullable(a)) : null),
            Scalar("SUBSTRING", 2, 3, a => SqlTypeRules.IsCharacter(a[0]) && a.Skip(1).All(Integer) ? Str(a) : null),
            Scalar("SUBSTR", 2, 3, a => SqlTypeRules.IsCharacter(a[0]) && a.Skip(1).All(Integer) ? Str(a) : null),
            Scalar("CONCAT", 1, int.MaxValue, a => Text(a, a.Count) ? Str(a) : null),
            Scalar("REPLACE", 3, 3, a => Text(a, 3) ? Str(a) : null),
            Scalar("REGEXP_EXTRACT", 2, 3, a => Text(a, 2) && (a.Count == 2 || Integer(a[2])) ? SqlType.String : null),
            Scalar("REGEXP_REPLACE", 3, 3, a => Text(a, 3) ? Str(a) : null),
            // SPLIT_INDEX(s, separator, index): the index-th (0-based) field; NULL when the index is out of range.
            Scalar("SPLIT_INDEX", 3, 3, a => Text(a, 2) && Integer(a[2]) ? SqlType.String : null),

            // Math.
            Scalar("ABS", 1, 1, a => SqlTypeRules.IsNumeric(a[0]) ? a[0].WithoutTimeAttribute() : null),
            Scalar("MOD", 2, 2, a => Integer(a[0]) && Integer(a[1]) ? SqlTypeRules.Binary(BinaryOperator.Modulo, a[0], a[1]) : null),
            Scalar("ROUND", 1, 2, a => SqlTypeRules.IsNumeric(a[0]) && (a.Count == 1 || Integer(a[1])) ? a[0].WithoutTimeAttribute() : null),
            Scalar("FLOOR", 1, 1, a => SqlTypeRules.IsNumeric(a[0]) ? WholeNumber(a[0]) : null),
            Scalar("CEIL", 1, 1, a => SqlTypeRules.IsNumeric(a[0]) ? WholeNumber(a[0]) : null),
            Scalar("CEILING", 1, 1, a => SqlTypeRules.IsNumeric(a[0]) ? WholeNumber(a[0]) : null),
            Scalar("POWER", 2, 2, a => a.All(SqlTypeRules.IsNumeric) ? SqlType.Double.WithNullable(AnyNullable(a)) : null),
            Scalar("SQRT", 1, 1, a => SqlTypeRules.IsNumeric(a[0]) ? SqlType.Double.WithNullable(AnyNullable(a)) : null),
            Scalar("LN", 1, 1, a => SqlTypeRules.IsNumeric(a[0]) ? SqlType.Double.WithNullable(AnyNullable(a)) : null),
            Scalar("EXP", 1, 1, a => SqlTypeRules.IsNumeric(a[0]) ? SqlType.Double.WithNullable(AnyNullable(a)) : null),

            // Time. CURRENT_TIMESTAMP and NOW are instants; LOCALTIMESTAMP is wall-clock time in the session zone.
            Scalar("CURRENT_TIMESTAMP", 0, 0, _ => SqlType.TimestampLtz(3).WithNullable(false)),
            Scalar("NOW", 0, 0, _ => SqlType.TimestampLtz(3).WithNullable(false)),
            Scalar("LOCALTIMESTAMP", 0, 0, _ => SqlType.Timestamp(3).WithNullable(false)),
            Scalar("CURRENT_DATE", 0, 0, _ => SqlType.Date.WithNullable(false)),
            Scalar("CURRENT_TIME", 0, 0, _ => SqlType.Time(0).WithNullable(false)),
            Scalar("PROCTIME", 0, 0, _ => SqlType.TimestampLtz(3).WithNullable(false) with { TimeAttribute = TimeAttributeKind.Proctime }),
            Scalar("DATE_FORMAT", 2, 2, a => (SqlTypeRules.IsTimestamp(a[0]) || SqlTypeRules.IsCharacter(a[0])) && SqlTypeRules.IsCharacter(a[1]) ? Str(a) : null),
            // HOUR(t) ... DAYOFWEEK(t): EXTRACT(unit FROM t), as Flink (Calcite) defines them.
            Scalar("HOUR", 1, 1, a => TimeOfDay(a[0]) ? Field(a[0]) : null),
            Scalar("MINUTE", 1, 1, a => TimeOfDay(a[0]) ? Field(a[0]) : null),
            Scalar("SECOND", 1, 1, a => TimeOfDay(a[0]) ? Field(a[0]) : null),
            Scalar("YEAR", 1, 1, a => Day(a[0]) ? Field(a[0]) : null),
            Scalar("QUARTER", 1, 1, a => Day(a[0]) ? Field(a[0]) : null),
            Scalar("MONTH", 1, 1, a => Day(a[0]) ? Field(a[0]) : null),
            Scalar("WEEK", 1, 1, a => Day(a[0]) ? Field(a[0]) : null),
            Scalar("DAYOFYEAR", 1, 1, a => Day(a[0]) ? Field(a[0]) : null),
            Scalar("DAYOFMONTH", 1, 1, a => Day(a[0]) ? Field(a[0]) : null),
            Scalar("DAYOFWEEK", 1, 1, a => Day(a[0]) ? Field(a[0]) : null),
            Scalar("TO_TIMESTAMP", 1, 2, a => Text(a, a.Count) ? SqlType.Timestamp(3) : null),
            Scalar("TO_DATE", 1, 2, a => Text(a, a.Count) ? SqlType.Date : null),

            // Conditionals.
            Scalar("COALESCE", 1, int.MaxValue, Coalesce),
            Scalar("NULLIF", 2, 2, a => SqlTypeRules.Comparable(a[0], a[1]) ? a[0].WithoutTimeAttribute().WithNullable(true) : null),
            Scalar("IF", 3, 3, a => Boolean(a[0]) ? SqlTypeRules.CommonType(a[1], a[2]) : null),
        };
        return all.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    private static FunctionDefinition Scalar(string name, int min, int max, Func<IReadOnlyList<SqlType>, SqlType?> result) =>
        new(name, BoundFunctionKind.Scalar, min, max, result);

    private static bool AnyNullable(IReadOnlyList<SqlType> a) => a.Any(t => t.Nullable);

    private static bool Text(IReadOnlyList<SqlType> a, int count) =>
        a.Take(count).All(t => SqlTypeRules.IsCharacter(t) || t.Kind == SqlTypeKind.Null);

    private static bool Integer(SqlType t) => SqlTypeRules.IsExactInteger(t) || t.Kind == SqlTypeKind.Null;

    private static bool TimeOfDay(SqlType t) => t.Kind is SqlTypeKind.Time or SqlTypeKind.Null || SqlTypeRules.IsTimestamp(t);

    private static bool Day(SqlType t) => t.Kind is SqlTypeKind.Date or SqlTypeKind.Null || SqlTypeRules.IsTimestamp(t);

    private static SqlType Field(SqlType t) => SqlType.BigInt.WithNullable(t.Nullable);

    private static bool Boolean(SqlType t) => t.Kind is SqlTypeKind.Boolean or SqlTypeKind.Null;

    private static SqlType Str(IReadOnlyList<SqlType> a) => SqlType.String.WithNullable(AnyNullable(a));

    private static bool Orderable(SqlType t) => t.Kind is not (SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Row or SqlTypeKind.Null);

    private static SqlType? Sum(SqlType t) => t.Kind switch
    {
        SqlTypeKind.Decimal => SqlType.Decimal(SqlType.MaxDecimalPrecision, t.Scale),
        _ when SqlTypeRules.IsNumeric(t) => t.WithNullable(true),
        _ => null,
    };

    private static SqlType? Average(SqlType t) => t.Kind switch
    {
        SqlTypeKind.Decimal => SqlType.Decimal(SqlType.MaxDecimalPrecision, Math.Max(6, t.Scale)),
        _ when SqlTypeRules.IsNumeric(t) => t.WithNullable(true),
        _ => null,
    };

    private static SqlType WholeNumber(SqlType t) =>
        t.Kind == SqlTypeKind.Decimal ? SqlTypeRules.BoundedDecimal(t.Precision - t.Scale + (t.Scale > 0 ? 1 : 0), 0).WithNullable(t.Nullable) : t.WithoutTimeAttribute();

    private static SqlType? Coalesce(IReadOnlyList<SqlType> a)
    {
        var common = a[0];
        for (var i = 1; i < a.Count; i++)
        {
            if (SqlTypeRules.CommonType(common, a[i]) is not { } next)
            {
                return null;
            }

            common = next;
        }

        return common.WithoutTimeAttribute().WithNullable(a.All(t => t.Nullable));
    }
}
