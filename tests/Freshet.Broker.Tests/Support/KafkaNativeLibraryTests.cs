namespace Freshet.Broker.Tests.Support;

public sealed class KafkaNativeLibraryTests
{
    [Fact]
    public void EnsureLoaded_PackagedBuilds_LoadsTheRedistVersionNotTheSystemOne()
    {
        var path = KafkaNativeLibrary.EnsureLoaded();

        Assert.StartsWith(AppContext.BaseDirectory, path, StringComparison.Ordinal);
        Assert.Equal(path, KafkaNativeLibrary.EnsureLoaded());
        Assert.StartsWith("2.16", Confluent.Kafka.Library.VersionString, StringComparison.Ordinal);
    }
}
