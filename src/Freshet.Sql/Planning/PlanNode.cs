using System.Text;

namespace Freshet.Sql.Planning;

/// <summary>
/// One operator of a planned SQL statement as EXPLAIN shows it: its name, its arguments in Flink's
/// <c>name=[value]</c> style, the changelog it emits, and its inputs. Immutable.
/// </summary>
/// <param name="Operator">The operator, e.g. <c>TableSourceScan</c>, <c>Calc</c>, <c>GroupAggregate</c>.</param>
/// <param name="Arguments">Its arguments, already formatted.</param>
/// <param name="Changelog">The row kinds it emits: <c>I</c> for append-only, <c>I,UB,UA,D</c> for updating.</param>
/// <param name="Inputs">Its inputs.</param>
internal sealed record PlanNode(string Operator, string Arguments, string Changelog, IReadOnlyList<PlanNode> Inputs)
{
    /// <summary>The tree, one operator per line, inputs indented below their consumer.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        Render(text, string.Empty, string.Empty);
        return text.ToString();
    }

    private void Render(StringBuilder text, string firstIndent, string indent)
    {
        text.Append(firstIndent).Append(Operator).Append('(').Append(Arguments).Append(')')
            .Append(", changelogMode=[").Append(Changelog).Append(']').Append('\n');
        foreach (var input in Inputs)
        {
            input.Render(text, indent + "+- ", indent + "   ");
        }
    }
}
