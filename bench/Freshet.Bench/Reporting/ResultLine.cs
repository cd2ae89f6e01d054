using System.Text;
using System.Text.Json;

namespace Freshet.Bench.Reporting;

/// <summary>
/// The machine-readable summary of a suite: printed as the very last line of output,
/// <c>RESULT {"name": value, ...}</c>, one flat JSON object of numbers in insertion order.
/// </summary>
internal sealed class ResultLine
{
    private readonly List<KeyValuePair<string, double>> _values = [];

    public void Add(string name, double value, int decimals = 3) => _values.Add(new(name, Math.Round(value, decimals)));

    public override string ToString()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (var (name, value) in _values)
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
        }

        return "RESULT " + Encoding.UTF8.GetString(stream.ToArray());
    }
}
