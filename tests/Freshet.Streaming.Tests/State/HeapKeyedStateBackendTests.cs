using Freshet.Streaming.State;

namespace Freshet.Streaming.Tests.State;

/// <summary>The keyed state backend contract on the heap.</summary>
public sealed class HeapKeyedStateBackendTests : KeyedStateBackendContract
{
    protected override StateBackend Backend => StateBackend.Heap;

    protected override int ModelIterations => 200;
}
