using System.Globalization;

namespace Freshet.Bench.Reporting;

/// <summary>The machine's load averages, printed beside figures measured on shared machines.</summary>
internal static class LoadAverage
{
    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg ("0 0 0" where there is none).</summary>
    public static string Read()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "0 0 0";
        }
    }

    /// <summary>The 1-minute figure of a <see cref="Read"/> text.</summary>
    public static double OneMinute(string loadAverage) => double.Parse(loadAverage.Split(' ')[0], CultureInfo.InvariantCulture);
}
