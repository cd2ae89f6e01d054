using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Fuzz;

/// <summary>Inputs found by <see cref="FrameFuzzTests"/>, committed byte for byte, with the behaviour now expected.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>
    /// Metadata v10 and v11 whose one topic has a topic id and a null name (legal on the wire from v10).
    /// The broker looked the id up and answered with a null name, which the v10/v11 response cannot hold:
    /// encoding failed and the connection was closed through the last-resort error path.
    /// </summary>
    [Theory]
    [InlineData((short)10, "00000026" + "0003000A" + "00000007" + "000466757A7A" + "00" + "02" + "5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A" + "00" + "00" + "01" + "00" + "00" + "00")]
    [InlineData((short)11, "00000025" + "0003000B" + "00000007" + "000466757A7A" + "00" + "02" + "5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A" + "00" + "00" + "01" + "00" + "00")]
    public async Task Metadata_NullTopicNameBeforeV12_InvalidRequestAndConnectionKept(short version, string frameHex)
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        await client.SendRawAsync(Convert.FromHexString(frameHex));
        var (correlationId, response) = await client.ReceiveAsync<MetadataResponse>(version);

        Assert.Equal(7, correlationId);
        var topic = Assert.Single(response.Topics);
        Assert.Equal(42, topic.ErrorCode);
        Assert.Equal("", topic.Name);
        var versions = await client.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "raw", ClientSoftwareVersion = "1" }, 3);
        Assert.Equal(0, versions.ErrorCode);
        Assert.Empty(harness.Store.ListTopics());
    }

    [Fact]
    public async Task Metadata_NullTopicNameAtV12_UnknownTopicIdWithNullName()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var response = await client.RoundTripAsync<MetadataRequest, MetadataResponse>(
            new MetadataRequest { Topics = [new MetadataRequestTopic { Name = null, TopicId = Guid.NewGuid() }], AllowAutoTopicCreation = true }, 12);

        var topic = Assert.Single(response.Topics);
        Assert.Equal(100, topic.ErrorCode);
        Assert.Null(topic.Name);
    }
}
