using Freshet.Broker.Security.Authorization;

namespace Freshet.Cli.Acls;

/// <summary>
/// Where <c>freshet acls</c> reads and changes ACLs: a broker's data directory (<see cref="DataDirectoryAclAdmin"/>) or a
/// running cluster through the ACL APIs (<see cref="ClusterAclAdmin"/>). Failures a user can act on are
/// <see cref="Targets.CliException"/>s with one sentence. One command at a time; not thread-safe.
/// </summary>
internal interface IAclAdmin : IDisposable
{
    /// <summary>Adds <paramref name="acls"/>; ones already present are kept once.</summary>
    void Add(IReadOnlyList<AclBinding> acls);

    /// <summary>The ACLs <paramref name="filter"/> selects.</summary>
    IReadOnlyList<AclBinding> List(AclBindingFilter filter);

    /// <summary>Removes the ACLs any of <paramref name="filters"/> selects and returns them.</summary>
    IReadOnlyList<AclBinding> Remove(IReadOnlyList<AclBindingFilter> filters);
}
