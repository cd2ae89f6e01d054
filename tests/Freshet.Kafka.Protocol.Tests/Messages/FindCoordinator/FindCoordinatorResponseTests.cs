using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.FindCoordinator;

public class FindCoordinatorResponseTests
{
    private MessageContract<FindCoordinatorResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<FindCoordinatorResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 1, Gen.Int, 0),
            Gen.Short,
            Gens.Since(version, 1, Gens.NullableString, null),
            Gen.Int,
            Gens.String,
            Gen.Int,
            (throttle, error, message, node, host, port) => new FindCoordinatorResponse
            {
                ThrottleTimeMs = throttle,
                ErrorCode = error,
                ErrorMessage = message,
                NodeId = node,
                Host = host,
                Port = port,
            });
}
