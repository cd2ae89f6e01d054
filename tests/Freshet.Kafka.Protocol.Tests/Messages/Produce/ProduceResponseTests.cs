using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Produce;

public class ProduceResponseTests
{
    private MessageContract<ProduceResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private static readonly Gen<BatchIndexAndErrorMessage> RecordError = Gen.Select(Gen.Int, Gens.NullableString, (index, message) =>
        new BatchIndexAndErrorMessage { BatchIndex = index, BatchIndexErrorMessage = message });

    private static Gen<PartitionProduceResponse> Partition(short version) =>
        Gen.Select(
            Gen.Int,
            Gen.Short,
            Gen.Long,
            Gen.Long,
            Gens.Since(version, 5, Gen.Long, -1L),
            Gens.Since(version, 8, Gens.ArrayOf(RecordError), []),
            Gens.Since(version, 8, Gens.NullableString, null),
            (index, error, baseOffset, appendTime, logStart, recordErrors, message) => new PartitionProduceResponse
            {
                Index = index,
                ErrorCode = error,
                BaseOffset = baseOffset,
                LogAppendTimeMs = appendTime,
                LogStartOffset = logStart,
                RecordErrors = recordErrors,
                ErrorMessage = message,
            });

    private Gen<ProduceResponse> Generate(short version) =>
        Gen.Select(
            Gens.ArrayOf(Gen.Select(Gens.String, Gens.ArrayOf(Partition(version)), (name, partitions) =>
                new TopicProduceResponse { Name = name, PartitionResponses = partitions })),
            Gen.Int,
            (responses, throttle) => new ProduceResponse { Responses = responses, ThrottleTimeMs = throttle });
}
