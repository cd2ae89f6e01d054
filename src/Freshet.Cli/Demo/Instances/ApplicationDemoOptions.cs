namespace Freshet.Cli.Demo.Instances;

/// <summary>What <c>freshet demo --instances N</c> runs with.</summary>
/// <param name="Instances">How many instances (processes) run the job: 1 to <see cref="ApplicationDemo.MaxInstances"/>.</param>
/// <param name="Duration">How long the run lasts before the check (Ctrl+C ends it earlier).</param>
/// <param name="DataDirectory">Where to keep the log and the instances' state, kept afterwards; null for a temporary directory, removed at the end.</param>
/// <param name="Port">The broker's port; 0 for any free one.</param>
/// <param name="ReadingsPerSecond">Rate of the generated sensor readings.</param>
/// <param name="LogLevel">The lowest level of the broker's and the log's events written to standard output.</param>
internal sealed record ApplicationDemoOptions(int Instances, TimeSpan Duration, string? DataDirectory, int Port, double ReadingsPerSecond, Microsoft.Extensions.Logging.LogLevel LogLevel = ConsoleLogging.DefaultLevel);
