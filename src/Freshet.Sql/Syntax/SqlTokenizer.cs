using System.Globalization;

namespace Freshet.Sql.Syntax;

/// <summary>
/// Splits SQL text into tokens by Flink SQL's lexical rules: unquoted words (keywords and identifiers), back-quoted
/// identifiers with <c>``</c> as an escaped quote, string literals in single quotes with <c>''</c> as an escaped
/// quote, unsigned numbers (<c>12</c>, <c>1.5</c>, <c>.5</c>, <c>1e-3</c>), operators and punctuation. Whitespace,
/// <c>-- line</c> comments and <c>/* block */</c> comments (not nested) separate tokens and are dropped. There are
/// no parameters (<c>?</c> is a stray character). Compound literals such as <c>INTERVAL '5' SECOND</c> and
/// <c>DATE '2024-01-01'</c> are sequences of tokens assembled by the parser.
/// Not thread-safe; one instance tokenizes one text.
/// </summary>
internal sealed class SqlTokenizer
{
    private readonly string _text;

    /// <summary>Index one past the last character to tokenize; text beyond it is not read.</summary>
    private readonly int _end;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    private SqlTokenizer(string text, SqlSpan range)
    {
        _text = text;
        _end = range.End;
        _position = range.Offset;
        _line = range.Line;
        _lineStart = range.Offset - (range.Column - 1);
    }

    /// <summary>All tokens of <paramref name="text"/>, ending with one <see cref="SqlTokenKind.End"/> token.</summary>
    /// <exception cref="SqlParseException">The text is longer than <see cref="SqlLimits.MaxSqlLength"/>, or holds
    /// an unterminated string, identifier or comment, a malformed number or a stray character.</exception>
    public static List<SqlToken> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Tokenize(text, new SqlSpan(0, text.Length, 1, 1));
    }

    /// <summary>
    /// The tokens of the part of <paramref name="text"/> covered by <paramref name="range"/> (whose line and column
    /// must be those of its first character), with positions in the whole text.
    /// </summary>
    public static List<SqlToken> Tokenize(string text, SqlSpan range)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (range.Length > SqlLimits.MaxSqlLength)
        {
            throw new SqlParseException(
                $"SQL text is {range.Length} characters long; the limit is {SqlLimits.MaxSqlLength}",
                range with { Length = 0 }, string.Empty);
        }

        if (range.Offset < 0 || range.Length < 0 || range.End > text.Length || range.Line < 1 || range.Column < 1 || range.Column - 1 > range.Offset)
        {
            throw new ArgumentOutOfRangeException(nameof(range), range, "The range does not lie within the text");
        }

        var tokenizer = new SqlTokenizer(text, range);
        var tokens = new List<SqlToken>();
        while (true)
        {
            var token = tokenizer.Next();
            tokens.Add(token);
            if (token.Kind == SqlTokenKind.End)
            {
                return tokens;
            }
        }
    }

    private SqlToken Next()
    {
        SkipTrivia();
        var start = _position;
        var line = _line;
        var column = _position - _lineStart + 1;
        if (_position >= _end)
        {
            return new SqlToken(SqlTokenKind.End, string.Empty, new SqlSpan(start, 0, line, column));
        }

        var c = _text[_position];
        SqlTokenKind kind;
        string value;
        if (char.IsLetter(c) || c == '_')
        {
            while (_position < _end && IsWordPart(_text[_position]))
            {
                _position++;
            }

            kind = SqlTokenKind.Word;
            value = _text[start.._position];
        }
        else if (c == '`')
        {
            kind = SqlTokenKind.QuotedIdentifier;
            value = ReadQuoted('`', "back-quoted identifier", start, line, column);
            if (value.Length == 0)
            {
                throw Error("An identifier cannot be empty", start, line, column, 2);
            }
        }
        else if (c == '\'')
        {
            kind = SqlTokenKind.String;
            value = ReadQuoted('\'', "string literal", start, line, column);
        }
        else if (char.IsAsciiDigit(c) || (c == '.' && Peek(1) is >= '0' and <= '9'))
        {
            kind = SqlTokenKind.Number;
            value = ReadNumber(start, line, column);
        }
        else
        {
            kind = SqlTokenKind.Symbol;
            value = ReadSymbol(start, line, column);
        }

        return new SqlToken(kind, value, new SqlSpan(start, _position - start, line, column));
    }

    private static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$';

    private char Peek(int ahead) => _position + ahead < _end ? _text[_position + ahead] : '\0';

    private void SkipTrivia()
    {
        while (_position < _end)
        {
            var c = _text[_position];
            if (c == '-' && Peek(1) == '-')
            {
                while (_position < _end && _text[_position] != '\n' && _text[_position] != '\r')
                {
                    _position++;
                }
            }
            else if (c == '/' && Peek(1) == '*')
            {
                var start = _position;
                var line = _line;
                var column = _position - _lineStart + 1;
                if (Peek(2) == '+')
                {
                    // A hint changes how a query runs (table options, join strategy); ignoring it as a comment would
                    // run something other than what was asked.
                    throw Error("Query hints (/*+ ... */) are not supported", start, line, column, 3);
                }

                _position += 2;
                while (!(Peek(0) == '*' && Peek(1) == '/'))
                {
                    if (_position >= _end)
                    {
                        throw Error("Unterminated block comment; expected '*/' before end of input", start, line, column, 2);
                    }

                    Advance();
                }

                _position += 2;
            }
            else if (char.IsWhiteSpace(c))
            {
                Advance();
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>Moves past one character, counting line ends (<c>\n</c>, <c>\r\n</c>, lone <c>\r</c>).</summary>
    private void Advance()
    {
        var c = _text[_position++];
        if (c == '\n' || (c == '\r' && Peek(0) != '\n'))
        {
            _line++;
            _lineStart = _position;
        }
    }

    private string ReadQuoted(char quote, string what, int start, int line, int column)
    {
        _position++;
        var builder = new System.Text.StringBuilder();
        while (true)
        {
            if (_position >= _end)
            {
                throw Error($"Unterminated {what}; expected {quote} before end of input", start, line, column, 1);
            }

            var c = _text[_position];
            if (c == quote)
            {
                if (Peek(1) == quote)
                {
                    builder.Append(quote);
                    _position += 2;
                    continue;
                }

                _position++;
                return builder.ToString();
            }

            builder.Append(c);
            Advance();
        }
    }

    private string ReadNumber(int start, int line, int column)
    {
        while (char.IsAsciiDigit(Peek(0)))
        {
            _position++;
        }

        if (Peek(0) == '.')
        {
            _position++;
            while (char.IsAsciiDigit(Peek(0)))
            {
                _position++;
            }
        }

        if (Peek(0) is 'e' or 'E')
        {
            _position++;
            if (Peek(0) is '+' or '-')
            {
                _position++;
            }

            if (!char.IsAsciiDigit(Peek(0)))
            {
                throw Error(
                    $"Malformed number '{_text[start.._position]}'; expected a digit in the exponent",
                    start, line, column, _position - start);
            }

            while (char.IsAsciiDigit(Peek(0)))
            {
                _position++;
            }
        }

        return _text[start.._position];
    }

    private string ReadSymbol(int start, int line, int column)
    {
        var c = _text[_position];
        var pair = string.Concat(c.ToString(), Peek(1).ToString());
        if (pair is "<>" or "!=" or "<=" or ">=" or "||" or "=>")
        {
            _position += 2;
            return pair;
        }

        if ("()[],;.=<>+-*/%".Contains(c, StringComparison.Ordinal))
        {
            _position++;
            return c.ToString();
        }

        var shown = char.IsControl(c) ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString();
        throw Error(
            $"Unexpected character '{shown}'; expected an identifier, a literal, an operator or punctuation",
            start, line, column, 1);
    }

    private SqlParseException Error(string message, int offset, int line, int column, int length) =>
        new(message, new SqlSpan(offset, Math.Min(length, _end - offset), line, column), _text);
}
