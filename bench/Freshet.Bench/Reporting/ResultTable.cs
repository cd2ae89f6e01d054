using System.Globalization;
using System.Text;

namespace Freshet.Bench.Reporting;

/// <summary>Prints comparisons as an aligned, human-readable table of medians and of every sample.</summary>
internal static class ResultTable
{
    public static string Format(IReadOnlyList<Comparison> comparisons)
    {
        var rows = new List<string[]>
        {
            new[] { "suite", "unit", "freshet (median)", "baseline (median)", "ratio", "baseline", "freshet samples", "baseline samples" },
        };
        foreach (var c in comparisons)
        {
            rows.Add(
            [
                c.Name,
                c.Unit,
                Number(c.FreshetMedian),
                c.BaselineSamples.Count == 0 ? "-" : Number(c.BaselineMedian),
                c.BaselineSamples.Count == 0 ? "-" : c.Ratio.ToString("0.000", CultureInfo.InvariantCulture),
                c.BaselineName,
                Samples(c.FreshetSamples),
                Samples(c.BaselineSamples),
            ]);
        }

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        for (var r = 0; r < rows.Count; r++)
        {
            for (var i = 0; i < rows[r].Length; i++)
            {
                // Text columns left-aligned, numbers right-aligned.
                var cell = i is 0 or 1 or 5 or 6 or 7 ? rows[r][i].PadRight(widths[i]) : rows[r][i].PadLeft(widths[i]);
                text.Append(cell).Append(i + 1 < rows[r].Length ? "  " : string.Empty);
            }

            text.AppendLine();
            if (r == 0)
            {
                text.AppendLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
            }
        }

        return text.ToString();
    }

    private static string Number(double value) => value.ToString(value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture);

    private static string Samples(IReadOnlyList<double> samples) =>
        samples.Count == 0 ? "-" : string.Join(" ", samples.Select(s => s.ToString("0", CultureInfo.InvariantCulture)));
}
