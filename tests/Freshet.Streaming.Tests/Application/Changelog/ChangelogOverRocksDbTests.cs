using Freshet.Streaming.State;

namespace Freshet.Streaming.Tests.Application.Changelog;

/// <summary>The changelog backend's logging and restore over RocksDB, each backend a real database in a scratch directory.</summary>
public sealed class ChangelogOverRocksDbTests : ChangelogKeyedStateBackendTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-changelog-" + Guid.NewGuid().ToString("N"));

    public ChangelogOverRocksDbTests()
    {
        Inner = StateBackend.RocksDb(_directory);
    }

    protected override StateBackend Inner { get; }

    protected override int PropertyIterations => 40;

    protected override bool SnapshotsAreCanonical => true;

    protected override void DisposeBackendResources()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
