using Freshet.Sql.Ast;
using Freshet.Sql.Syntax;

namespace Freshet.Sql.Parsing;

/// <summary>Data types: scalar types with parameters, ARRAY, MULTISET, MAP, ROW, and nullability.</summary>
public sealed partial class SqlParser
{
    private static readonly (string Word, ScalarTypeName Name)[] SimpleTypes =
    [
        ("STRING", ScalarTypeName.String), ("BOOLEAN", ScalarTypeName.Boolean), ("BYTES", ScalarTypeName.Bytes),
        ("TINYINT", ScalarTypeName.TinyInt), ("SMALLINT", ScalarTypeName.SmallInt), ("INT", ScalarTypeName.Int),
        ("INTEGER", ScalarTypeName.Int), ("BIGINT", ScalarTypeName.BigInt), ("FLOAT", ScalarTypeName.Float),
        ("REAL", ScalarTypeName.Float), ("DATE", ScalarTypeName.Date),
    ];

    private static readonly (string Word, ScalarTypeName Name)[] LengthTypes =
    [
        ("CHAR", ScalarTypeName.Char), ("CHARACTER", ScalarTypeName.Char), ("VARCHAR", ScalarTypeName.Varchar),
        ("BINARY", ScalarTypeName.Binary), ("VARBINARY", ScalarTypeName.Varbinary),
        ("TIMESTAMP_LTZ", ScalarTypeName.TimestampLtz),
    ];

    private SqlDataType ParseDataType()
    {
        Enter();
        var start = Current;
        var type = ParseNullability(ParseTypeCore() with { Span = SpanFrom(start) });
        var wrapped = 0;
        while (true)
        {
            if (AcceptWord("ARRAY"))
            {
                type = new ArrayType(type) { Span = SpanFrom(start) };
            }
            else if (AcceptWord("MULTISET"))
            {
                type = new MultisetType(type) { Span = SpanFrom(start) };
            }
            else
            {
                break;
            }

            Enter();
            wrapped++;
            type = ParseNullability(type);
        }

        Exit(wrapped + 1);
        return type;
    }

    private SqlDataType ParseNullability(SqlDataType type)
    {
        if (AcceptWord("NOT"))
        {
            ExpectWord("NULL");
            return type with { NotNull = true, Span = type.Span.Through(Previous.Span) };
        }

        return AcceptWord("NULL") ? type with { Span = type.Span.Through(Previous.Span) } : type;
    }

    private SqlDataType ParseTypeCore()
    {
        var token = Current;
        Note("data type");
        if (token.Kind != SqlTokenKind.Word)
        {
            throw Unexpected();
        }

        foreach (var (word, name) in SimpleTypes)
        {
            if (token.IsWord(word))
            {
                Advance();
                return new ScalarType(name);
            }
        }

        foreach (var (word, name) in LengthTypes)
        {
            if (token.IsWord(word))
            {
                Advance();
                if (name == ScalarTypeName.Char && AcceptWord("VARYING"))
                {
                    return new ScalarType(ScalarTypeName.Varchar, ParseOptionalPrecision());
                }

                return new ScalarType(name, ParseOptionalPrecision());
            }
        }

        if (TakeWord("DECIMAL") || TakeWord("DEC") || TakeWord("NUMERIC"))
        {
            if (!AcceptSymbol("("))
            {
                return new ScalarType(ScalarTypeName.Decimal);
            }

            var precision = ParseTypeInteger();
            int? scale = AcceptSymbol(",") ? ParseTypeInteger() : null;
            ExpectSymbol(")");
            return new ScalarType(ScalarTypeName.Decimal, precision, scale);
        }

        if (TakeWord("DOUBLE"))
        {
            AcceptWord("PRECISION");
            return new ScalarType(ScalarTypeName.Double);
        }

        if (TakeWord("TIME"))
        {
            var precision = ParseOptionalPrecision();
            if (AcceptWord("WITHOUT"))
            {
                ExpectWords("TIME", "ZONE");
            }
            else if (Current.IsWord("WITH"))
            {
                throw Unsupported("TIME WITH TIME ZONE", Current);
            }

            return new ScalarType(ScalarTypeName.Time, precision);
        }

        if (TakeWord("TIMESTAMP"))
        {
            var precision = ParseOptionalPrecision();
            if (AcceptWord("WITHOUT"))
            {
                ExpectWords("TIME", "ZONE");
            }
            else if (CheckWord("WITH") && (PeekToken(1).IsWord("LOCAL") || PeekToken(1).IsWord("TIME")))
            {
                var withToken = Advance();
                if (!AcceptWord("LOCAL"))
                {
                    throw Unsupported("TIMESTAMP WITH TIME ZONE (use TIMESTAMP_LTZ)", withToken);
                }

                ExpectWords("TIME", "ZONE");
                return new ScalarType(ScalarTypeName.TimestampLtz, precision);
            }

            return new ScalarType(ScalarTypeName.Timestamp, precision);
        }

        if (TakeWord("ARRAY") || TakeWord("MULTISET"))
        {
            var isArray = Previous.IsWord("ARRAY");
            ExpectSymbol("<");
            var element = ParseDataType();
            ExpectSymbol(">");
            return isArray ? new ArrayType(element) : new MultisetType(element);
        }

        if (TakeWord("MAP"))
        {
            ExpectSymbol("<");
            var key = ParseDataType();
            ExpectSymbol(",");
            var value = ParseDataType();
            ExpectSymbol(">");
            return new MapType(key, value);
        }

        if (TakeWord("ROW"))
        {
            var angle = CheckSymbol("<");
            if (!angle && !CheckSymbol("("))
            {
                throw Unexpected();
            }

            Advance();
            var fields = new List<RowField>();
            do
            {
                var fieldStart = Current;
                var name = ParseIdentifier();
                var type = ParseDataType();
                string? description = Current.Kind == SqlTokenKind.String ? Advance().Value : null;
                fields.Add(new RowField(name, type, description) { Span = SpanFrom(fieldStart) });
            }
            while (AcceptSymbol(","));

            ExpectSymbol(angle ? ">" : ")");
            return new RowType(new NodeList<RowField>(fields));
        }

        foreach (var refused in new[] { "INTERVAL", "RAW", "STRUCTURED", "VARIANT", "DESCRIPTOR" })
        {
            if (token.IsWord(refused))
            {
                throw Unsupported("The " + refused + " type", token);
            }
        }

        throw Unexpected();
    }

    private void ExpectWords(string first, string second)
    {
        ExpectWord(first);
        ExpectWord(second);
    }

    private int? ParseOptionalPrecision()
    {
        if (!AcceptSymbol("("))
        {
            return null;
        }

        var value = ParseTypeInteger();
        ExpectSymbol(")");
        return value;
    }

    private int ParseTypeInteger()
    {
        Note("integer");
        if (Current.Kind != SqlTokenKind.Number)
        {
            throw Unexpected();
        }

        if (!TryParseInt(Current, out var value))
        {
            throw Invalid($"Expected an integer from 0 to {int.MaxValue} but found '{Current.Value}'", Current);
        }

        Advance();
        return value;
    }
}
