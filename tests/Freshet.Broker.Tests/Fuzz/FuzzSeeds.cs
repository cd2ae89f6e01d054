using System.Text;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Records;
using Freshet.Log.Transactions;

namespace Freshet.Broker.Tests.Fuzz;

/// <summary>
/// Valid request frames (size prefix, header, body) for every advertised API at every version in its
/// range, encoded with the codec's own message types: the corpus the fuzzer mutates.
/// <para>
/// The seeds are chosen so that mutations cannot plausibly destroy data the fuzz test later checks:
/// Produce, Fetch, ListOffsets, DescribeConfigs and OffsetCommit may name the known topic (appending to
/// it is allowed, it only adds records after the acknowledged ones), but no admin request names it, and
/// the admin seeds that would create partitions either validate only or name a topic that does not
/// exist, so a mutated count cannot make the broker create tens of thousands of partitions.
/// </para>
/// </summary>
internal static class FuzzSeeds
{
    /// <summary>The topic the CreateTopics seeds name (created before fuzzing, so creating it again fails).</summary>
    public const string ExistingCreateTarget = "fz-create";

    /// <summary>The topic the validate-only CreatePartitions seeds grow (created before fuzzing with one partition).</summary>
    public const string GrowTarget = "fz-grow";

    /// <summary>The topic the DeleteTopics seeds delete (created before fuzzing; may be gone afterwards).</summary>
    public const string DeleteTarget = "fz-delete-me";

    /// <summary>The topic that receives Produce seeds carrying damaged but CRC-valid batches.</summary>
    public const string DamagedTarget = "fz-damaged";

    /// <summary>Builds the corpus. Every (API, version) advertised by <see cref="SupportedApis"/> has at least one seed.</summary>
    public static List<byte[]> Build(string knownTopic, int nodeId, Random random)
    {
        var seeds = new List<byte[]>();
        var correlationId = 1000;
        foreach (var range in SupportedApis.All)
        {
            for (var version = range.MinVersion; version <= range.MaxVersion; version++)
            {
                foreach (var frame in ForVersion(range.ApiKey, version, knownTopic, nodeId, random, () => correlationId++))
                {
                    seeds.Add(frame);
                }
            }
        }

        return seeds;
    }

    private static IEnumerable<byte[]> ForVersion(ApiKeys api, short version, string known, int nodeId, Random random, Func<int> nextCorrelationId)
    {
        byte[] Encode<T>(T body)
            where T : IKafkaMessage<T>
        {
            using var output = new PooledBufferWriter();
            var header = new RequestHeader { ApiKey = T.ApiKey, ApiVersion = version, CorrelationId = nextCorrelationId(), ClientId = "fuzz" };
            KafkaFrame.WriteRequest(output, header, body);
            return output.WrittenSpan.ToArray();
        }

        switch (api)
        {
            case ApiKeys.Produce:
                foreach (var acks in new short[] { -1, 1, 0 })
                {
                    yield return Encode(Produce(known, Batch(CompressionType.None, 3), acks));
                }

                yield return Encode(Produce(known, Batch((CompressionType)(1 + random.Next(4)), 5), -1));
                for (var i = 0; i < 6; i++)
                {
                    yield return Encode(Produce(DamagedTarget, DamagedBatch(random), (short)(i % 2 == 0 ? 1 : -1)));
                }
                break;
            case ApiKeys.Fetch:
                yield return Encode(new FetchRequest
                {
                    MaxWaitMs = 0,
                    MinBytes = 1,
                    MaxBytes = 1 << 20,
                    Topics = [new FetchTopic { Topic = known, Partitions = [new FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 64 * 1024 }] }],
                });
                yield return Encode(new FetchRequest
                {
                    MaxWaitMs = 5,
                    MinBytes = 1 << 20,
                    MaxBytes = 1 << 20,
                    IsolationLevel = 1,
                    Topics = [new FetchTopic { Topic = known, Partitions = [new FetchPartition { Partition = 0, FetchOffset = 7, PartitionMaxBytes = 100 }] }],
                    ForgottenTopicsData = version >= 7 ? [new ForgottenTopic { Topic = "fz-forgotten", Partitions = [0] }] : [],
                });
                break;
            case ApiKeys.ListOffsets:
                yield return Encode(new ListOffsetsRequest
                {
                    Topics = [new ListOffsetsTopic
                    {
                        Name = known,
                        Partitions =
                        [
                            new ListOffsetsPartition { PartitionIndex = 0, Timestamp = ListOffsetsPartition.EarliestTimestamp },
                            new ListOffsetsPartition { PartitionIndex = 0, Timestamp = version >= 7 ? -3 : ListOffsetsPartition.LatestTimestamp },
                            new ListOffsetsPartition { PartitionIndex = 0, Timestamp = 1_700_000_000_000 },
                        ],
                    }],
                });
                break;
            case ApiKeys.Metadata:
                yield return Encode(new MetadataRequest { Topics = [new MetadataRequestTopic { Name = known }], AllowAutoTopicCreation = false });
                yield return Encode(new MetadataRequest { Topics = [new MetadataRequestTopic { Name = "fz-auto" }], AllowAutoTopicCreation = true });
                break;
            case ApiKeys.OffsetCommit:
                yield return Encode(new OffsetCommitRequest
                {
                    GroupId = "fz-offsets",
                    GenerationIdOrMemberEpoch = -1,
                    MemberId = "",
                    Topics = [new OffsetCommitRequestTopic { Name = known, Partitions = [new OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 5, CommittedMetadata = "m" }] }],
                });
                break;
            case ApiKeys.OffsetFetch:
                yield return Encode(new OffsetFetchRequest { GroupId = "fz-offsets", Topics = [new OffsetFetchRequestTopic { Name = known, PartitionIndexes = [0, 1] }] });
                if (version >= 2)
                {
                    yield return Encode(new OffsetFetchRequest { GroupId = "fz-offsets", Topics = null });
                }

                break;
            case ApiKeys.FindCoordinator:
                yield return Encode(new FindCoordinatorRequest { Key = "fz-group" });
                break;
            case ApiKeys.JoinGroup:
                yield return Encode(new JoinGroupRequest
                {
                    GroupId = "fz-group",
                    MemberId = "",
                    SessionTimeoutMs = 1000,
                    RebalanceTimeoutMs = 1000,
                    ProtocolType = "consumer",
                    Protocols = [new JoinGroupRequestProtocol { Name = "range", Metadata = [0, 1, 0, 0, 0, 1, 0, 1, (byte)'t', 0, 0, 0, 0] }],
                });
                break;
            case ApiKeys.Heartbeat:
                yield return Encode(new HeartbeatRequest { GroupId = "fz-group", GenerationId = 1, MemberId = "fz-member" });
                break;
            case ApiKeys.LeaveGroup:
                yield return Encode(version >= 3
                    ? new LeaveGroupRequest { GroupId = "fz-group", Members = [new LeaveGroupRequestMember { MemberId = "fz-member" }] }
                    : new LeaveGroupRequest { GroupId = "fz-group", MemberId = "fz-member" });
                break;
            case ApiKeys.SyncGroup:
                yield return Encode(new SyncGroupRequest
                {
                    GroupId = "fz-group",
                    GenerationId = 1,
                    MemberId = "fz-member",
                    Assignments = [new SyncGroupRequestAssignment { MemberId = "fz-member", Assignment = [0, 1, 0, 0, 0, 0] }],
                });
                break;
            case ApiKeys.DescribeGroups:
                yield return Encode(new DescribeGroupsRequest { Groups = ["fz-group", "fz-offsets"] });
                break;
            case ApiKeys.ListGroups:
                yield return Encode(new ListGroupsRequest { StatesFilter = version >= 4 ? ["Stable"] : [] });
                break;
            case ApiKeys.ApiVersions:
                yield return Encode(new ApiVersionsRequest { ClientSoftwareName = "fuzz", ClientSoftwareVersion = "1.0" });
                break;
            case ApiKeys.CreateTopics:
                yield return Encode(new CreateTopicsRequest
                {
                    Topics = [new CreatableTopic
                    {
                        Name = ExistingCreateTarget,
                        NumPartitions = 1,
                        ReplicationFactor = 1,
                        Configs = [new CreatableTopicConfig { Name = "retention.ms", Value = "60000" }],
                    }],
                    TimeoutMs = 1000,
                });
                if (version >= 1)
                {
                    yield return Encode(new CreateTopicsRequest
                    {
                        Topics = [new CreatableTopic { Name = "fz-would-create", NumPartitions = 2, ReplicationFactor = 1, Configs = [new CreatableTopicConfig { Name = "cleanup.policy", Value = "compact" }] }],
                        TimeoutMs = 1000,
                        ValidateOnly = true,
                    });
                }

                break;
            case ApiKeys.DeleteTopics:
                yield return Encode(new DeleteTopicsRequest { TopicNames = [DeleteTarget, "fz-never-existed"], TimeoutMs = 1000 });
                break;
            case ApiKeys.InitProducerId:
                yield return Encode(new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60000 });
                yield return Encode(new InitProducerIdRequest { TransactionalId = "fz-tx", TransactionTimeoutMs = 60000 });
                break;
            case ApiKeys.AddPartitionsToTxn:
                yield return Encode(new AddPartitionsToTxnRequest { TransactionalId = "fz-tx", ProducerId = TransactionCoordinator.FirstProducerId, ProducerEpoch = 0, Topics = [new AddPartitionsToTxnTopic { Name = known, Partitions = [0] }] });
                break;
            case ApiKeys.AddOffsetsToTxn:
                yield return Encode(new AddOffsetsToTxnRequest { TransactionalId = "fz-tx", ProducerId = TransactionCoordinator.FirstProducerId, ProducerEpoch = 0, GroupId = "fz-offsets" });
                break;
            case ApiKeys.EndTxn:
                yield return Encode(new EndTxnRequest { TransactionalId = "fz-tx", ProducerId = TransactionCoordinator.FirstProducerId, ProducerEpoch = 0, Committed = false });
                break;
            case ApiKeys.TxnOffsetCommit:
                yield return Encode(new TxnOffsetCommitRequest
                {
                    TransactionalId = "fz-tx",
                    GroupId = "fz-offsets",
                    ProducerId = TransactionCoordinator.FirstProducerId,
                    ProducerEpoch = 0,
                    Topics = [new TxnOffsetCommitRequestTopic { Name = known, Partitions = [new TxnOffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }],
                });
                break;
            case ApiKeys.DescribeConfigs:
                yield return Encode(new DescribeConfigsRequest
                {
                    Resources =
                    [
                        new DescribeConfigsResource { ResourceType = 2, ResourceName = known, ConfigurationKeys = null },
                        new DescribeConfigsResource { ResourceType = 4, ResourceName = nodeId.ToString(), ConfigurationKeys = ["num.partitions"] },
                    ],
                    IncludeSynonyms = version >= 1,
                });
                break;
            case ApiKeys.CreatePartitions:
                yield return Encode(new CreatePartitionsRequest
                {
                    Topics = [new CreatePartitionsTopic { Name = GrowTarget, Count = 2, Assignments = null }],
                    TimeoutMs = 1000,
                    ValidateOnly = true,
                });
                yield return Encode(new CreatePartitionsRequest
                {
                    Topics = [new CreatePartitionsTopic { Name = "fz-missing", Count = 3, Assignments = [new CreatePartitionsAssignment { BrokerIds = [nodeId] }] }],
                    TimeoutMs = 1000,
                });
                break;
            case ApiKeys.OffsetForLeaderEpoch:
                yield return Encode(new OffsetForLeaderEpochRequest
                {
                    ReplicaId = -1,
                    Topics =
                    [
                        new OffsetForLeaderTopic { Topic = known, Partitions = [new OffsetForLeaderPartition { Partition = 0, CurrentLeaderEpoch = 0, LeaderEpoch = 0 }] },
                        new OffsetForLeaderTopic { Topic = "fz-missing", Partitions = [new OffsetForLeaderPartition { Partition = 3, LeaderEpoch = 7 }] },
                    ],
                });
                break;
            case ApiKeys.DescribeCluster:
                yield return Encode(new DescribeClusterRequest { IncludeClusterAuthorizedOperations = true, EndpointType = 1 });
                break;
            case ApiKeys.DescribeProducers:
                yield return Encode(new DescribeProducersRequest { Topics = [new DescribeProducersTopicRequest { Name = known, PartitionIndexes = [0, 9] }] });
                break;
            case ApiKeys.DescribeTransactions:
                yield return Encode(new DescribeTransactionsRequest { TransactionalIds = ["fz-tx", "fz-unknown-tx"] });
                break;
            case ApiKeys.ListTransactions:
                yield return Encode(new ListTransactionsRequest { StateFilters = ["Ongoing", "fz-bogus"], ProducerIdFilters = [TransactionCoordinator.FirstProducerId], DurationFilter = version >= 1 ? 0 : -1 });
                break;
            case ApiKeys.DeleteRecords:
                // Never the known topic: its acknowledged records are checked after fuzzing.
                yield return Encode(new DeleteRecordsRequest
                {
                    Topics =
                    [
                        new DeleteRecordsTopic { Name = GrowTarget, Partitions = [new DeleteRecordsPartition { PartitionIndex = 0, Offset = -1 }] },
                        new DeleteRecordsTopic { Name = "fz-missing", Partitions = [new DeleteRecordsPartition { PartitionIndex = 0, Offset = 5 }] },
                    ],
                    TimeoutMs = 1000,
                });
                break;
            case ApiKeys.DeleteGroups:
                yield return Encode(new DeleteGroupsRequest { GroupsNames = ["fz-deletable", "fz-group"] });
                break;
            case ApiKeys.OffsetDelete:
                yield return Encode(new OffsetDeleteRequest { GroupId = "fz-offsets", Topics = [new OffsetDeleteRequestTopic { Name = known, Partitions = [new OffsetDeleteRequestPartition { PartitionIndex = 0 }] }] });
                break;
            case ApiKeys.AlterConfigs:
                // Never the known topic: a retention change could remove its acknowledged records.
                yield return Encode(new AlterConfigsRequest
                {
                    Resources =
                    [
                        new AlterConfigsResource { ResourceType = 2, ResourceName = ExistingCreateTarget, Configs = [new AlterableConfig { Name = "max.message.bytes", Value = "4096" }] },
                        new AlterConfigsResource { ResourceType = 4, ResourceName = nodeId.ToString(), Configs = [new AlterableConfig { Name = "num.partitions", Value = "2" }] },
                    ],
                    ValidateOnly = true,
                });
                break;
            case ApiKeys.IncrementalAlterConfigs:
                yield return Encode(new IncrementalAlterConfigsRequest
                {
                    Resources =
                    [
                        new IncrementalAlterConfigsResource
                        {
                            ResourceType = 2,
                            ResourceName = ExistingCreateTarget,
                            Configs =
                            [
                                new AlterableConfigOperation { Name = "cleanup.policy", ConfigOperation = AlterableConfigOperation.Append, Value = "compact" },
                                new AlterableConfigOperation { Name = "retention.ms", ConfigOperation = AlterableConfigOperation.Delete, Value = null },
                            ],
                        },
                    ],
                });
                break;
            case ApiKeys.ConsumerGroupHeartbeat:
                yield return Encode(new ConsumerGroupHeartbeatRequest { GroupId = "fz-kip848", MemberId = "fz-member", MemberEpoch = 0, RebalanceTimeoutMs = 1000, SubscribedTopicNames = [known], ServerAssignor = "range", TopicPartitions = [] });
                yield return Encode(new ConsumerGroupHeartbeatRequest
                {
                    GroupId = "fz-kip848",
                    MemberId = "fz-member",
                    MemberEpoch = 1,
                    TopicPartitions = [new ConsumerGroupHeartbeatTopicPartitions { TopicId = Guid.NewGuid(), Partitions = [0] }],
                });
                break;
            case ApiKeys.ConsumerGroupDescribe:
                yield return Encode(new ConsumerGroupDescribeRequest { GroupIds = ["fz-kip848", "fz-group", ""], IncludeAuthorizedOperations = true });
                break;
            case ApiKeys.DescribeAcls:
                yield return Encode(new DescribeAclsRequest { ResourceTypeFilter = 1, PatternTypeFilter = 2, ResourceNameFilter = "fz-topic", Operation = 1, PermissionType = 1 });
                break;
            case ApiKeys.CreateAcls:
                yield return Encode(new CreateAclsRequest
                {
                    Creations = [new AclCreation { ResourceType = 2, ResourceName = "fz-", ResourcePatternType = 4, Principal = "User:fz", Host = "*", Operation = 3, PermissionType = 3 }],
                });
                break;
            case ApiKeys.DeleteAcls:
                yield return Encode(new DeleteAclsRequest { Filters = [new DeleteAclsFilter { ResourceTypeFilter = 1, PatternTypeFilter = 1, PrincipalFilter = "User:fz", Operation = 1, PermissionType = 1 }] });
                break;
            case ApiKeys.SaslHandshake:
                yield return Encode(new SaslHandshakeRequest { Mechanism = "SCRAM-SHA-256" });
                break;
            case ApiKeys.SaslAuthenticate:
                yield return Encode(new SaslAuthenticateRequest { AuthBytes = "n,,n=fuzz,r=abcdef"u8.ToArray() });
                yield return Encode(new SaslAuthenticateRequest { AuthBytes = "\0fuzz\0secret"u8.ToArray() });
                break;
            case ApiKeys.DescribeUserScramCredentials:
                yield return Encode(new DescribeUserScramCredentialsRequest { Users = [new UserName { Name = "fz-user" }, new UserName { Name = "fz-user" }] });
                yield return Encode(new DescribeUserScramCredentialsRequest { Users = null });
                break;
            case ApiKeys.AlterUserScramCredentials:
                yield return Encode(new AlterUserScramCredentialsRequest
                {
                    Deletions = [new ScramCredentialDeletion { Name = "fz-gone", Mechanism = 2 }],
                    Upsertions = [new ScramCredentialUpsertion { Name = "fz-user", Mechanism = 1, Iterations = 4096, Salt = [1, 2, 3], SaltedPassword = new byte[32] }],
                });
                break;
            default:
                throw new InvalidOperationException($"No fuzz seed for advertised API {api}; add one.");
        }
    }

    private static ProduceRequest Produce(string topic, byte[] batch, short acks) => new()
    {
        Acks = acks,
        TimeoutMs = 1000,
        TopicData = [new TopicProduceData { Name = topic, PartitionData = [new PartitionProduceData { Index = 0, Records = batch }] }],
    };

    private static byte[] Batch(CompressionType compression, int records)
    {
        var builder = new RecordBatchBuilder(compression);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < records; i++)
        {
            builder.Add(now + i, Encoding.UTF8.GetBytes("fk" + i), Encoding.UTF8.GetBytes("fuzz-value-" + i));
        }

        return builder.Build();
    }

    /// <summary>
    /// A batch whose records section (possibly compressed) is damaged but whose CRC is recomputed, so it
    /// passes the CRC check and exercises the record and decompression validation behind it.
    /// </summary>
    private static byte[] DamagedBatch(Random random)
    {
        var batch = Batch((CompressionType)random.Next(5), 4);
        var damages = 1 + random.Next(3);
        for (var i = 0; i < damages; i++)
        {
            var position = RecordBatchHeader.Size + random.Next(batch.Length - RecordBatchHeader.Size);
            batch[position] = (byte)random.Next(256);
        }

        // The CRC (bytes 17..20) covers everything from the attributes (byte 21) to the end.
        var crc = Crc32C.Compute(batch.AsSpan(21));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(17), crc);
        return batch;
    }
}
