using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.CreatePartitions;

public class CreatePartitionsResponseTests
{
    private MessageContract<CreatePartitionsResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<CreatePartitionsResponse> Generate(short version) =>
        Gen.Select(
            Gen.Int,
            Gens.ArrayOf(AnyCreatePartitionsTopicResult(version)),
            (throttleTimeMs, results) => new CreatePartitionsResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                Results = results,
            });

    private static Gen<CreatePartitionsTopicResult> AnyCreatePartitionsTopicResult(short version) =>
        Gen.Select(
            Gens.String,
            Gen.Short,
            Gens.NullableString,
            (name, errorCode, errorMessage) => new CreatePartitionsTopicResult
            {
                Name = name,
                ErrorCode = errorCode,
                ErrorMessage = errorMessage,
            });
}
