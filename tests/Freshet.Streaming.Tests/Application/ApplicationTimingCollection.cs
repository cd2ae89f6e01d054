namespace Freshet.Streaming.Tests.Application;

/// <summary>
/// The application-mode tests whose members heartbeat on short sessions run one class at a time: the task tests keep
/// many commits in flight, and a group member starved of threads beside them would miss its session for reasons that
/// are the test process's, not the code's.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ApplicationTimingCollection
{
    public const string Name = "application mode timing";
}
