namespace Freshet.Cli.Demo.Instances;

/// <summary>One decision of <see cref="FailoverScenario"/>: an action on an instance and what to tell the viewer.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Instance">The index of the instance it concerns.</param>
/// <param name="Events">Sentences describing what happened since the last step, in order.</param>
internal sealed record ScenarioStep(ScenarioAction Action, int Instance, IReadOnlyList<string> Events);
