using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.JoinGroup;

public class JoinGroupRequestTests
{
    private MessageContract<JoinGroupRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<JoinGroupRequest> Generate(short version) =>
        Gen.Select(
            Gens.String,
            Gen.Int,
            Gens.Since(version, 1, Gen.Int, -1),
            Gens.String,
            Gens.Since(version, 5, Gens.NullableString, (string?)null),
            Gens.String,
            Gens.ArrayOf(AnyJoinGroupRequestProtocol(version)),
            (groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols) => new JoinGroupRequest
            {
                GroupId = groupId,
                SessionTimeoutMs = sessionTimeoutMs,
                RebalanceTimeoutMs = rebalanceTimeoutMs,
                MemberId = memberId,
                GroupInstanceId = groupInstanceId,
                ProtocolType = protocolType,
                Protocols = protocols,
            });

    private static Gen<JoinGroupRequestProtocol> AnyJoinGroupRequestProtocol(short version) =>
        Gen.Select(
            Gens.String,
            Gens.Bytes,
            (name, metadata) => new JoinGroupRequestProtocol { Name = name, Metadata = metadata });
}
