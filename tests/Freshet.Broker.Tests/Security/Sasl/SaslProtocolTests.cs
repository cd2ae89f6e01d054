using System.Buffers.Binary;
using System.Text;
using Freshet.Broker.Security.Sasl;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Security.Sasl;

/// <summary>
/// The SASL state machine on the wire, with a raw client: what is admitted before authentication, Kafka's error codes and
/// messages, closing after failures, legacy SaslHandshake v0 framing, re-authentication and expired sessions, and the
/// SASL APIs on a PLAINTEXT listener.
/// </summary>
public sealed class SaslProtocolTests
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    private static async Task<RawKafkaClient> ConnectSaslAsync(BrokerHarness harness) => await RawKafkaClient.ConnectAsync(SaslBroker.SaslPort(harness));

    private static byte[] PlainToken(string user, string password) => Encoding.UTF8.GetBytes("\0" + user + "\0" + password);

    [Fact]
    public async Task RequestBeforeAuthentication_ClosesWithoutAnswer()
    {
        await using var harness = await SaslBroker.StartAsync();
        using var client = await ConnectSaslAsync(harness);
        await client.SendAsync(new MetadataRequest(), 4);
        Assert.Null(await client.ReceiveFrameAsync());

        // ApiVersions is admitted first, SaslAuthenticate without a handshake is not.
        using var other = await ConnectSaslAsync(harness);
        var versions = await other.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest(), 0);
        Assert.Contains(versions.ApiKeys, k => k.ApiKey == 17 && k.MaxVersion == 1);
        Assert.Contains(versions.ApiKeys, k => k.ApiKey == 36 && k.MaxVersion == 2);
        await other.SendAsync(new SaslAuthenticateRequest { AuthBytes = PlainToken("a", "b") }, 1);
        Assert.Null(await other.ReceiveFrameAsync());
    }

    [Fact]
    public async Task HandshakeWithDisabledMechanism_Answers33WithTheEnabledOnesThenCloses()
    {
        await using var harness = await SaslBroker.StartAsync(mechanisms: ["SCRAM-SHA-512", "SCRAM-SHA-256"]);
        using var client = await ConnectSaslAsync(harness);
        var response = await client.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        Assert.Equal(33, response.ErrorCode);
        Assert.Equal(["SCRAM-SHA-512", "SCRAM-SHA-256"], response.Mechanisms);
        Assert.True(await client.IsClosedByBrokerAsync(CloseWait));
    }

    [Fact]
    public async Task PlainOverSaslAuthenticate_WrongPasswordAnswers58ThenCloses_RightPasswordServesRequests()
    {
        await using var harness = await SaslBroker.StartAsync();
        SaslBroker.AddUser(harness, "alice", "pw");

        using (var bad = await ConnectSaslAsync(harness))
        {
            Assert.Equal(0, (await bad.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1)).ErrorCode);
            var refused = await bad.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = PlainToken("alice", "nope") }, 2);
            Assert.Equal(58, refused.ErrorCode);
            Assert.Equal("Authentication failed: Invalid username or password", refused.ErrorMessage);
            Assert.True(await bad.IsClosedByBrokerAsync(CloseWait));
        }

        using var good = await ConnectSaslAsync(harness);
        await good.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        var accepted = await good.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = PlainToken("alice", "pw") }, 1);
        Assert.Equal((0, 0L), (accepted.ErrorCode, accepted.SessionLifetimeMs));
        var metadata = await good.RoundTripAsync<MetadataRequest, MetadataResponse>(new MetadataRequest(), 4);
        Assert.Single(metadata.Brokers);

        // A second SaslAuthenticate without a handshake: ILLEGAL_SASL_STATE, the connection stays.
        var again = await good.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = PlainToken("alice", "pw") }, 1);
        Assert.Equal(34, again.ErrorCode);
        Assert.Single((await good.RoundTripAsync<MetadataRequest, MetadataResponse>(new MetadataRequest(), 4)).Brokers);
    }

    [Fact]
    public async Task ScramOverSaslAuthenticate_MalformedFinalMessageAnswers58ThenCloses()
    {
        await using var harness = await SaslBroker.StartAsync();
        SaslBroker.AddUser(harness, "alice", "pw");
        using var client = await ConnectSaslAsync(harness);
        await client.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "SCRAM-SHA-256" }, 1);
        var first = await client.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = "n,,n=alice,r=abc"u8.ToArray() }, 2);
        Assert.Equal(0, first.ErrorCode);
        var final = await client.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = "c=biws,r=wrong,p=AAAA"u8.ToArray() }, 2);
        Assert.Equal(58, final.ErrorCode);
        Assert.StartsWith("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256: malformed SCRAM message", final.ErrorMessage);
        Assert.True(await client.IsClosedByBrokerAsync(CloseWait));
    }

    [Fact]
    public async Task OversizedFrameBeforeAuthentication_Closes()
    {
        await using var harness = await SaslBroker.StartAsync();
        using var client = await ConnectSaslAsync(harness);
        var size = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, SaslServer.MaxUnauthenticatedFrameBytes + 1);
        await client.SendRawAsync(size);
        Assert.True(await client.IsClosedByBrokerAsync(CloseWait));
    }

    [Fact]
    public async Task HandshakeV0_ThenRawPlainToken_AuthenticatesWithAnEmptyRawAnswer()
    {
        await using var harness = await SaslBroker.StartAsync();
        SaslBroker.AddUser(harness, "alice", "pw");
        using var client = await ConnectSaslAsync(harness);
        Assert.Equal(0, (await client.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 0)).ErrorCode);
        var token = PlainToken("alice", "pw");
        var frame = new byte[4 + token.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, token.Length);
        token.CopyTo(frame, 4);
        await client.SendRawAsync(frame);
        var answer = await client.ReceiveFrameAsync();
        Assert.NotNull(answer);
        Assert.Empty(answer);
        Assert.Single((await client.RoundTripAsync<MetadataRequest, MetadataResponse>(new MetadataRequest(), 4)).Brokers);

        using var bad = await ConnectSaslAsync(harness);
        await bad.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 0);
        BinaryPrimitives.WriteInt32BigEndian(frame, 3);
        await bad.SendRawAsync(frame[..7]);
        Assert.Null(await bad.ReceiveFrameAsync());
    }

    [Fact]
    public async Task SaslApisOnPlaintextListener_AnswerIllegalSaslStateAndKeepTheConnection()
    {
        await using var harness = await SaslBroker.StartAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker.Listeners.Single(l => l.Name == "PLAINTEXT").Port);
        Assert.Equal(34, (await client.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1)).ErrorCode);
        Assert.Equal(34, (await client.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest(), 1)).ErrorCode);
        Assert.Single((await client.RoundTripAsync<MetadataRequest, MetadataResponse>(new MetadataRequest(), 4)).Brokers);
    }

    [Fact]
    public async Task SessionLifetime_ReauthenticationExtendsIt_ExpiryClosesAtTheNextRequest()
    {
        await using var harness = await SaslBroker.StartAsync(reauthMs: 1200);
        SaslBroker.AddUser(harness, "alice", "pw");
        SaslBroker.AddUser(harness, "bob", "pw");
        using var client = await ConnectSaslAsync(harness);
        await client.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        var first = await client.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = PlainToken("alice", "pw") }, 1);
        Assert.Equal(1200, first.SessionLifetimeMs);

        // Re-authenticate on the same connection after a second (Kafka allows one a second), then use the new session past the old one's end.
        await Task.Delay(1000);
        Assert.Equal(0, (await client.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1)).ErrorCode);
        var second = await client.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = PlainToken("alice", "pw") }, 1);
        Assert.Equal((0, 1200L), (second.ErrorCode, second.SessionLifetimeMs));
        await Task.Delay(400);
        Assert.Single((await client.RoundTripAsync<MetadataRequest, MetadataResponse>(new MetadataRequest(), 4)).Brokers);
        Assert.Equal(1, harness.Broker.Sasl.Reauthentications);

        // Let the session end without re-authenticating: the next request closes the connection.
        await Task.Delay(1300);
        await client.SendAsync(new MetadataRequest(), 4);
        Assert.Null(await client.ReceiveFrameAsync());

        // Re-authentication may not change the principal.
        using var switching = await ConnectSaslAsync(harness);
        await switching.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        await switching.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = PlainToken("alice", "pw") }, 1);
        await Task.Delay(1000);
        await switching.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        var changed = await switching.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = PlainToken("bob", "pw") }, 1);
        Assert.Equal(58, changed.ErrorCode);
        Assert.Equal("Cannot change principals during re-authentication from User.alice: User.bob", changed.ErrorMessage);
        Assert.True(await switching.IsClosedByBrokerAsync(CloseWait));
    }

    [Fact]
    public async Task RandomSaslFrames_NeverStopTheBroker_AndAGoodClientStillAuthenticates()
    {
        await using var harness = await SaslBroker.StartAsync();
        SaslBroker.AddUser(harness, "alice", "pw");
        var random = new Random(20261208);
        string[] mechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "GSSAPI", "", "SCRAM-SHA-1"];
        for (var i = 0; i < 150; i++)
        {
            using var client = await ConnectSaslAsync(harness);
            var mechanism = mechanisms[random.Next(mechanisms.Length)];
            var frames = new List<byte[]>();
            switch (random.Next(4))
            {
                case 0:
                    frames.Add(client.Encode(new SaslHandshakeRequest { Mechanism = mechanism }, (short)random.Next(2)));
                    frames.Add(client.Encode(new SaslAuthenticateRequest { AuthBytes = RandomToken(random, mechanism) }, (short)random.Next(3)));
                    frames.Add(client.Encode(new SaslAuthenticateRequest { AuthBytes = RandomToken(random, mechanism) }, (short)random.Next(3)));
                    break;
                case 1:
                    // A handshake whose body is cut or garbled.
                    var handshake = client.Encode(new SaslHandshakeRequest { Mechanism = mechanism }, 1);
                    handshake[4 + random.Next(handshake.Length - 4)] ^= (byte)random.Next(1, 256);
                    frames.Add(handshake);
                    break;
                case 2:
                    frames.Add(client.Encode(new SaslHandshakeRequest { Mechanism = mechanism }, 0));
                    var raw = RandomToken(random, mechanism);
                    var rawFrame = new byte[4 + raw.Length];
                    BinaryPrimitives.WriteInt32BigEndian(rawFrame, raw.Length);
                    raw.CopyTo(rawFrame, 4);
                    frames.Add(rawFrame);
                    break;
                default:
                    var garbage = new byte[4 + random.Next(0, 64)];
                    random.NextBytes(garbage);
                    BinaryPrimitives.WriteInt32BigEndian(garbage, garbage.Length - 4);
                    frames.Add(garbage);
                    break;
            }

            foreach (var frame in frames)
            {
                try
                {
                    await client.SendRawAsync(frame);
                }
                catch (IOException)
                {
                    break;
                }
            }

            await client.IsClosedByBrokerAsync(TimeSpan.FromMilliseconds(20));
        }

        using var good = await ConnectSaslAsync(harness);
        await good.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        var accepted = await good.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = PlainToken("alice", "pw") }, 1);
        Assert.Equal(0, accepted.ErrorCode);
        Assert.Equal(0, harness.Broker.Sasl.Reauthentications);
    }

    /// <summary>A token that is random bytes, or a near-valid SCRAM or PLAIN message with a random change.</summary>
    private static byte[] RandomToken(Random random, string mechanism)
    {
        var template = random.Next(3) switch
        {
            0 => mechanism == "PLAIN" ? "\0alice\0pw" : "n,,n=alice,r=abcdef",
            1 => "c=biws,r=abcdef,p=" + Convert.ToBase64String(new byte[32]),
            _ => null,
        };
        var bytes = template is null ? new byte[random.Next(0, 200)] : Encoding.UTF8.GetBytes(template);
        if (template is null)
        {
            random.NextBytes(bytes);
        }
        else if (bytes.Length > 0)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }

        return bytes;
    }
}
