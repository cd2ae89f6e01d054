using System.Globalization;
using System.Text;
using Freshet.Sql.Ast;
using Freshet.Sql.Syntax;

namespace Freshet.Sql.Printing;

/// <summary>Accumulates the canonical text of one tree for <see cref="SqlPrinter"/>. Not thread-safe.</summary>
internal sealed partial class SqlWriter
{
    private readonly StringBuilder _text = new();

    public override string ToString() => _text.ToString();

    public void Write(SqlNode node)
    {
        switch (node)
        {
            case SqlStatement statement:
                Statement(statement);
                break;
            case QueryExpression query:
                Query(query);
                break;
            case SqlExpression expression:
                Expression(expression);
                break;
            case SqlDataType type:
                DataType(type);
                break;
            case TableReference table:
                TableReference(table);
                break;
            case SelectItem item:
                SelectItem(item);
                break;
            case Identifier identifier:
                Name(identifier);
                break;
            case ObjectName name:
                Name(name);
                break;
            case OrderByItem item:
                OrderByItem(item);
                break;
            case WindowSpecification window:
                WindowSpecification(window);
                break;
            case TableColumn column:
                Column(column);
                break;
            case TableOption option:
                Option(option);
                break;
            default:
                throw new ArgumentException($"Cannot print a {node.GetType().Name} on its own", nameof(node));
        }
    }

    private SqlWriter Append(string text)
    {
        _text.Append(text);
        return this;
    }

    private void Name(Identifier identifier)
    {
        if (SqlKeywords.NeedsQuotes(identifier.Value))
        {
            _text.Append('`').Append(identifier.Value.Replace("`", "``", StringComparison.Ordinal)).Append('`');
        }
        else
        {
            _text.Append(identifier.Value);
        }
    }

    private void Name(ObjectName name) => Names(name.Parts, ".");

    private void Names(IReadOnlyList<Identifier> names, string separator)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                _text.Append(separator);
            }

            Name(names[i]);
        }
    }

    private void NameList(IReadOnlyList<Identifier> names)
    {
        _text.Append('(');
        Names(names, ", ");
        _text.Append(')');
    }

    private void String(string value) =>
        _text.Append('\'').Append(value.Replace("'", "''", StringComparison.Ordinal)).Append('\'');

    private void Integer(int value) => _text.Append(value.ToString(CultureInfo.InvariantCulture));

    private void List<T>(IReadOnlyList<T> items, Action<T> write)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                _text.Append(", ");
            }

            write(items[i]);
        }
    }

    private void Option(TableOption option)
    {
        String(option.Key);
        _text.Append(" = ");
        String(option.Value);
    }

    private void DataType(SqlDataType type)
    {
        switch (type)
        {
            case ScalarType scalar:
                _text.Append(scalar.Name switch
                {
                    ScalarTypeName.TinyInt => "TINYINT",
                    ScalarTypeName.SmallInt => "SMALLINT",
                    ScalarTypeName.BigInt => "BIGINT",
                    ScalarTypeName.TimestampLtz => "TIMESTAMP_LTZ",
                    var name => name.ToString().ToUpperInvariant(),
                });
                if (scalar.Precision is { } precision)
                {
                    _text.Append('(');
                    Integer(precision);
                    if (scalar.Scale is { } scale)
                    {
                        _text.Append(", ");
                        Integer(scale);
                    }

                    _text.Append(')');
                }

                break;
            case ArrayType array:
                _text.Append("ARRAY<");
                DataType(array.Element);
                _text.Append('>');
                break;
            case MultisetType multiset:
                _text.Append("MULTISET<");
                DataType(multiset.Element);
                _text.Append('>');
                break;
            case MapType map:
                _text.Append("MAP<");
                DataType(map.Key);
                _text.Append(", ");
                DataType(map.Value);
                _text.Append('>');
                break;
            case RowType row:
                _text.Append("ROW<");
                List(row.Fields, field =>
                {
                    Name(field.Name);
                    _text.Append(' ');
                    DataType(field.Type);
                    if (field.Description is not null)
                    {
                        _text.Append(' ');
                        String(field.Description);
                    }
                });
                _text.Append('>');
                break;
            default:
                throw new ArgumentException($"Unknown data type node {type.GetType().Name}", nameof(type));
        }

        if (type.NotNull)
        {
            _text.Append(" NOT NULL");
        }
    }
}
