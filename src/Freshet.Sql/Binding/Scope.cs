using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary>
/// The names visible to the expressions of one SELECT block: the relations of its FROM clause, in order. Resolves
/// a column name to an ordinal of the combined input row, with ambiguity and "did you mean" errors.
/// Immutable after construction.
/// </summary>
internal sealed class Scope
{
    public static readonly Scope Empty = new([], new HashSet<string>(StringComparer.Ordinal));

    private readonly HashSet<string> _usingColumns;

    public Scope(IReadOnlyList<ScopeEntry> entries, HashSet<string> usingColumns)
    {
        Entries = entries;
        _usingColumns = usingColumns;
        Width = entries.Count == 0 ? 0 : entries[^1].Offset + entries[^1].Columns.Count;
    }

    public IReadOnlyList<ScopeEntry> Entries { get; }

    /// <summary>Number of columns in the combined input row.</summary>
    public int Width { get; }

    /// <summary>Finds an entry by alias, or null.</summary>
    public ScopeEntry? FindEntry(string alias)
    {
        foreach (var entry in Entries)
        {
            if (entry.Alias == alias)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>
    /// Resolves an unqualified column name. Returns null if no relation has it. A name in several relations is
    /// ambiguous unless it was joined with USING, where the leftmost wins.
    /// </summary>
    public (int Ordinal, BoundColumn Column)? Resolve(Identifier name)
    {
        (int, BoundColumn)? found = null;
        ScopeEntry? foundIn = null;
        foreach (var entry in Entries)
        {
            for (var i = 0; i < entry.Columns.Count; i++)
            {
                if (entry.Columns[i].Name != name.Value)
                {
                    continue;
                }

                if (found is not null)
                {
                    if (foundIn == entry || _usingColumns.Contains(name.Value))
                    {
                        continue;
                    }

                    throw new SqlValidationException(
                        $"Column '{name.Value}' is ambiguous; it is in '{foundIn!.Alias ?? "a subquery"}' and '{entry.Alias ?? "a subquery"}'",
                        name.Span);
                }

                found = (entry.Offset + i, entry.Columns[i]);
                foundIn = entry;
            }
        }

        return found;
    }

    /// <summary>The error for a column no relation has, naming the table when there is one, with a suggestion.</summary>
    public SqlValidationException NotFound(Identifier name)
    {
        var candidates = Entries.SelectMany(e => e.Columns.Select(c => c.Name));
        var where = Entries.Count == 1 && Entries[0].Alias is { } alias ? $" in table '{alias}'"
            : Entries.Count == 0 ? string.Empty
            : " in any table of the FROM clause";
        return new SqlValidationException(
            $"Column '{name.Value}' not found{where}{NameSuggestions.Hint(name.Value, candidates)}", name.Span);
    }
}
