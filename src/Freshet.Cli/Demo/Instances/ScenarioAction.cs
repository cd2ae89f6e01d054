namespace Freshet.Cli.Demo.Instances;

/// <summary>What <see cref="FailoverScenario"/> asks the demo to do with an instance.</summary>
internal enum ScenarioAction
{
    /// <summary>Nothing now.</summary>
    None,

    /// <summary>Kill the instance with SIGKILL.</summary>
    Kill,

    /// <summary>Start the killed instance again, with the same name (static group instance id) and state directory.</summary>
    Restart,
}
