using Freshet.Sql.Ast;
using Freshet.Sql.Syntax;

namespace Freshet.Sql.Parsing;

/// <summary>Queries: WITH, set operations, SELECT and its clauses, FROM sources and joins, windows.</summary>
public sealed partial class SqlParser
{
    private static readonly string[] WindowFunctions = ["TUMBLE", "HOP", "CUMULATE", "SESSION"];

    private QueryExpression ParseQuery()
    {
        Enter();
        var start = Current;
        var with = new List<CommonTableExpression>();
        if (AcceptWord("WITH"))
        {
            if (Current.IsWord("RECURSIVE"))
            {
                throw Unsupported("WITH RECURSIVE", Current);
            }

            do
            {
                var cteStart = Current;
                var name = ParseIdentifier();
                var columns = CheckSymbol("(") ? ParseIdentifierList() : new NodeList<Identifier>([]);
                ExpectWord("AS");
                ExpectSymbol("(");
                var query = ParseQuery();
                ExpectSymbol(")");
                with.Add(new CommonTableExpression(name, columns, query) { Span = SpanFrom(cteStart) });
            }
            while (AcceptSymbol(","));
        }

        var body = ParseSetOperation(0);
        var orderBy = new List<OrderByItem>();
        if (AcceptWords("ORDER", "BY"))
        {
            orderBy = ParseOrderByItems();
        }

        SqlExpression? limit = null;
        if (AcceptWord("LIMIT"))
        {
            limit = ParseExpression();
        }

        if (Current.IsWord("OFFSET"))
        {
            throw Unsupported("OFFSET", Current);
        }

        if (Current.IsWord("FETCH"))
        {
            throw Unsupported("FETCH FIRST", Current);
        }

        Exit();
        if (with.Count == 0 && orderBy.Count == 0 && limit is null)
        {
            return body;
        }

        return new Query(new NodeList<CommonTableExpression>(with), body, new NodeList<OrderByItem>(orderBy), limit) { Span = SpanFrom(start) };
    }

    private List<OrderByItem> ParseOrderByItems()
    {
        var items = new List<OrderByItem>();
        do
        {
            var start = Current;
            var expression = ParseExpression();
            SortDirection? direction = AcceptWord("ASC") ? SortDirection.Ascending
                : AcceptWord("DESC") ? SortDirection.Descending
                : null;
            NullOrdering? nulls = null;
            if (AcceptWord("NULLS"))
            {
                nulls = AcceptWord("FIRST") ? NullOrdering.First
                    : AcceptWord("LAST") ? NullOrdering.Last
                    : throw Unexpected();
            }

            items.Add(new OrderByItem(expression, direction, nulls) { Span = SpanFrom(start) });
        }
        while (AcceptSymbol(","));

        return items;
    }

    /// <summary>Set operations by precedence climbing: INTERSECT (2) binds tighter than UNION and EXCEPT (1).</summary>
    private QueryExpression ParseSetOperation(int minPrecedence)
    {
        var start = Current;
        var left = ParseQueryPrimary();
        var chained = 0;
        while (true)
        {
            SetOperator op;
            int precedence;
            if (CheckWord("UNION"))
            {
                (op, precedence) = (SetOperator.Union, 1);
            }
            else if (CheckWord("EXCEPT") || CheckWord("MINUS"))
            {
                (op, precedence) = (SetOperator.Except, 1);
            }
            else if (CheckWord("INTERSECT"))
            {
                (op, precedence) = (SetOperator.Intersect, 2);
            }
            else
            {
                break;
            }

            if (precedence < minPrecedence)
            {
                break;
            }

            Advance();
            Enter();
            chained++;
            var all = AcceptWord("ALL");
            if (!all)
            {
                AcceptWord("DISTINCT");
            }

            var right = ParseSetOperation(precedence + 1);
            left = new SetOperationQuery(left, op, all, right) { Span = SpanFrom(start) };
        }

        Exit(chained);
        return left;
    }

    private QueryExpression ParseQueryPrimary()
    {
        var start = Current;
        if (AcceptWord("SELECT"))
        {
            return ParseSelectRest(start);
        }

        if (AcceptWord("VALUES"))
        {
            var rows = new List<NodeList<SqlExpression>>();
            do
            {
                ExpectSymbol("(");
                rows.Add(ParseExpressionList());
                ExpectSymbol(")");
            }
            while (AcceptSymbol(","));

            return new ValuesQuery(new NodeList<NodeList<SqlExpression>>(rows)) { Span = SpanFrom(start) };
        }

        if (AcceptSymbol("("))
        {
            var query = ParseQuery();
            ExpectSymbol(")");
            return query;
        }

        CheckWord("WITH");
        throw Unexpected();
    }

    private NodeList<SqlExpression> ParseExpressionList()
    {
        var items = new List<SqlExpression> { ParseExpression() };
        while (AcceptSymbol(","))
        {
            items.Add(ParseExpression());
        }

        return new NodeList<SqlExpression>(items);
    }

    private SelectQuery ParseSelectRest(SqlToken start)
    {
        var distinct = AcceptWord("DISTINCT");
        if (!distinct)
        {
            AcceptWord("ALL");
        }

        var items = new List<SelectItem>();
        do
        {
            items.Add(ParseSelectItem());
        }
        while (AcceptSymbol(","));

        TableReference? from = null;
        if (AcceptWord("FROM"))
        {
            from = ParseTableReference();
        }

        SqlExpression? where = AcceptWord("WHERE") ? ParseExpression() : null;
        var groupBy = new List<SqlExpression>();
        if (AcceptWords("GROUP", "BY"))
        {
            do
            {
                groupBy.Add(ParseGroupingItem());
            }
            while (AcceptSymbol(","));
        }

        SqlExpression? having = AcceptWord("HAVING") ? ParseExpression() : null;
        var windows = new List<NamedWindow>();
        if (AcceptWord("WINDOW"))
        {
            do
            {
                var windowStart = Current;
                var name = ParseIdentifier();
                ExpectWord("AS");
                windows.Add(new NamedWindow(name, ParseWindowSpecification()) { Span = SpanFrom(windowStart) });
            }
            while (AcceptSymbol(","));
        }

        if (Current.IsWord("QUALIFY"))
        {
            throw Unsupported("QUALIFY", Current);
        }

        return new SelectQuery(
            distinct,
            new NodeList<SelectItem>(items),
            from,
            where,
            new NodeList<SqlExpression>(groupBy),
            having,
            new NodeList<NamedWindow>(windows)) { Span = SpanFrom(start) };
    }

    private SqlExpression ParseGroupingItem()
    {
        if ((Current.IsWord("ROLLUP") || Current.IsWord("CUBE")) && PeekToken(1).IsSymbol("("))
        {
            throw Unsupported(Current.Value.ToUpperInvariant(), Current);
        }

        if (Current.IsWord("GROUPING") && PeekToken(1).IsWord("SETS"))
        {
            throw Unsupported("GROUPING SETS", Current);
        }

        return ParseExpression();
    }

    private SelectItem ParseSelectItem()
    {
        var start = Current;
        if (AcceptSymbol("*"))
        {
            return new StarSelectItem(null) { Span = start.Span };
        }

        if (IsQualifiedStar())
        {
            var qualifier = ParseObjectName();
            ExpectSymbol(".");
            ExpectSymbol("*");
            return new StarSelectItem(qualifier) { Span = SpanFrom(start) };
        }

        var expression = ParseExpression();
        Identifier? alias = null;
        if (AcceptWord("AS") || AtIdentifier())
        {
            alias = ParseIdentifier();
        }

        return new ExpressionSelectItem(expression, alias) { Span = SpanFrom(start) };
    }

    /// <summary>Whether the tokens ahead read <c>name . name ... . *</c>.</summary>
    private bool IsQualifiedStar()
    {
        var ahead = 0;
        while (IsIdentifierToken(PeekToken(ahead)) && PeekToken(ahead + 1).IsSymbol("."))
        {
            if (PeekToken(ahead + 2).IsSymbol("*"))
            {
                return true;
            }

            ahead += 2;
        }

        return false;
    }

    /// <summary>FROM items joined left to right; a comma is a join of kind <see cref="JoinKind.Comma"/>.</summary>
    private TableReference ParseTableReference()
    {
        var start = Current;
        var left = ParseTablePrimary();
        var chained = 0;
        while (true)
        {
            JoinKind kind;
            var joinToken = Current;
            if (AcceptSymbol(","))
            {
                kind = JoinKind.Comma;
            }
            else if (AcceptWord("JOIN"))
            {
                kind = JoinKind.Inner;
            }
            else if (AcceptWord("INNER"))
            {
                ExpectWord("JOIN");
                kind = JoinKind.Inner;
            }
            else if (AcceptWord("LEFT"))
            {
                kind = ParseOuterJoinRest(JoinKind.Left);
            }
            else if (AcceptWord("RIGHT"))
            {
                kind = ParseOuterJoinRest(JoinKind.Right);
            }
            else if (AcceptWord("FULL"))
            {
                kind = ParseOuterJoinRest(JoinKind.Full);
            }
            else if (AcceptWord("CROSS"))
            {
                if (Current.IsWord("APPLY"))
                {
                    throw Unsupported("CROSS APPLY", joinToken);
                }

                ExpectWord("JOIN");
                kind = JoinKind.Cross;
            }
            else if (Current.IsWord("NATURAL"))
            {
                throw Unsupported("NATURAL JOIN", Current);
            }
            else
            {
                break;
            }

            Enter();
            chained++;
            var right = ParseTablePrimary();
            SqlExpression? condition = null;
            var usingColumns = new NodeList<Identifier>([]);
            if (kind is not (JoinKind.Cross or JoinKind.Comma))
            {
                if (AcceptWord("ON"))
                {
                    condition = ParseExpression();
                }
                else if (AcceptWord("USING"))
                {
                    usingColumns = ParseIdentifierList();
                }
                else
                {
                    throw Unexpected();
                }
            }

            left = new JoinReference(left, kind, right, condition, usingColumns) { Span = SpanFrom(start) };
        }

        Exit(chained);
        return left;
    }

    private JoinKind ParseOuterJoinRest(JoinKind kind)
    {
        AcceptWord("OUTER");
        ExpectWord("JOIN");
        return kind;
    }

    private TableReference ParseTablePrimary()
    {
        var start = Current;
        if (Current.IsWord("LATERAL"))
        {
            throw Unsupported("LATERAL (table functions of user functions)", Current);
        }

        if (Current.IsWord("UNNEST"))
        {
            throw Unsupported("UNNEST", Current);
        }

        TableReference reference;
        if (AcceptWord("TABLE"))
        {
            reference = ParseTableFunctionRest();
        }
        else if (AcceptSymbol("("))
        {
            Enter();
            if (!AtQueryStart())
            {
                throw Unexpected();
            }

            var query = ParseQuery();
            ExpectSymbol(")");
            Exit();
            reference = new DerivedTableReference(query, ParseTableAlias());
        }
        else
        {
            var name = ParseObjectName();
            SqlExpression? asOf = null;
            if (AcceptWord("FOR"))
            {
                ExpectWord("SYSTEM_TIME");
                ExpectWord("AS");
                ExpectWord("OF");
                asOf = ParseExpression();
            }

            reference = new NamedTableReference(name, asOf, ParseTableAlias());
        }

        foreach (var feature in new[] { "MATCH_RECOGNIZE", "PIVOT", "UNPIVOT", "TABLESAMPLE" })
        {
            if (Current.IsWord(feature))
            {
                throw Unsupported(feature, Current);
            }
        }

        return reference with { Span = SpanFrom(start) };
    }

    private TableFunctionReference ParseTableFunctionRest()
    {
        ExpectSymbol("(");
        var nameToken = Current;
        if (nameToken.Kind != SqlTokenKind.Word && nameToken.Kind != SqlTokenKind.QuotedIdentifier)
        {
            Note("TUMBLE");
            Note("HOP");
            Note("CUMULATE");
            Note("SESSION");
            throw Unexpected();
        }

        var function = Array.Find(WindowFunctions, f => nameToken.IsWord(f));
        if (function is null)
        {
            throw Unsupported(
                $"Table function '{nameToken.Value}' (only the window functions TUMBLE, HOP, CUMULATE and SESSION are supported)",
                nameToken);
        }

        Advance();
        ExpectSymbol("(");
        var arguments = new List<SqlExpression>();
        if (!CheckSymbol(")"))
        {
            do
            {
                arguments.Add(ParseTableFunctionArgument());
            }
            while (AcceptSymbol(","));
        }

        ExpectSymbol(")");
        ExpectSymbol(")");
        return new TableFunctionReference(function, new NodeList<SqlExpression>(arguments), ParseTableAlias());
    }

    private SqlExpression ParseTableFunctionArgument()
    {
        var start = Current;
        if (AcceptWord("TABLE"))
        {
            var table = ParseObjectName();
            var partitionBy = new List<SqlExpression>();
            if (AcceptWords("PARTITION", "BY"))
            {
                // The keys end where the next window argument starts: SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), ...).
                do
                {
                    partitionBy.Add(ParseExpression());
                }
                while (!(CheckSymbol(",") && PeekToken(1).IsWord("DESCRIPTOR") && PeekToken(2).IsSymbol("(")) && AcceptSymbol(","));
            }

            return new TableArgument(table, new NodeList<SqlExpression>(partitionBy)) { Span = SpanFrom(start) };
        }

        if (Current.IsWord("DESCRIPTOR") && PeekToken(1).IsSymbol("("))
        {
            Advance();
            return new DescriptorArgument(ParseIdentifierList()) { Span = SpanFrom(start) };
        }

        if (IsIdentifierToken(Current) && PeekToken(1).IsSymbol("=>"))
        {
            var name = ParseIdentifier();
            Advance();
            if (PeekToken(0).IsSymbol("=>") || (IsIdentifierToken(Current) && PeekToken(1).IsSymbol("=>")))
            {
                throw Unexpected();
            }

            return new NamedArgument(name, ParseTableFunctionArgument()) { Span = SpanFrom(start) };
        }

        return ParseExpression();
    }

    private TableAlias? ParseTableAlias()
    {
        var start = Current;
        if (!AcceptWord("AS") && !AtIdentifier())
        {
            return null;
        }

        var name = ParseIdentifier();
        var columns = CheckSymbol("(") ? ParseIdentifierList() : new NodeList<Identifier>([]);
        return new TableAlias(name, columns) { Span = SpanFrom(start) };
    }

    private WindowSpecification ParseWindowSpecification()
    {
        var start = ExpectSymbol("(");
        Identifier? baseWindow = AtIdentifier() ? ParseIdentifier() : null;
        var partitionBy = new List<SqlExpression>();
        if (AcceptWords("PARTITION", "BY"))
        {
            do
            {
                partitionBy.Add(ParseExpression());
            }
            while (AcceptSymbol(","));
        }

        var orderBy = new List<OrderByItem>();
        if (AcceptWords("ORDER", "BY"))
        {
            orderBy = ParseOrderByItems();
        }

        WindowFrame? frame = null;
        var frameStart = Current;
        FrameUnit? unit = AcceptWord("ROWS") ? FrameUnit.Rows : AcceptWord("RANGE") ? FrameUnit.Range : null;
        if (unit is { } frameUnit)
        {
            if (AcceptWord("BETWEEN"))
            {
                var low = ParseFrameBound();
                ExpectWord("AND");
                var high = ParseFrameBound();
                frame = new WindowFrame(frameUnit, low, high) { Span = SpanFrom(frameStart) };
            }
            else
            {
                frame = new WindowFrame(frameUnit, ParseFrameBound(), null) { Span = SpanFrom(frameStart) };
            }

            if (Current.IsWord("EXCLUDE"))
            {
                throw Unsupported("EXCLUDE in a window frame", Current);
            }
        }

        ExpectSymbol(")");
        return new WindowSpecification(baseWindow, new NodeList<SqlExpression>(partitionBy), new NodeList<OrderByItem>(orderBy), frame) { Span = SpanFrom(start) };
    }

    private FrameBound ParseFrameBound()
    {
        var start = Current;
        if (AcceptWord("UNBOUNDED"))
        {
            var kind = AcceptWord("PRECEDING") ? FrameBoundKind.UnboundedPreceding
                : AcceptWord("FOLLOWING") ? FrameBoundKind.UnboundedFollowing
                : throw Unexpected();
            return new FrameBound(kind, null) { Span = SpanFrom(start) };
        }

        if (AcceptWord("CURRENT"))
        {
            ExpectWord("ROW");
            return new FrameBound(FrameBoundKind.CurrentRow, null) { Span = SpanFrom(start) };
        }

        var offset = ParseBinary(Precedence.Additive);
        var boundKind = AcceptWord("PRECEDING") ? FrameBoundKind.Preceding
            : AcceptWord("FOLLOWING") ? FrameBoundKind.Following
            : throw Unexpected();
        return new FrameBound(boundKind, offset) { Span = SpanFrom(start) };
    }
}
