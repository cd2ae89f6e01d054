using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Tests.Application;

public sealed class ApplicationOptionsTests
{
    private static ApplicationOptions Valid => new() { ApplicationId = "orders", BootstrapServers = "127.0.0.1:9092" };

    [Fact]
    public void Create_ValidOptions_AreAccepted()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Application = Valid });

        Assert.Equal("orders", env.Options.Application!.ApplicationId);
        Assert.Equal(TimeSpan.FromMilliseconds(100), env.Options.Application.CommitInterval);
        Assert.Equal(DeliveryGuarantee.ExactlyOnce, env.Options.Application.ProcessingGuarantee);
    }

    [Fact]
    public void Create_AtLeastOnce_KeepsTheCommitIntervalDefault()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Application = Valid with { ProcessingGuarantee = DeliveryGuarantee.AtLeastOnce } });

        Assert.Equal(TimeSpan.FromMilliseconds(100), env.Options.Application!.CommitInterval);
    }

    [Fact]
    public void Create_UnknownProcessingGuarantee_IsRefusedNamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = Valid with { ProcessingGuarantee = (DeliveryGuarantee)7 },
        }));

        Assert.Equal(nameof(ApplicationOptions.ProcessingGuarantee), error.ParamName);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("orders/eu", "contains '/'")]
    [InlineData("ordres ", "contains ' '")]
    public void Create_BadApplicationId_IsRefusedSayingWhy(string applicationId, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => StreamEnvironment.Create(new StreamEnvironmentOptions { Application = Valid with { ApplicationId = applicationId } }));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_HeartbeatAboveAThirdOfTheSession_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = Valid with { SessionTimeout = TimeSpan.FromSeconds(6), HeartbeatInterval = TimeSpan.FromSeconds(3) },
        }));

        Assert.Equal(nameof(ApplicationOptions.HeartbeatInterval), error.ParamName);
    }

    [Theory]
    [InlineData("group.id")]
    [InlineData("transactional.id")]
    [InlineData("isolation.level")]
    public void Create_ClientPropertyTheApplicationSetsItself_IsRefusedNamingIt(string property)
    {
        var error = Assert.Throws<ArgumentException>(() => StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = Valid with { ClientProperties = new Dictionary<string, string> { [property] = "x" } },
        }));

        Assert.Contains($"'{property}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RepartitionPartitionsBelowOne_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamEnvironment.Create(new StreamEnvironmentOptions { Application = Valid with { RepartitionPartitions = 0 } }));
    }

    [Fact]
    public async Task ExecuteAsync_SourceThatIsNotKafka_IsRefusedBeforeJoiningAnything()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Application = Valid with { BootstrapServers = "127.0.0.1:9" } });
        env.FromCollection([1, 2, 3], name: "Numbers").Print();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => env.ExecuteAsync());

        Assert.Contains("'Numbers' does not read a Kafka topic", error.Message, StringComparison.Ordinal);
    }
}
