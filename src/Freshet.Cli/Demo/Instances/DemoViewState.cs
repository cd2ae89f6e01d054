namespace Freshet.Cli.Demo.Instances;

/// <summary>What the application-mode demo's view shows at one moment.</summary>
/// <param name="Elapsed">Time since the instances were started.</param>
/// <param name="Duration">The planned length of the run.</param>
/// <param name="Stage">What the demo is doing, in words.</param>
/// <param name="ReadingsProduced">Readings produced into the input topic.</param>
/// <param name="RankingsCommitted">Rankings in the output topic, read_committed.</param>
/// <param name="Instances">Every instance.</param>
/// <param name="Events">The most recent events, oldest first, each with its time into the run.</param>
internal sealed record DemoViewState(TimeSpan Elapsed, TimeSpan Duration, string Stage, long ReadingsProduced, int RankingsCommitted, IReadOnlyList<InstanceRow> Instances, IReadOnlyList<(TimeSpan At, string Text)> Events);
