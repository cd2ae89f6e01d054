using Freshet.Streaming.State;

namespace Freshet.Streaming.Tests.Application.Changelog;

/// <summary>The changelog backend's logging and restore over the heap.</summary>
public sealed class ChangelogOverHeapTests : ChangelogKeyedStateBackendTests
{
    protected override StateBackend Inner => StateBackend.Heap;

    protected override int PropertyIterations => 300;

    protected override bool SnapshotsAreCanonical => false;
}
