using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Security.Sasl;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// AlterUserScramCredentials 0: deletes and upserts SCRAM credentials in the <see cref="ScramCredentialStore"/>, in one
/// durable replacement of the file. An upsertion carries the salt and the salted password the client computed (the
/// password never reaches the broker); the broker keeps StoredKey and ServerKey derived from it. One result per user
/// named, in request order; a user with any invalid change gets its error and none of its changes is applied, as in
/// Kafka: DUPLICATE_RESOURCE (92) for a user and mechanism altered twice, UNSUPPORTED_SASL_MECHANISM (33) for an unknown
/// mechanism, UNACCEPTABLE_CREDENTIAL (93) for an empty user name, iterations outside 4096-16384 or a salt or salted
/// password of the wrong size, RESOURCE_NOT_FOUND (91) for deleting a credential that does not exist.
/// </summary>
internal sealed class AlterUserScramCredentialsHandler : ApiHandler<AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse>
{
    private readonly BrokerServices _services;

    public AlterUserScramCredentialsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<AlterUserScramCredentialsResponse?> HandleAsync(RequestContext context, AlterUserScramCredentialsRequest request)
    {
        // As Kafka: ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED (31) for every user named.
        if (!_services.Authorizer.AllowsCluster(context, AclOperation.Alter))
        {
            return new(new AlterUserScramCredentialsResponse
            {
                Results = [.. request.Deletions.Select(static d => d.Name).Concat(request.Upsertions.Select(static u => u.Name)).Distinct(StringComparer.Ordinal)
                    .Select(static user => new AlterUserScramCredentialsResult { User = user, ErrorCode = KafkaErrorCode.ClusterAuthorizationFailed, ErrorMessage = "Altering SCRAM credentials needs ALTER on the cluster." })],
            });
        }

        var users = new List<string>();
        var errors = new Dictionary<string, (short Code, string Message)>(StringComparer.Ordinal);
        var seen = new HashSet<(string, sbyte)>();
        void Refuse(string user, short code, string message) => errors.TryAdd(user, (code, message));
        void Note(string user, sbyte mechanism)
        {
            if (!users.Contains(user, StringComparer.Ordinal))
            {
                users.Add(user);
            }

            if (!seen.Add((user, mechanism)))
            {
                Refuse(user, KafkaErrorCode.DuplicateResource, "A user credential cannot be altered twice in the same request");
            }

            if (ScramCredentialStore.UserNameProblem(user) is { } problem)
            {
                Refuse(user, KafkaErrorCode.UnacceptableCredential, user.Length == 0 ? "Username must not be empty" : problem);
            }
            else if (!ScramMechanism.TryFromKafkaType(mechanism, out _))
            {
                Refuse(user, KafkaErrorCode.UnsupportedSaslMechanism, "Unknown SCRAM mechanism");
            }
        }

        foreach (var deletion in request.Deletions)
        {
            Note(deletion.Name, deletion.Mechanism);
        }

        var upserts = new List<ScramCredential>(request.Upsertions.Count);
        var upsertUsers = new List<string>(request.Upsertions.Count);
        foreach (var upsertion in request.Upsertions)
        {
            Note(upsertion.Name, upsertion.Mechanism);
            if (!ScramMechanism.TryFromKafkaType(upsertion.Mechanism, out var mechanism))
            {
                continue;
            }

            if (ScramCredentialStore.IterationsProblem(upsertion.Iterations) is { } iterationsProblem)
            {
                Refuse(upsertion.Name, KafkaErrorCode.UnacceptableCredential, iterationsProblem);
            }
            else if (upsertion.Salt.Length is 0 or > 1024 || upsertion.SaltedPassword.Length != mechanism.KeyBytes)
            {
                Refuse(upsertion.Name, KafkaErrorCode.UnacceptableCredential, $"The salt must not be empty and the salted password must have {mechanism.KeyBytes} bytes for {mechanism.Name}");
            }
            else
            {
                upserts.Add(ScramCredential.FromSaltedPassword(mechanism, upsertion.Salt, upsertion.SaltedPassword, upsertion.Iterations));
                upsertUsers.Add(upsertion.Name);
            }
        }

        try
        {
            _services.Sasl.Credentials.Update(credentials =>
            {
                foreach (var deletion in request.Deletions)
                {
                    if (!errors.ContainsKey(deletion.Name) && ScramMechanism.TryFromKafkaType(deletion.Mechanism, out var mechanism) && !credentials.ContainsKey((deletion.Name, mechanism.Name)))
                    {
                        Refuse(deletion.Name, KafkaErrorCode.ResourceNotFound, "Attempt to delete a user credential that does not exist");
                    }
                }

                foreach (var deletion in request.Deletions)
                {
                    if (!errors.ContainsKey(deletion.Name) && ScramMechanism.TryFromKafkaType(deletion.Mechanism, out var mechanism))
                    {
                        credentials.Remove((deletion.Name, mechanism.Name));
                    }
                }

                for (var i = 0; i < upserts.Count; i++)
                {
                    if (!errors.ContainsKey(upsertUsers[i]))
                    {
                        credentials[(upsertUsers[i], upserts[i].Mechanism.Name)] = upserts[i];
                    }
                }
            });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            foreach (var user in users)
            {
                Refuse(user, KafkaErrorCode.KafkaStorageError, $"The SCRAM credentials could not be stored: {e.Message}");
            }
        }

        var results = new AlterUserScramCredentialsResult[users.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var user = users[i];
            results[i] = errors.TryGetValue(user, out var error)
                ? new AlterUserScramCredentialsResult { User = user, ErrorCode = error.Code, ErrorMessage = error.Message }
                : new AlterUserScramCredentialsResult { User = user };
        }

        return new(new AlterUserScramCredentialsResponse { Results = results });
    }
}
