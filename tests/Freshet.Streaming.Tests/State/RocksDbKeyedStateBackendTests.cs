using Freshet.Streaming.State;

namespace Freshet.Streaming.Tests.State;

/// <summary>The keyed state backend contract on RocksDB, each backend a real database in a scratch directory.</summary>
public sealed class RocksDbKeyedStateBackendTests : KeyedStateBackendContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-rocks-contract-" + Guid.NewGuid().ToString("N"));
    private readonly StateBackend _backend;

    public RocksDbKeyedStateBackendTests()
    {
        _backend = StateBackend.RocksDb(_directory);
    }

    protected override StateBackend Backend => _backend;

    protected override int ModelIterations => 40;

    protected override void DisposeBackendResources()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
