using Freshet.Sql.Ast;

namespace Freshet.Sql.Printing;

/// <summary>Statements.</summary>
internal sealed partial class SqlWriter
{
    private void Statement(SqlStatement statement)
    {
        switch (statement)
        {
            case QueryStatement query:
                Query(query.Query);
                break;
            case CreateTableStatement create:
                CreateTable(create);
                break;
            case CreateViewStatement view:
                Append("CREATE ").Append(view.Temporary ? "TEMPORARY " : string.Empty).Append("VIEW ")
                    .Append(view.IfNotExists ? "IF NOT EXISTS " : string.Empty);
                Name(view.Name);
                if (view.Columns.Count > 0)
                {
                    Append(" ");
                    NameList(view.Columns);
                }

                Append(" AS ");
                Query(view.Query);
                break;
            case DropStatement drop:
                Append("DROP ").Append(drop.Temporary ? "TEMPORARY " : string.Empty)
                    .Append(drop.Kind == DropObjectKind.Table ? "TABLE " : "VIEW ")
                    .Append(drop.IfExists ? "IF EXISTS " : string.Empty);
                Name(drop.Name);
                break;
            case ShowStatement show:
                Append(show.Kind == ShowObjectKind.Tables ? "SHOW TABLES" : "SHOW VIEWS");
                break;
            case DescribeStatement describe:
                Append("DESCRIBE ");
                Name(describe.Name);
                break;
            case SetStatement set:
                Append("SET");
                if (set.Option is not null)
                {
                    Append(" ");
                    Option(set.Option);
                }

                break;
            case ResetStatement reset:
                Append("RESET");
                if (reset.Key is not null)
                {
                    Append(" ");
                    String(reset.Key);
                }

                break;
            case ExplainStatement explain:
                Append("EXPLAIN ");
                Statement(explain.Statement);
                break;
            case InsertStatement insert:
                Insert(insert);
                break;
            case StatementSetStatement set:
                Append("EXECUTE STATEMENT SET BEGIN ");
                foreach (var insert in set.Inserts)
                {
                    Insert(insert);
                    Append("; ");
                }

                Append("END");
                break;
            default:
                throw new ArgumentException($"Unknown statement node {statement.GetType().Name}", nameof(statement));
        }
    }

    private void Insert(InsertStatement insert)
    {
        Append("INSERT INTO ");
        Name(insert.Table);
        if (insert.Columns.Count > 0)
        {
            Append(" ");
            NameList(insert.Columns);
        }

        Append(" ");
        Query(insert.Query);
    }

    private void CreateTable(CreateTableStatement create)
    {
        Append("CREATE ").Append(create.Temporary ? "TEMPORARY " : string.Empty).Append("TABLE ")
            .Append(create.IfNotExists ? "IF NOT EXISTS " : string.Empty);
        Name(create.Name);
        Append(" (");
        var first = true;
        foreach (var column in create.Columns)
        {
            Separate(ref first);
            Column(column);
        }

        if (create.Watermark is { } watermark)
        {
            Separate(ref first);
            Append("WATERMARK FOR ");
            Names(watermark.Column, ".");
            Append(" AS ");
            Expression(watermark.Expression);
        }

        if (create.PrimaryKey is { } key)
        {
            Separate(ref first);
            if (key.ConstraintName is not null)
            {
                Append("CONSTRAINT ");
                Name(key.ConstraintName);
                Append(" ");
            }

            Append("PRIMARY KEY ");
            NameList(key.Columns);
            Append(" NOT ENFORCED");
        }

        Append(")");
        if (create.Comment is not null)
        {
            Append(" COMMENT ");
            String(create.Comment);
        }

        if (create.Options.Count > 0)
        {
            Append(" WITH (");
            List(create.Options, Option);
            Append(")");
        }
    }

    private void Separate(ref bool first)
    {
        if (!first)
        {
            Append(", ");
        }

        first = false;
    }

    private void Column(TableColumn column)
    {
        Name(column.Name);
        switch (column)
        {
            case PhysicalColumn physical:
                Append(" ");
                DataType(physical.Type);
                break;
            case ComputedColumn computed:
                Append(" AS ");
                Expression(computed.Expression);
                break;
            case MetadataColumn metadata:
                Append(" ");
                DataType(metadata.Type);
                Append(" METADATA");
                if (metadata.Key is not null)
                {
                    Append(" FROM ");
                    String(metadata.Key);
                }

                if (metadata.Virtual)
                {
                    Append(" VIRTUAL");
                }

                break;
            default:
                throw new ArgumentException($"Unknown column node {column.GetType().Name}", nameof(column));
        }

        if (column.Comment is not null)
        {
            Append(" COMMENT ");
            String(column.Comment);
        }
    }
}
