using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// CreateAcls 0-3: adds ACL bindings to the broker's <see cref="AclStore"/>; the response is sent once they are durable,
/// and they apply to the next request checked. One result per creation, in order: INVALID_REQUEST (42) for an invalid
/// binding (<see cref="AclBinding.ValidationProblem"/>; the others are still created), CLUSTER_AUTHORIZATION_FAILED (31)
/// without ALTER on the cluster, SECURITY_DISABLED (54) when authorization is off, UNKNOWN_SERVER_ERROR (-1) when the
/// store cannot be written.
/// </summary>
internal sealed class CreateAclsHandler : ApiHandler<CreateAclsRequest, CreateAclsResponse>
{
    private readonly BrokerServices _services;

    public CreateAclsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<CreateAclsResponse?> HandleAsync(RequestContext context, CreateAclsRequest request)
    {
        var results = new AclCreationResult[request.Creations.Count];
        var authorizer = _services.Authorizer;
        if (AclWire.Refusal(authorizer, context, AclOperation.Alter) is { } refusal)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = new AclCreationResult { ErrorCode = refusal.Code, ErrorMessage = refusal.Message };
            }

            return new(new CreateAclsResponse { Results = results });
        }

        var valid = new List<AclBinding>();
        var validIndexes = new List<int>();
        for (var i = 0; i < results.Length; i++)
        {
            var creation = request.Creations[i];
            var binding = new AclBinding(
                new ResourcePattern(AclWire.ResourceType(creation.ResourceType), creation.ResourceName, AclWire.PatternType(creation.ResourcePatternType)),
                new AccessControlEntry(creation.Principal, creation.Host, AclWire.Operation(creation.Operation), AclWire.Permission(creation.PermissionType)));
            if (binding.ValidationProblem() is { } problem)
            {
                results[i] = new AclCreationResult { ErrorCode = KafkaErrorCode.InvalidRequest, ErrorMessage = problem };
            }
            else
            {
                results[i] = new AclCreationResult();
                valid.Add(binding);
                validIndexes.Add(i);
            }
        }

        if (valid.Count > 0)
        {
            try
            {
                var added = authorizer.Store!.Add(valid);
                authorizer.Reload();
                _services.AuthorizationLogger.AclsChanged(context.Principal, "created", added);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                foreach (var i in validIndexes)
                {
                    results[i] = new AclCreationResult { ErrorCode = KafkaErrorCode.UnknownServerError, ErrorMessage = $"The ACLs could not be stored: {e.Message}" };
                }
            }
        }

        return new(new CreateAclsResponse { Results = results });
    }
}
