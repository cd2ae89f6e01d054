using System.Text.Json.Serialization;

namespace Freshet.Cli.Demo;

/// <summary>One temperature reading of one sensor: the demo's input event.</summary>
/// <param name="SensorId">Which sensor measured it, e.g. <c>plant-2/boiler-07</c>; the record key in the input topic.</param>
/// <param name="Celsius">The measured temperature in °C.</param>
/// <param name="TimeMs">When it was measured (event time), Unix milliseconds.</param>
internal sealed record SensorReading(string SensorId, double Celsius, long TimeMs);

/// <summary>The moving average of one sensor over one sliding window <c>[WindowEndMs − size, WindowEndMs)</c>.</summary>
internal sealed record SensorAverage(string SensorId, long WindowEndMs, double AverageCelsius, long Readings);

/// <summary>The hottest sensors of one window, hottest first: the demo's output event.</summary>
internal sealed record HotSensors(long WindowEndMs, IReadOnlyList<SensorAverage> Ranking);

/// <summary>Source-generated JSON metadata for the demo's topics and its instances' status lines (no reflection at run time).</summary>
[JsonSerializable(typeof(SensorReading))]
[JsonSerializable(typeof(HotSensors))]
[JsonSerializable(typeof(Instances.InstanceHotSensors))]
[JsonSerializable(typeof(Freshet.Streaming.Jobs.ApplicationInstanceStatus))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
