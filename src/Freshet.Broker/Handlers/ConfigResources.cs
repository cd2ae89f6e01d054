using Freshet.Broker.Security.Authorization;
using Freshet.Log;

namespace Freshet.Broker.Handlers;

/// <summary>What AlterConfigs and IncrementalAlterConfigs share: resource types, refusals, and mapping failures to per-resource answers.</summary>
internal static class ConfigResources
{
    /// <summary>Kafka's resource type of a topic.</summary>
    public const sbyte Topic = 2;

    /// <summary>Kafka's resource type of a broker.</summary>
    public const sbyte Broker = 4;

    /// <summary>Kafka's resource type of a broker's loggers.</summary>
    public const sbyte BrokerLogger = 8;

    /// <summary>
    /// The answer for each resource, in request order: INVALID_REQUEST for a resource (type, name) named more
    /// than once, as Kafka refuses every copy of it; otherwise what <paramref name="alter"/> answers.
    /// </summary>
    public static (short Code, string? Message)[] AnswerEach<TResource>(
        IReadOnlyList<TResource> resources,
        Func<TResource, (sbyte Type, string Name)> identify,
        Func<TResource, (short Code, string? Message)> alter)
    {
        var seen = new HashSet<(sbyte, string)>();
        var duplicates = new HashSet<(sbyte, string)>();
        foreach (var resource in resources)
        {
            if (!seen.Add(identify(resource)))
            {
                duplicates.Add(identify(resource));
            }
        }

        var answers = new (short, string?)[resources.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            var (type, name) = identify(resources[i]);
            answers[i] = duplicates.Contains((type, name))
                ? (KafkaErrorCode.InvalidRequest, $"Resource {type} '{name}' appears more than once in the request.")
                : alter(resources[i]);
        }

        return answers;
    }

    /// <summary>
    /// Why the request's principal may not describe (<paramref name="alter"/> false: DESCRIBE_CONFIGS) or alter (ALTER_CONFIGS)
    /// the configuration of the resource, as Kafka answers it: TOPIC_AUTHORIZATION_FAILED (29) for a topic,
    /// CLUSTER_AUTHORIZATION_FAILED (31) for a broker or its loggers (checked on the cluster); null when it may.
    /// </summary>
    public static (short Code, string Message)? Unauthorized(Authorizer authorizer, RequestContext context, sbyte resourceType, string resourceName, bool alter)
    {
        var operation = alter ? AclOperation.AlterConfigs : AclOperation.DescribeConfigs;
        var verb = alter ? "ALTER_CONFIGS" : "DESCRIBE_CONFIGS";
        return resourceType switch
        {
            Topic when !authorizer.AllowsTopic(context, operation, resourceName) => (KafkaErrorCode.TopicAuthorizationFailed, $"Topic '{resourceName}' needs {verb} on it."),
            Broker or BrokerLogger when !authorizer.AllowsCluster(context, operation) => (KafkaErrorCode.ClusterAuthorizationFailed, $"Broker configuration needs {verb} on the cluster."),
            _ => null,
        };
    }

    /// <summary>The answer for a resource that is not a topic: the broker's settings are static, other types are unknown.</summary>
    public static (short Code, string Message) Refuse(sbyte resourceType) => resourceType switch
    {
        Broker or BrokerLogger => (KafkaErrorCode.InvalidRequest, "Freshet's broker settings cannot be changed dynamically: set them in the broker's options and restart it."),
        _ => (KafkaErrorCode.InvalidRequest, $"Resource type {resourceType} cannot be altered; alter topics (2)."),
    };

    /// <summary>Runs a change and maps the failures a log operation may raise to the resource's error code and message.</summary>
    public static (short Code, string? Message) Apply(Action change)
    {
        try
        {
            change();
            return (KafkaErrorCode.None, null);
        }
        catch (LogException e)
        {
            return ((short)e.ErrorCode, e.Message);
        }
        catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
        {
            return (ErrorMapping.ToErrorCode(e), e.Message);
        }
    }
}
