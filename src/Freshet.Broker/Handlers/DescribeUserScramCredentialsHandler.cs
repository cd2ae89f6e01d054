using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Security.Sasl;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DescribeUserScramCredentials 0: each named user's SCRAM mechanisms and iteration counts (never salts or keys); no
/// names (null or empty) describes every user with a credential. Per user: RESOURCE_NOT_FOUND (91) for a user without
/// credentials, DUPLICATE_RESOURCE (92) for a user named twice, with Kafka's messages.
/// </summary>
internal sealed class DescribeUserScramCredentialsHandler : ApiHandler<DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse>
{
    private readonly BrokerServices _services;

    public DescribeUserScramCredentialsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DescribeUserScramCredentialsResponse?> HandleAsync(RequestContext context, DescribeUserScramCredentialsRequest request)
    {
        // As Kafka: DESCRIBE on the cluster, else the top-level error CLUSTER_AUTHORIZATION_FAILED (31) with no results.
        if (!_services.Authorizer.AllowsCluster(context, AclOperation.Describe))
        {
            return new(new DescribeUserScramCredentialsResponse { ErrorCode = KafkaErrorCode.ClusterAuthorizationFailed, ErrorMessage = "Describing SCRAM credentials needs DESCRIBE on the cluster.", Results = [] });
        }

        var byUser = new Dictionary<string, List<CredentialInfo>>(StringComparer.Ordinal);
        foreach (var credential in _services.Sasl.Credentials.List())
        {
            if (!byUser.TryGetValue(credential.User, out var infos))
            {
                byUser[credential.User] = infos = [];
            }

            ScramMechanism.TryFromName(credential.Mechanism, out var mechanism);
            infos.Add(new CredentialInfo { Mechanism = mechanism.KafkaType, Iterations = credential.Iterations });
        }

        var results = new List<DescribeUserScramCredentialsResult>();
        if (request.Users is null or { Count: 0 })
        {
            foreach (var (user, infos) in byUser)
            {
                results.Add(new DescribeUserScramCredentialsResult { User = user, CredentialInfos = infos });
            }

            return new(new DescribeUserScramCredentialsResponse { Results = results });
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var user in request.Users)
        {
            counts[user.Name] = counts.GetValueOrDefault(user.Name) + 1;
        }

        foreach (var (user, count) in counts)
        {
            results.Add(count > 1
                ? new DescribeUserScramCredentialsResult { User = user, ErrorCode = KafkaErrorCode.DuplicateResource, ErrorMessage = "Cannot describe SCRAM credentials for the same user twice in a single request" }
                : byUser.TryGetValue(user, out var infos)
                    ? new DescribeUserScramCredentialsResult { User = user, CredentialInfos = infos }
                    : new DescribeUserScramCredentialsResult { User = user, ErrorCode = KafkaErrorCode.ResourceNotFound, ErrorMessage = "Attempt to describe a user credential that does not exist" });
        }

        return new(new DescribeUserScramCredentialsResponse { Results = results });
    }
}
