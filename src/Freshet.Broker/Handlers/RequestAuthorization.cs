using Freshet.Broker.Security.Authorization;

namespace Freshet.Broker.Handlers;

/// <summary>
/// The checks handlers make, asked of the broker's one <see cref="Authorizer"/> with the request's principal and client
/// address. With authorization off every check answers true after one field test, so the Produce and Fetch paths pay
/// nothing; the authorized-operations bit fields then report every operation the resource type supports, as a Kafka
/// broker without an authorizer does. Stateless; thread-safe.
/// </summary>
internal static class RequestAuthorization
{
    /// <summary>Whether the request's principal may perform <paramref name="operation"/> on the resource.</summary>
    public static bool Allows(this Authorizer authorizer, RequestContext context, AclOperation operation, AclResourceType type, string name) =>
        !authorizer.IsEnabled || authorizer.IsAllowed(context.Principal, context.ClientAddress, operation, type, name);

    /// <summary>Whether the request's principal may perform <paramref name="operation"/> on the topic <paramref name="topic"/>.</summary>
    public static bool AllowsTopic(this Authorizer authorizer, RequestContext context, AclOperation operation, string topic) =>
        authorizer.Allows(context, operation, AclResourceType.Topic, topic);

    /// <summary>Whether the request's principal may perform <paramref name="operation"/> on the group <paramref name="groupId"/>.</summary>
    public static bool AllowsGroup(this Authorizer authorizer, RequestContext context, AclOperation operation, string groupId) =>
        authorizer.Allows(context, operation, AclResourceType.Group, groupId);

    /// <summary>Whether the request's principal may perform <paramref name="operation"/> on the cluster.</summary>
    public static bool AllowsCluster(this Authorizer authorizer, RequestContext context, AclOperation operation) =>
        authorizer.Allows(context, operation, AclResourceType.Cluster, ResourcePattern.ClusterName);

    /// <summary>Whether the request's principal may perform <paramref name="operation"/> on the transactional id.</summary>
    public static bool AllowsTransactionalId(this Authorizer authorizer, RequestContext context, AclOperation operation, string transactionalId) =>
        authorizer.Allows(context, operation, AclResourceType.TransactionalId, transactionalId);

    /// <summary>Whether the request's principal may perform <paramref name="operation"/> on some resource of <paramref name="type"/>.</summary>
    public static bool AllowsAnyOfType(this Authorizer authorizer, RequestContext context, AclOperation operation, AclResourceType type) =>
        !authorizer.IsEnabled || authorizer.IsAllowedOnAnyOfType(context.Principal, context.ClientAddress, operation, type);

    /// <summary>The authorized-operations bit field of the resource for the request's principal (bit n: operation code n).</summary>
    public static int OperationsOn(this Authorizer authorizer, RequestContext context, AclResourceType type, string name) =>
        authorizer.AuthorizedOperations(context.Principal, context.ClientAddress, type, name);

    /// <summary>The authorized-operations bit field of the cluster for the request's principal.</summary>
    public static int ClusterOperations(this Authorizer authorizer, RequestContext context) =>
        authorizer.OperationsOn(context, AclResourceType.Cluster, ResourcePattern.ClusterName);
}
