using BenchmarkDotNet.Attributes;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Authorization;

namespace Freshet.Bench.Micro;

/// <summary>
/// One ACL check as Produce and Fetch make it per topic: with authorization off (one field test), and on over 1,000
/// literal topic ACLs, 50 prefixed ones and a wildcard deny for another principal. Expect no allocation in either.
/// Run with <c>-- micro --filter '*Authorizer*'</c>.
/// </summary>
[MemoryDiagnoser]
public class AuthorizerMicroBenchmarks
{
    private static readonly KafkaPrincipal Alice = KafkaPrincipal.User("alice");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-bench-acls-" + Guid.NewGuid().ToString("N"));
    private Authorizer _off = Authorizer.Disabled;
    private Authorizer _on = Authorizer.Disabled;

    /// <summary>Writes the ACLs and opens both authorizers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_directory);
        var acls = new List<AclBinding>();
        for (var i = 0; i < 1000; i++)
        {
            acls.Add(new AclBinding(new ResourcePattern(AclResourceType.Topic, "topic-" + i, AclPatternType.Literal), new AccessControlEntry("User:alice", "*", AclOperation.Write, AclPermissionType.Allow)));
        }

        for (var i = 0; i < 50; i++)
        {
            acls.Add(new AclBinding(new ResourcePattern(AclResourceType.Topic, "team-" + i + "-", AclPatternType.Prefixed), new AccessControlEntry("User:bob", "*", AclOperation.Read, AclPermissionType.Allow)));
        }

        acls.Add(new AclBinding(new ResourcePattern(AclResourceType.Topic, "*", AclPatternType.Literal), new AccessControlEntry("User:mallory", "*", AclOperation.All, AclPermissionType.Deny)));
        AclStore.Open(_directory).Add(acls);
        _on = Authorizer.Create(new AuthorizationOptions { Enabled = true, RefreshInterval = TimeSpan.FromHours(1) }, _directory);
    }

    /// <summary>Removes the ACL file.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    /// <summary>A check with authorization off.</summary>
    [Benchmark(Baseline = true)]
    public bool Off() => !_off.IsEnabled || _off.IsAllowed(Alice, "127.0.0.1", AclOperation.Write, AclResourceType.Topic, "topic-500");

    /// <summary>A check with authorization on, allowed by a literal ACL.</summary>
    [Benchmark]
    public bool On() => _on.IsAllowed(Alice, "127.0.0.1", AclOperation.Write, AclResourceType.Topic, "topic-500");
}
