using Freshet.Broker.Security.Authorization;
using Freshet.Cli.Targets;

namespace Freshet.Cli.Acls;

/// <summary>
/// The ACLs in a broker's data directory (<see cref="AclStore"/>, <c>acls.json</c>), edited directly: works with the
/// broker stopped or running (a running broker picks the change up within its refresh interval; writers are serialised
/// by the store's lock file). Not thread-safe.
/// </summary>
internal sealed class DataDirectoryAclAdmin : IAclAdmin
{
    private readonly AclStore _store;

    public DataDirectoryAclAdmin(string dataDirectory)
    {
        try
        {
            _store = AclStore.Open(dataDirectory);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read the ACLs in '{dataDirectory}': {e.Message}", e);
        }
    }

    public void Add(IReadOnlyList<AclBinding> acls) => Write(() => _store.Add(acls));

    public IReadOnlyList<AclBinding> List(AclBindingFilter filter) => _store.List(filter);

    public IReadOnlyList<AclBinding> Remove(IReadOnlyList<AclBindingFilter> filters)
    {
        IReadOnlyList<IReadOnlyList<AclBinding>> removed = [];
        Write(() => removed = _store.Remove(filters));
        return [.. removed.SelectMany(static r => r).Distinct()];
    }

    public void Dispose()
    {
    }

    private static void Write(Action change)
    {
        try
        {
            change();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot change the ACLs: {e.Message}", e);
        }
    }
}
