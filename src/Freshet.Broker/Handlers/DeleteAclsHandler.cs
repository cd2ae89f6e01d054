using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DeleteAcls 0-3: removes every ACL matching any of the filters from the broker's <see cref="AclStore"/> and lists, per
/// filter, the ACLs it matched; the response is sent once the removal is durable. Per filter: INVALID_REQUEST (42) for a
/// filter with an unknown code (the other filters still apply), CLUSTER_AUTHORIZATION_FAILED (31) without ALTER on the
/// cluster, SECURITY_DISABLED (54) when authorization is off, UNKNOWN_SERVER_ERROR (-1) when the store cannot be written.
/// </summary>
internal sealed class DeleteAclsHandler : ApiHandler<DeleteAclsRequest, DeleteAclsResponse>
{
    private readonly BrokerServices _services;

    public DeleteAclsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DeleteAclsResponse?> HandleAsync(RequestContext context, DeleteAclsRequest request)
    {
        var results = new DeleteAclsFilterResult[request.Filters.Count];
        var authorizer = _services.Authorizer;
        if (AclWire.Refusal(authorizer, context, AclOperation.Alter) is { } refusal)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = new DeleteAclsFilterResult { ErrorCode = refusal.Code, ErrorMessage = refusal.Message };
            }

            return new(new DeleteAclsResponse { FilterResults = results });
        }

        var filters = new List<AclBindingFilter>();
        var filterIndexes = new List<int>();
        for (var i = 0; i < results.Length; i++)
        {
            var wire = request.Filters[i];
            var filter = new AclBindingFilter(
                AclWire.ResourceType(wire.ResourceTypeFilter),
                wire.ResourceNameFilter,
                AclWire.PatternType(wire.PatternTypeFilter),
                wire.PrincipalFilter,
                wire.HostFilter,
                AclWire.Operation(wire.Operation),
                AclWire.Permission(wire.PermissionType));
            if (filter.ValidationProblem() is { } problem)
            {
                results[i] = new DeleteAclsFilterResult { ErrorCode = KafkaErrorCode.InvalidRequest, ErrorMessage = problem };
            }
            else
            {
                filters.Add(filter);
                filterIndexes.Add(i);
            }
        }

        if (filters.Count > 0)
        {
            try
            {
                var removed = authorizer.Store!.Remove(filters);
                authorizer.Reload();
                for (var f = 0; f < filters.Count; f++)
                {
                    results[filterIndexes[f]] = new DeleteAclsFilterResult { MatchingAcls = [.. removed[f].Select(ToMatchingAcl)] };
                }

                var count = removed.SelectMany(static r => r).Distinct().Count();
                _services.AuthorizationLogger.AclsChanged(context.Principal, "deleted", count);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                foreach (var i in filterIndexes)
                {
                    results[i] = new DeleteAclsFilterResult { ErrorCode = KafkaErrorCode.UnknownServerError, ErrorMessage = $"The ACLs could not be stored: {e.Message}" };
                }
            }
        }

        return new(new DeleteAclsResponse { FilterResults = results });
    }

    private static DeleteAclsMatchingAcl ToMatchingAcl(AclBinding acl) => new()
    {
        ResourceType = (sbyte)acl.Pattern.ResourceType,
        ResourceName = acl.Pattern.Name,
        PatternType = (sbyte)acl.Pattern.PatternType,
        Principal = acl.Entry.Principal,
        Host = acl.Entry.Host,
        Operation = (sbyte)acl.Entry.Operation,
        PermissionType = (sbyte)acl.Entry.Permission,
    };
}
