using System.Runtime.CompilerServices;
using Freshet.Sql.Ast;
using Freshet.Sql.Syntax;

namespace Freshet.Sql.Parsing;

/// <summary>
/// Parses Flink SQL text into syntax trees (<see cref="SqlStatement"/>): a recursive-descent parser for statements,
/// queries and types, with precedence climbing for expressions. Every node carries its <see cref="SqlSpan"/>.
/// Bad input, refused features and text beyond <see cref="SqlLimits"/> raise <see cref="SqlParseException"/> and
/// nothing else. The static methods are thread-safe; each call uses its own parser state.
/// </summary>
/// <remarks>
/// Error messages list what was expected at the failing token. The parser records, for the token it is looking
/// at, every alternative it tried there (keywords, symbols, "identifier", "expression"); the list is reset each
/// time the parser moves on, so it names exactly the alternatives at the point of failure.
/// </remarks>
public sealed partial class SqlParser
{
    private readonly string _text;
    private readonly List<SqlToken> _tokens;
    private readonly List<string> _expected = [];
    private int _index;
    private int _expectedIndex = -1;
    private int _depth;

    private SqlParser(string text)
        : this(text, new SqlSpan(0, text.Length, 1, 1))
    {
    }

    private SqlParser(string text, SqlSpan range)
    {
        _text = text;
        _tokens = SqlTokenizer.Tokenize(text, range);
    }

    /// <summary>Parses exactly one statement, optionally followed by <c>;</c>.</summary>
    /// <param name="sql">The statement text.</param>
    /// <exception cref="SqlParseException">The text is not one valid statement of the supported dialect.</exception>
    public static SqlStatement ParseStatement(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var parser = new SqlParser(sql);
        var statement = parser.ParseStatementCore();
        parser.AcceptSymbol(";");
        parser.ExpectEnd();
        return statement;
    }

    /// <summary>
    /// Parses one statement cut from <paramref name="script"/> by <see cref="SqlScript.Split"/>. Node spans and error
    /// positions are those in the whole script, so a shell running a file reports errors at the file's lines.
    /// </summary>
    /// <param name="script">The whole script the part was cut from.</param>
    /// <param name="part">The statement's part.</param>
    /// <exception cref="SqlParseException">The part is not one valid statement of the supported dialect.</exception>
    public static SqlStatement ParseStatement(string script, SqlScriptPart part)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(part);
        var parser = new SqlParser(script, part.Span);
        var statement = parser.ParseStatementCore();
        parser.AcceptSymbol(";");
        parser.ExpectEnd();
        return statement;
    }

    /// <summary>Parses a script of statements separated by <c>;</c> (empty statements are skipped).</summary>
    /// <param name="sql">The script text.</param>
    /// <exception cref="SqlParseException">A statement is not valid; the position is within the whole script.</exception>
    public static IReadOnlyList<SqlStatement> ParseScript(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var parser = new SqlParser(sql);
        var statements = new List<SqlStatement>();
        while (true)
        {
            while (parser.AcceptSymbol(";"))
            {
            }

            if (parser.Current.Kind == SqlTokenKind.End)
            {
                return statements;
            }

            statements.Add(parser.ParseStatementCore());
            if (!parser.AcceptSymbol(";"))
            {
                parser.ExpectEnd();
            }
        }
    }

    /// <summary>Parses a single expression (for tests and for expressions stored outside statements).</summary>
    internal static SqlExpression ParseExpression(string sql)
    {
        var parser = new SqlParser(sql);
        var expression = parser.ParseExpression();
        parser.ExpectEnd();
        return expression;
    }

    /// <summary>Parses a single data type.</summary>
    internal static SqlDataType ParseDataType(string sql)
    {
        var parser = new SqlParser(sql);
        var type = parser.ParseDataType();
        parser.ExpectEnd();
        return type;
    }

    private SqlToken Current => _tokens[_index];

    private SqlToken Previous => _tokens[Math.Max(0, _index - 1)];

    private SqlToken PeekToken(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private SqlToken Advance()
    {
        var token = _tokens[_index];
        if (token.Kind != SqlTokenKind.End)
        {
            _index++;
        }

        return token;
    }

    /// <summary>The span from <paramref name="start"/> to the last token consumed.</summary>
    private SqlSpan SpanFrom(SqlToken start) => _index > 0 && Previous.Span.Offset >= start.Span.Offset
        ? start.Span.Through(Previous.Span)
        : start.Span;

    /// <summary>Records that <paramref name="what"/> would have been accepted at the current token.</summary>
    private void Note(string what)
    {
        if (_expectedIndex != _index)
        {
            _expected.Clear();
            _expectedIndex = _index;
        }

        if (!_expected.Contains(what))
        {
            _expected.Add(what);
        }
    }

    private bool CheckWord(string keyword)
    {
        Note(keyword);
        return Current.IsWord(keyword);
    }

    private bool AcceptWord(string keyword)
    {
        if (!CheckWord(keyword))
        {
            return false;
        }

        Advance();
        return true;
    }

    private bool AcceptWords(string first, string second)
    {
        Note(first + " " + second);
        if (!Current.IsWord(first))
        {
            return false;
        }

        Advance();
        ExpectWord(second);
        return true;
    }

    /// <summary>Consumes <paramref name="keyword"/> if it is next, without listing it among the expected tokens
    /// (for alternatives summarised under one name, such as "data type" or "expression").</summary>
    private bool TakeWord(string keyword)
    {
        if (!Current.IsWord(keyword))
        {
            return false;
        }

        Advance();
        return true;
    }

    /// <summary>Consumes <paramref name="symbol"/> if it is next, without listing it among the expected tokens.</summary>
    private bool TakeSymbol(string symbol)
    {
        if (!Current.IsSymbol(symbol))
        {
            return false;
        }

        Advance();
        return true;
    }

    private void ExpectWord(string keyword)
    {
        if (!AcceptWord(keyword))
        {
            throw Unexpected();
        }
    }

    private bool CheckSymbol(string symbol)
    {
        Note("'" + symbol + "'");
        return Current.IsSymbol(symbol);
    }

    private bool AcceptSymbol(string symbol)
    {
        if (!CheckSymbol(symbol))
        {
            return false;
        }

        Advance();
        return true;
    }

    private SqlToken ExpectSymbol(string symbol)
    {
        if (!CheckSymbol(symbol))
        {
            throw Unexpected();
        }

        return Advance();
    }

    private void ExpectEnd()
    {
        Note("end of input");
        if (Current.Kind != SqlTokenKind.End)
        {
            throw Unexpected();
        }
    }

    /// <summary>Whether the current token can be an identifier: back-quoted, or a word that is not reserved.</summary>
    private bool AtIdentifier()
    {
        Note("identifier");
        return Current.Kind == SqlTokenKind.QuotedIdentifier
            || (Current.Kind == SqlTokenKind.Word && !SqlKeywords.IsReserved(Current.Value));
    }

    private Identifier ParseIdentifier()
    {
        if (!AtIdentifier())
        {
            throw Unexpected();
        }

        var token = Advance();
        return new Identifier(token.Value) { Span = token.Span };
    }

    private ObjectName ParseObjectName()
    {
        var start = Current;
        var parts = new List<Identifier> { ParseIdentifier() };
        while (CheckSymbol(".") && IsIdentifierToken(PeekToken(1)))
        {
            Advance();
            parts.Add(ParseIdentifier());
        }

        return new ObjectName(new NodeList<Identifier>(parts)) { Span = SpanFrom(start) };
    }

    private static bool IsIdentifierToken(SqlToken token) =>
        token.Kind == SqlTokenKind.QuotedIdentifier
        || (token.Kind == SqlTokenKind.Word && !SqlKeywords.IsReserved(token.Value));

    private NodeList<Identifier> ParseIdentifierList()
    {
        ExpectSymbol("(");
        var names = new List<Identifier> { ParseIdentifier() };
        while (AcceptSymbol(","))
        {
            names.Add(ParseIdentifier());
        }

        ExpectSymbol(")");
        return new NodeList<Identifier>(names);
    }

    private string ParseStringValue()
    {
        Note("string literal");
        if (Current.Kind != SqlTokenKind.String)
        {
            throw Unexpected();
        }

        return Advance().Value;
    }

    /// <summary>Goes one level deeper, refusing text nested beyond <see cref="SqlLimits.MaxNestingDepth"/> or beyond
    /// what the thread's stack can hold. No matching exit is needed on failure: the parse is abandoned.</summary>
    private void Enter()
    {
        if (++_depth > SqlLimits.MaxNestingDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new SqlParseException(
                $"SQL is nested too deeply; the limit is {SqlLimits.MaxNestingDepth} levels of parentheses, subqueries, types and chained operators",
                Current.Span, _text);
        }
    }

    private void Exit(int levels = 1) => _depth -= levels;

    /// <summary>An error naming what was expected at the current token and what was found there.</summary>
    private SqlParseException Unexpected()
    {
        var expected = _expectedIndex == _index ? _expected.ToArray() : [];
        var found = Current.Describe();
        var message = expected.Length switch
        {
            0 => $"Unexpected {found}",
            1 => $"Expected {expected[0]} but found {found}",
            _ => $"Expected one of {string.Join(", ", expected)} but found {found}",
        };
        return new SqlParseException(message, Current.Span, _text, expected);
    }

    /// <summary>An error refusing a feature the dialect knows but Freshet does not support.</summary>
    private SqlParseException Unsupported(string feature, SqlToken at) =>
        new($"{feature} is not supported", at.Span, _text);

    private SqlParseException Invalid(string message, SqlToken at) => new(message, at.Span, _text);
}
