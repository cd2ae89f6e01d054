using System.Globalization;

namespace Freshet.Bench.Scaleout;

/// <summary>The parameters of <see cref="ScaleoutJob"/> that change its output: the number of keys and the window length in milliseconds.</summary>
internal readonly record struct JobShape(long Keys, long WindowMs)
{
    public IEnumerable<string> ToArguments() =>
        ["--keys", Keys.ToString(CultureInfo.InvariantCulture), "--window-ms", WindowMs.ToString(CultureInfo.InvariantCulture)];
}
