using Freshet.Sql.Ast;
using Freshet.Sql.Syntax;

namespace Freshet.Sql.Parsing;

/// <summary>Statements: DDL, session commands, INSERT, statement sets, EXPLAIN.</summary>
public sealed partial class SqlParser
{
    private static readonly string[] UnsupportedStatements =
    [
        "ALTER", "USE", "LOAD", "UNLOAD", "TRUNCATE", "UPDATE", "DELETE", "MERGE", "ANALYZE", "CALL", "ADD", "REMOVE",
        "COMMIT", "ROLLBACK", "GRANT", "REVOKE", "REPLACE", "STOP",
    ];

    private SqlStatement ParseStatementCore()
    {
        var start = Current;
        SqlStatement statement;
        if (AtQueryStart())
        {
            statement = new QueryStatement(ParseQuery());
        }
        else if (AcceptWord("CREATE"))
        {
            statement = ParseCreate();
        }
        else if (AcceptWord("DROP"))
        {
            statement = ParseDrop();
        }
        else if (AcceptWord("INSERT"))
        {
            statement = ParseInsertRest(start);
        }
        else if (AcceptWord("EXECUTE"))
        {
            statement = ParseStatementSetRest(start);
        }
        else if (AcceptWord("EXPLAIN"))
        {
            statement = ParseExplainRest();
        }
        else if (AcceptWord("SHOW"))
        {
            statement = ParseShowRest();
        }
        else if (AcceptWord("DESCRIBE") || AcceptWord("DESC"))
        {
            statement = new DescribeStatement(ParseObjectName());
        }
        else if (AcceptWord("SET"))
        {
            statement = ParseSetRest();
        }
        else if (AcceptWord("RESET"))
        {
            statement = new ResetStatement(Current.Kind == SqlTokenKind.String ? Advance().Value : null);
        }
        else if (Current.IsWord("BEGIN"))
        {
            throw Unsupported("BEGIN STATEMENT SET (write EXECUTE STATEMENT SET BEGIN ... END)", Current);
        }
        else
        {
            foreach (var word in UnsupportedStatements)
            {
                if (Current.IsWord(word))
                {
                    throw Unsupported(word.ToUpperInvariant(), Current);
                }
            }

            throw Unexpected();
        }

        return statement with { Span = SpanFrom(start) };
    }

    private bool AtQueryStart() => CheckWord("SELECT") | CheckWord("WITH") | CheckWord("VALUES") | CheckSymbol("(");

    private SqlStatement ParseCreate()
    {
        if (Current.IsWord("OR"))
        {
            throw Unsupported("CREATE OR REPLACE", Current);
        }

        var temporary = AcceptWord("TEMPORARY");
        if (AcceptWord("TABLE"))
        {
            return ParseCreateTableRest(temporary);
        }

        if (AcceptWord("VIEW"))
        {
            var ifNotExists = AcceptIfNotExists();
            var name = ParseObjectName();
            var columns = CheckSymbol("(") ? ParseIdentifierList() : new NodeList<Identifier>([]);
            if (Current.IsWord("COMMENT"))
            {
                throw Unsupported("A view COMMENT", Current);
            }

            ExpectWord("AS");
            return new CreateViewStatement(name, columns, ParseQuery()) { Temporary = temporary, IfNotExists = ifNotExists };
        }

        foreach (var what in new[] { "FUNCTION", "SYSTEM", "CATALOG", "DATABASE", "MODEL" })
        {
            if (Current.IsWord(what))
            {
                throw Unsupported("CREATE " + what.ToUpperInvariant(), Current);
            }
        }

        throw Unexpected();
    }

    private bool AcceptIfNotExists()
    {
        if (!AcceptWord("IF"))
        {
            return false;
        }

        ExpectWord("NOT");
        ExpectWord("EXISTS");
        return true;
    }

    private CreateTableStatement ParseCreateTableRest(bool temporary)
    {
        var ifNotExists = AcceptIfNotExists();
        var name = ParseObjectName();
        if (Current.IsWord("AS"))
        {
            throw Unsupported("CREATE TABLE AS SELECT", Current);
        }

        if (Current.IsWord("LIKE"))
        {
            throw Unsupported("CREATE TABLE ... LIKE", Current);
        }

        ExpectSymbol("(");
        var columns = new List<TableColumn>();
        WatermarkDefinition? watermark = null;
        PrimaryKeyDefinition? primaryKey = null;
        do
        {
            var elementStart = Current;
            if (AcceptWord("WATERMARK"))
            {
                if (watermark is not null)
                {
                    throw Invalid("A table can declare only one WATERMARK", elementStart);
                }

                ExpectWord("FOR");
                var column = ParseObjectName().Parts;
                ExpectWord("AS");
                watermark = new WatermarkDefinition(column, ParseExpression()) { Span = SpanFrom(elementStart) };
            }
            else if (CheckWord("CONSTRAINT") || CheckWord("PRIMARY"))
            {
                Identifier? constraintName = AcceptWord("CONSTRAINT") ? ParseIdentifier() : null;
                ExpectWord("PRIMARY");
                ExpectWord("KEY");
                var keyColumns = ParseIdentifierList();
                ExpectNotEnforced();
                primaryKey = SetPrimaryKey(primaryKey, new PrimaryKeyDefinition(constraintName, keyColumns) { Span = SpanFrom(elementStart) }, elementStart);
            }
            else if (Current.IsWord("PERIOD"))
            {
                throw Unsupported("PERIOD FOR", Current);
            }
            else
            {
                var column = ParseColumn(ref primaryKey);
                columns.Add(column with { Span = SpanFrom(elementStart) });
            }
        }
        while (AcceptSymbol(","));

        ExpectSymbol(")");
        string? comment = AcceptWord("COMMENT") ? ParseStringValue() : null;
        if (Current.IsWord("PARTITIONED"))
        {
            throw Unsupported("PARTITIONED BY", Current);
        }

        var options = new List<TableOption>();
        if (AcceptWord("WITH"))
        {
            ExpectSymbol("(");
            do
            {
                options.Add(ParseOption());
            }
            while (AcceptSymbol(","));
            ExpectSymbol(")");
        }

        if (Current.IsWord("LIKE"))
        {
            throw Unsupported("CREATE TABLE ... LIKE", Current);
        }

        if (Current.IsWord("AS"))
        {
            throw Unsupported("CREATE TABLE AS SELECT", Current);
        }

        return new CreateTableStatement(name, new NodeList<TableColumn>(columns), watermark, primaryKey, new NodeList<TableOption>(options))
        {
            Temporary = temporary,
            IfNotExists = ifNotExists,
            Comment = comment,
        };
    }

    private PrimaryKeyDefinition SetPrimaryKey(PrimaryKeyDefinition? existing, PrimaryKeyDefinition key, SqlToken at) =>
        existing is null ? key : throw Invalid("A table can declare only one PRIMARY KEY", at);

    private void ExpectNotEnforced()
    {
        if (!CheckWord("NOT"))
        {
            throw new SqlParseException(
                "Expected NOT ENFORCED: Flink SQL does not enforce primary keys, so they must be declared PRIMARY KEY (...) NOT ENFORCED",
                Current.Span, _text, ["NOT ENFORCED"]);
        }

        Advance();
        ExpectWord("ENFORCED");
    }

    private TableColumn ParseColumn(ref PrimaryKeyDefinition? primaryKey)
    {
        var nameToken = Current;
        if (nameToken.Kind == SqlTokenKind.Word && SqlKeywords.IsTableElementKeyword(nameToken.Value))
        {
            throw Unexpected();
        }

        var name = ParseIdentifier();
        TableColumn column;
        if (AcceptWord("AS"))
        {
            column = new ComputedColumn(ParseExpression()) { Name = name };
        }
        else
        {
            var type = ParseDataType();
            if (AcceptWord("METADATA"))
            {
                string? key = AcceptWord("FROM") ? ParseStringValue() : null;
                column = new MetadataColumn(type, key, AcceptWord("VIRTUAL")) { Name = name };
            }
            else
            {
                column = new PhysicalColumn(type) { Name = name };
                var keyStart = Current;
                if (AcceptWord("PRIMARY"))
                {
                    ExpectWord("KEY");
                    ExpectNotEnforced();
                    primaryKey = SetPrimaryKey(primaryKey, new PrimaryKeyDefinition(null, new NodeList<Identifier>([name])) { Span = SpanFrom(nameToken) }, keyStart);
                }
            }
        }

        return AcceptWord("COMMENT") ? column with { Comment = ParseStringValue() } : column;
    }

    private TableOption ParseOption()
    {
        var start = Current;
        var key = ParseStringValue();
        ExpectSymbol("=");
        var value = ParseStringValue();
        return new TableOption(key, value) { Span = SpanFrom(start) };
    }

    private DropStatement ParseDrop()
    {
        var temporary = AcceptWord("TEMPORARY");
        DropObjectKind kind;
        if (AcceptWord("TABLE"))
        {
            kind = DropObjectKind.Table;
        }
        else if (AcceptWord("VIEW"))
        {
            kind = DropObjectKind.View;
        }
        else
        {
            foreach (var what in new[] { "FUNCTION", "SYSTEM", "CATALOG", "DATABASE", "MODEL" })
            {
                if (Current.IsWord(what))
                {
                    throw Unsupported("DROP " + what.ToUpperInvariant(), Current);
                }
            }

            throw Unexpected();
        }

        var ifExists = false;
        if (AcceptWord("IF"))
        {
            ExpectWord("EXISTS");
            ifExists = true;
        }

        return new DropStatement(kind, ParseObjectName(), ifExists, temporary);
    }

    private InsertStatement ParseInsertRest(SqlToken start)
    {
        if (Current.IsWord("OVERWRITE"))
        {
            throw Unsupported("INSERT OVERWRITE", Current);
        }

        ExpectWord("INTO");
        var table = ParseObjectName();
        if (Current.IsWord("PARTITION"))
        {
            throw Unsupported("INSERT ... PARTITION", Current);
        }

        var columns = CheckSymbol("(") && !IsQueryStartAfterParenthesis() ? ParseIdentifierList() : new NodeList<Identifier>([]);
        if (!AtQueryStart())
        {
            throw Unexpected();
        }

        return new InsertStatement(table, columns, ParseQuery()) { Span = SpanFrom(start) };
    }

    /// <summary>Whether the '(' at the current token opens a query rather than a column list.</summary>
    private bool IsQueryStartAfterParenthesis()
    {
        var next = PeekToken(1);
        return next.IsWord("SELECT") || next.IsWord("WITH") || next.IsWord("VALUES") || next.IsSymbol("(");
    }

    private StatementSetStatement ParseStatementSetRest(SqlToken start)
    {
        ExpectWord("STATEMENT");
        ExpectWord("SET");
        ExpectWord("BEGIN");
        var inserts = new List<InsertStatement>();
        do
        {
            var insertStart = Current;
            if (!AcceptWord("INSERT"))
            {
                throw Unexpected();
            }

            inserts.Add(ParseInsertRest(insertStart));
            ExpectSymbol(";");
        }
        while (!AcceptWord("END"));

        return new StatementSetStatement(new NodeList<InsertStatement>(inserts)) { Span = SpanFrom(start) };
    }

    private ExplainStatement ParseExplainRest()
    {
        if (AcceptWord("PLAN"))
        {
            ExpectWord("FOR");
        }

        var start = Current;
        SqlStatement inner;
        if (AtQueryStart())
        {
            inner = new QueryStatement(ParseQuery());
        }
        else if (AcceptWord("INSERT"))
        {
            inner = ParseInsertRest(start);
        }
        else if (AcceptWord("EXECUTE") || CheckWord("STATEMENT"))
        {
            inner = ParseStatementSetRest(start);
        }
        else
        {
            throw Unexpected();
        }

        return new ExplainStatement(inner with { Span = SpanFrom(start) });
    }

    private ShowStatement ParseShowRest()
    {
        if (AcceptWord("TABLES"))
        {
            return new ShowStatement(ShowObjectKind.Tables);
        }

        if (AcceptWord("VIEWS"))
        {
            return new ShowStatement(ShowObjectKind.Views);
        }

        if (Current.Kind == SqlTokenKind.Word)
        {
            throw Unsupported("SHOW " + Current.Value.ToUpperInvariant(), Current);
        }

        throw Unexpected();
    }

    private SetStatement ParseSetRest()
    {
        if (Current.Kind != SqlTokenKind.String)
        {
            Note("string literal");
            Note("end of statement");
            if (Current.Kind == SqlTokenKind.End || Current.IsSymbol(";"))
            {
                return new SetStatement(null);
            }

            throw Unexpected();
        }

        return new SetStatement(ParseOption());
    }
}
