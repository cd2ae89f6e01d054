namespace Freshet.Cli.Demo.Instances;

/// <summary>
/// The hottest sensors of one window as the application-mode demo writes them: <see cref="HotSensors"/> plus the
/// instance (process) that computed and committed it, so the demo can show each instance's share of the results.
/// </summary>
/// <param name="WindowEndMs">The window's end, Unix milliseconds; the record key in the output topic.</param>
/// <param name="Ranking">The hottest sensors, hottest first.</param>
/// <param name="Instance">The name of the instance that wrote it, e.g. <c>instance-2</c>.</param>
internal sealed record InstanceHotSensors(long WindowEndMs, IReadOnlyList<SensorAverage> Ranking, string Instance);
