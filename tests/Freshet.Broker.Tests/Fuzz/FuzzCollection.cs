namespace Freshet.Broker.Tests.Fuzz;

/// <summary>
/// The fuzz test runs alone: it watches the process-wide trace for broker errors (another test's broker
/// must not be mistaken for it) and needs the machine's cores to stay within its time bound.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "Fuzz (not parallel)";
}
