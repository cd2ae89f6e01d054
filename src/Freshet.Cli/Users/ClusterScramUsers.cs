using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Security.Sasl;
using Freshet.Cli.Targets;

namespace Freshet.Cli.Users;

/// <summary>
/// The SCRAM users of a Kafka-protocol cluster, through its admin APIs (DescribeUserScramCredentials,
/// AlterUserScramCredentials) with Confluent.Kafka's AdminClient. The client salts the password; the password itself is
/// never sent. Works against a Freshet broker and Apache Kafka alike.
/// </summary>
internal sealed class ClusterScramUsers : IScramUsers
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EmptyListTimeout = TimeSpan.FromSeconds(5);
    private readonly IAdminClient _admin;
    private bool _abandoned;

    public ClusterScramUsers(string bootstrapServers, IReadOnlyDictionary<string, string> clientProperties)
    {
        var config = new AdminClientConfig(clientProperties.ToDictionary()) { BootstrapServers = bootstrapServers, SocketTimeoutMs = 10_000 };
        _admin = new AdminClientBuilder(config).Build();
    }

    /// <inheritdoc/>
    public void Add(string user, string mechanism, string password, int iterations) => Run(() => _admin.AlterUserScramCredentialsAsync(
        [
            new UserScramCredentialUpsertion
            {
                User = user,
                ScramCredentialInfo = new Confluent.Kafka.Admin.ScramCredentialInfo { Mechanism = ToConfluent(mechanism), Iterations = iterations },
                Password = Encoding.UTF8.GetBytes(password),
            },
        ],
        new AlterUserScramCredentialsOptions { RequestTimeout = Timeout }));

    /// <inheritdoc/>
    public IReadOnlyList<Freshet.Broker.Security.Sasl.ScramCredentialInfo> List()
    {
        var result = new List<Freshet.Broker.Security.Sasl.ScramCredentialInfo>();
        DescribeUserScramCredentialsResult described;

        // Reach the cluster first: a describe that never completes then means there are no users (below).
        Run(() => Task.FromResult(_admin.GetMetadata(Timeout)));
        try
        {
            described = _admin.DescribeUserScramCredentialsAsync([], new DescribeUserScramCredentialsOptions { RequestTimeout = Timeout }).WaitAsync(EmptyListTimeout).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            // Confluent.Kafka 2.16 never completes a describe-all whose answer lists no users (its handle is destroyed
            // instead), so a reachable cluster that leaves it unanswered has none. Disposing the broken client crashes
            // the process, so it is left for the process's exit.
            _abandoned = true;
            return result;
        }
        catch (Exception e) when (e is DescribeUserScramCredentialsException or KafkaException)
        {
            return Run<List<Freshet.Broker.Security.Sasl.ScramCredentialInfo>>(() => throw e);
        }

        foreach (var user in described.UserScramCredentialsDescriptions)
        {
            foreach (var info in user.ScramCredentialInfos)
            {
                result.Add(new Freshet.Broker.Security.Sasl.ScramCredentialInfo(user.User, FromConfluent(info.Mechanism), info.Iterations));
            }
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.User, b.User) is var byUser and not 0 ? byUser : string.CompareOrdinal(a.Mechanism, b.Mechanism));
        return result;
    }

    /// <inheritdoc/>
    public int Delete(string user, string? mechanism)
    {
        var mechanisms = mechanism is not null
            ? [ToConfluent(mechanism)]
            : List().Where(c => c.User == user).Select(c => ToConfluent(c.Mechanism)).ToArray();
        if (mechanisms.Length == 0)
        {
            return 0;
        }

        try
        {
            Run(() => _admin.AlterUserScramCredentialsAsync(
                mechanisms.Select(m => (UserScramCredentialAlteration)new UserScramCredentialDeletion { User = user, Mechanism = m }),
                new AlterUserScramCredentialsOptions { RequestTimeout = Timeout }));
        }
        catch (CliException) when (mechanism is not null && !List().Any(c => c.User == user && c.Mechanism == mechanism))
        {
            return 0;
        }

        return mechanisms.Length;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_abandoned)
        {
            _admin.Dispose();
        }
    }

    private static T Run<T>(Func<Task<T>> call)
    {
        try
        {
            return call().GetAwaiter().GetResult();
        }
        catch (DescribeUserScramCredentialsException e)
        {
            throw new CliException(string.Join("; ", e.Results.UserScramCredentialsDescriptions.Where(d => d.Error.IsError).Select(d => $"user '{d.User}': {d.Error.Reason}")));
        }
        catch (AlterUserScramCredentialsException e)
        {
            throw new CliException(string.Join("; ", e.Results.Where(r => r.Error.IsError).Select(r => $"user '{r.User}': {r.Error.Reason}")));
        }
        catch (KafkaException e)
        {
            throw new CliException($"The cluster did not answer: {e.Error.Reason}");
        }
    }

    private static void Run(Func<Task> call) => Run(async () =>
    {
        await call().ConfigureAwait(false);
        return 0;
    });

    private static ScramMechanism ToConfluent(string mechanism) => mechanism switch
    {
        SaslMechanisms.ScramSha256 => ScramMechanism.ScramSha256,
        SaslMechanisms.ScramSha512 => ScramMechanism.ScramSha512,
        _ => throw new ArgumentException($"Unknown SCRAM mechanism '{mechanism}': use SCRAM-SHA-256 or SCRAM-SHA-512."),
    };

    private static string FromConfluent(ScramMechanism mechanism) => mechanism switch
    {
        ScramMechanism.ScramSha256 => SaslMechanisms.ScramSha256,
        ScramMechanism.ScramSha512 => SaslMechanisms.ScramSha512,
        _ => mechanism.ToString(),
    };
}
