using System.Collections;

namespace Freshet.Sql.Ast;

/// <summary>
/// An immutable list inside a syntax node, equal to another when both hold equal items in the same order, so
/// that records holding lists keep structural equality.
/// </summary>
/// <typeparam name="T">The item type: nodes, or values such as strings.</typeparam>
public sealed class NodeList<T> : IReadOnlyList<T>, IEquatable<NodeList<T>>
    where T : notnull
{
    private readonly T[] _items;

    /// <summary>Creates a list holding <paramref name="items"/> in order.</summary>
    public NodeList(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public T this[int index] => _items[index];

    /// <inheritdoc/>
    public bool Equals(NodeList<T>? other)
    {
        if (other is null || other._items.Length != _items.Length)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NodeList<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}
