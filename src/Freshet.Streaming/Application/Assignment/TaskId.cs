using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Freshet.Streaming.Application.Assignment;

/// <summary>
/// One application task: partition <see cref="Partition"/> of sub-topology <see cref="SubTopology"/>. Both are
/// non-negative (the constructor enforces it). Printed and parsed as <c>"{SubTopology}_{Partition}"</c>, e.g.
/// <c>"0_3"</c>, the form Kafka Streams uses, so the same name appears in logs, transactional ids and metrics.
/// Ordered by sub-topology, then partition.
/// </summary>
internal readonly record struct TaskId(int SubTopology, int Partition) : IComparable<TaskId>
{
    /// <summary>The sub-topology's number, 0 for the first in topological order.</summary>
    public int SubTopology { get; } = SubTopology >= 0
        ? SubTopology
        : throw new ArgumentOutOfRangeException(nameof(SubTopology), SubTopology, "A task's sub-topology must not be negative.");

    /// <summary>The partition of the sub-topology's input topics this task reads.</summary>
    public int Partition { get; } = Partition >= 0
        ? Partition
        : throw new ArgumentOutOfRangeException(nameof(Partition), Partition, "A task's partition must not be negative.");

    /// <inheritdoc />
    public int CompareTo(TaskId other)
    {
        var bySubTopology = SubTopology.CompareTo(other.SubTopology);
        return bySubTopology != 0 ? bySubTopology : Partition.CompareTo(other.Partition);
    }

    /// <summary>Whether <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    public static bool operator <(TaskId left, TaskId right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    public static bool operator >(TaskId left, TaskId right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> sorts before or equals <paramref name="right"/>.</summary>
    public static bool operator <=(TaskId left, TaskId right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> sorts after or equals <paramref name="right"/>.</summary>
    public static bool operator >=(TaskId left, TaskId right) => left.CompareTo(right) >= 0;

    /// <summary>The task's name, <c>"{SubTopology}_{Partition}"</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SubTopology}_{Partition}");

    /// <summary>Parses <c>"{SubTopology}_{Partition}"</c>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static TaskId Parse(string text) =>
        TryParse(text, out var task, out var problem) ? task : throw new FormatException(problem);

    /// <summary>Parses <c>"{SubTopology}_{Partition}"</c>; false for anything else, including negative numbers.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TaskId task) => TryParse(text, out task, out _);

    private static bool TryParse(string? text, out TaskId task, out string problem)
    {
        task = default;
        if (text is null)
        {
            problem = "A task id is required; got null.";
            return false;
        }

        var separator = text.IndexOf('_', StringComparison.Ordinal);
        if (separator < 0 || separator != text.LastIndexOf('_'))
        {
            problem = $"'{text}' is not a task id: expected '{{sub-topology}}_{{partition}}', for example '0_3'.";
            return false;
        }

        // Digits only: no sign, spaces or thousands separators, so every id has exactly one spelling.
        var span = text.AsSpan();
        if (!TryParseNumber(span[..separator], out var subTopology) || !TryParseNumber(span[(separator + 1)..], out var partition))
        {
            problem = $"'{text}' is not a task id: the sub-topology and partition must be non-negative decimal numbers, for example '0_3'.";
            return false;
        }

        task = new TaskId(subTopology, partition);
        problem = string.Empty;
        return true;
    }

    private static bool TryParseNumber(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return digits.Length > 0 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
