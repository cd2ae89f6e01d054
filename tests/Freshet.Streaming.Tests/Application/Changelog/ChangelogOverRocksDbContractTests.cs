using Freshet.Streaming.Application.Changelog;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tests.Application.Changelog;

/// <summary>The keyed state backend contract on the changelog backend over RocksDB, each backend a real database in a scratch directory.</summary>
public sealed class ChangelogOverRocksDbContractTests : State.KeyedStateBackendContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-changelog-contract-" + Guid.NewGuid().ToString("N"));

    public ChangelogOverRocksDbContractTests()
    {
        Backend = new ChangelogStateBackend(StateBackend.RocksDb(_directory));
    }

    protected override StateBackend Backend { get; }

    protected override int ModelIterations => 40;

    protected override void DisposeBackendResources()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
