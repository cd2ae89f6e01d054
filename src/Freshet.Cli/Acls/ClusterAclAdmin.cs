using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Cli.Targets;
using AclBinding = Freshet.Broker.Security.Authorization.AclBinding;
using AclBindingFilter = Freshet.Broker.Security.Authorization.AclBindingFilter;
using AclOperation = Freshet.Broker.Security.Authorization.AclOperation;
using AclPermissionType = Freshet.Broker.Security.Authorization.AclPermissionType;
using KafkaAclBinding = Confluent.Kafka.Admin.AclBinding;
using KafkaAclBindingFilter = Confluent.Kafka.Admin.AclBindingFilter;
using KafkaAclOperation = Confluent.Kafka.Admin.AclOperation;
using KafkaAclPermissionType = Confluent.Kafka.Admin.AclPermissionType;
using KafkaResourcePattern = Confluent.Kafka.Admin.ResourcePattern;
using ResourcePattern = Freshet.Broker.Security.Authorization.ResourcePattern;

namespace Freshet.Cli.Acls;

/// <summary>
/// The ACLs of a running Kafka-protocol cluster (a <c>freshet broker</c> with authorization on, Apache Kafka, Redpanda)
/// through Confluent.Kafka's AdminClient (CreateAcls, DescribeAcls, DeleteAcls), with client settings from a
/// <c>--command-config</c> properties file (security.protocol, sasl.*, ssl.*). Not thread-safe; disposes its client.
/// </summary>
internal sealed class ClusterAclAdmin : IAclAdmin
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);
    private readonly string _bootstrap;
    private readonly IAdminClient _admin;

    public ClusterAclAdmin(string bootstrapServers, IReadOnlyDictionary<string, string> clientProperties)
    {
        BrokerTarget.EnsureKafkaClientLoaded();
        _bootstrap = bootstrapServers;
        var config = BrokerTarget.ClientConfig(bootstrapServers);
        foreach (var (name, value) in clientProperties)
        {
            config.Set(name, value);
        }

        try
        {
            _admin = new AdminClientBuilder(config).SetLogHandler(static (_, _) => { }).Build();
        }
        catch (KafkaException e)
        {
            throw new CliException($"Cannot create a client with the given settings: {e.Error.Reason}", e);
        }
    }

    public void Add(IReadOnlyList<AclBinding> acls)
    {
        try
        {
            _admin.CreateAclsAsync([.. acls.Select(ToKafka)], new CreateAclsOptions { RequestTimeout = RequestTimeout }).GetAwaiter().GetResult();
        }
        catch (CreateAclsException e)
        {
            throw new CliException($"The broker at {_bootstrap} refused the ACLs: {string.Join("; ", e.Results.Where(r => r.Error.IsError).Select(r => $"{r.Error.Code}: {r.Error.Reason}").Distinct())}.", e);
        }
        catch (KafkaException e)
        {
            throw Failed(e);
        }
    }

    public IReadOnlyList<AclBinding> List(AclBindingFilter filter)
    {
        try
        {
            var result = _admin.DescribeAclsAsync(ToKafka(filter), new DescribeAclsOptions { RequestTimeout = RequestTimeout }).GetAwaiter().GetResult();
            return [.. result.AclBindings.Select(FromKafka)];
        }
        catch (DescribeAclsException e)
        {
            throw new CliException($"The broker at {_bootstrap} refused to describe its ACLs: {e.Result.Error.Code}: {e.Result.Error.Reason}.", e);
        }
        catch (KafkaException e)
        {
            throw Failed(e);
        }
    }

    public IReadOnlyList<AclBinding> Remove(IReadOnlyList<AclBindingFilter> filters)
    {
        try
        {
            var results = _admin.DeleteAclsAsync([.. filters.Select(ToKafka)], new DeleteAclsOptions { RequestTimeout = RequestTimeout }).GetAwaiter().GetResult();
            return [.. results.SelectMany(static r => r.AclBindings).Select(FromKafka).Distinct()];
        }
        catch (DeleteAclsException e)
        {
            throw new CliException($"The broker at {_bootstrap} refused to remove the ACLs: {string.Join("; ", e.Results.Where(r => r.Error.IsError).Select(r => $"{r.Error.Code}: {r.Error.Reason}").Distinct())}.", e);
        }
        catch (KafkaException e)
        {
            throw Failed(e);
        }
    }

    public void Dispose() => _admin.Dispose();

    private CliException Failed(KafkaException e) => new($"The broker at {_bootstrap} failed: {e.Error.Code}: {e.Error.Reason}", e);

    // Freshet's and Kafka's enums share Kafka's wire codes, so values convert by number.
    private static KafkaAclBinding ToKafka(AclBinding acl) => new()
    {
        Pattern = new KafkaResourcePattern { Type = (ResourceType)(int)acl.Pattern.ResourceType, Name = acl.Pattern.Name, ResourcePatternType = (ResourcePatternType)(int)acl.Pattern.PatternType },
        Entry = new AccessControlEntry { Principal = acl.Entry.Principal, Host = acl.Entry.Host, Operation = (KafkaAclOperation)(int)acl.Entry.Operation, PermissionType = (KafkaAclPermissionType)(int)acl.Entry.Permission },
    };

    private static KafkaAclBindingFilter ToKafka(AclBindingFilter filter) => new()
    {
        PatternFilter = new ResourcePatternFilter { Type = (ResourceType)(int)filter.ResourceType, Name = filter.ResourceName, ResourcePatternType = (ResourcePatternType)(int)filter.PatternType },
        EntryFilter = new AccessControlEntryFilter { Principal = filter.Principal, Host = filter.Host, Operation = (KafkaAclOperation)(int)filter.Operation, PermissionType = (KafkaAclPermissionType)(int)filter.Permission },
    };

    private static AclBinding FromKafka(KafkaAclBinding acl) => new(
        new ResourcePattern((Freshet.Broker.Security.Authorization.AclResourceType)(int)acl.Pattern.Type, acl.Pattern.Name, (Freshet.Broker.Security.Authorization.AclPatternType)(int)acl.Pattern.ResourcePatternType),
        new Freshet.Broker.Security.Authorization.AccessControlEntry(acl.Entry.Principal, acl.Entry.Host, (AclOperation)(int)acl.Entry.Operation, (AclPermissionType)(int)acl.Entry.PermissionType));
}
