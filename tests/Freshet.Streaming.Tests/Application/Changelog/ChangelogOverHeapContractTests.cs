using Freshet.Streaming.Application.Changelog;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tests.Application.Changelog;

/// <summary>The keyed state backend contract on the changelog backend over the heap: the wrappers change no behaviour.</summary>
public sealed class ChangelogOverHeapContractTests : State.KeyedStateBackendContract
{
    protected override StateBackend Backend { get; } = new ChangelogStateBackend(StateBackend.Heap);

    protected override int ModelIterations => 200;
}
