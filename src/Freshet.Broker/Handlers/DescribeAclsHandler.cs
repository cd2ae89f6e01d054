using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DescribeAcls 0-3: the ACLs matching one filter, grouped by resource pattern (v0 filters literal patterns only, as its
/// filter has no pattern type). Needs DESCRIBE on the cluster (CLUSTER_AUTHORIZATION_FAILED, 31); a broker without
/// authorization answers SECURITY_DISABLED (54); a filter with an unknown code gets INVALID_REQUEST (42).
/// </summary>
internal sealed class DescribeAclsHandler : ApiHandler<DescribeAclsRequest, DescribeAclsResponse>
{
    private readonly BrokerServices _services;

    public DescribeAclsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DescribeAclsResponse?> HandleAsync(RequestContext context, DescribeAclsRequest request)
    {
        var authorizer = _services.Authorizer;
        if (AclWire.Refusal(authorizer, context, AclOperation.Describe) is { } refusal)
        {
            return new(new DescribeAclsResponse { ErrorCode = refusal.Code, ErrorMessage = refusal.Message });
        }

        var filter = new AclBindingFilter(
            AclWire.ResourceType(request.ResourceTypeFilter),
            request.ResourceNameFilter,
            AclWire.PatternType(request.PatternTypeFilter),
            request.PrincipalFilter,
            request.HostFilter,
            AclWire.Operation(request.Operation),
            AclWire.Permission(request.PermissionType));
        if (filter.ValidationProblem() is { } problem)
        {
            return new(new DescribeAclsResponse { ErrorCode = KafkaErrorCode.InvalidRequest, ErrorMessage = problem });
        }

        try
        {
            authorizer.RefreshNow();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return new(new DescribeAclsResponse { ErrorCode = KafkaErrorCode.UnknownServerError, ErrorMessage = $"The ACL file cannot be read: {e.Message}" });
        }

        var resources = authorizer.Store!.List(filter)
            .GroupBy(static acl => acl.Pattern)
            .Select(static group => new DescribeAclsResource
            {
                ResourceType = (sbyte)group.Key.ResourceType,
                ResourceName = group.Key.Name,
                PatternType = (sbyte)group.Key.PatternType,
                Acls = [.. group.Select(static acl => new AclDescription
                {
                    Principal = acl.Entry.Principal,
                    Host = acl.Entry.Host,
                    Operation = (sbyte)acl.Entry.Operation,
                    PermissionType = (sbyte)acl.Entry.Permission,
                })],
            })
            .ToArray();
        return new(new DescribeAclsResponse { Resources = resources });
    }
}
