using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// The one place the broker decides whether a principal may perform an operation on a resource, with Kafka's rules:
/// super users may do everything; otherwise a matching deny ACL refuses, a matching allow ACL (READ, WRITE, DELETE or
/// ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS; ALL implies every operation) permits, and a resource
/// no ACL applies to is allowed only with <see cref="AuthorizationOptions.AllowEveryoneIfNoAclFound"/>. An ACL applies
/// to a request when its principal is the request's (or <c>User:*</c>) and its host is the client's IP address (or
/// <c>*</c>).
/// <para>
/// When authorization is off (<see cref="IsEnabled"/> false) every check answers true at once, without allocating. When
/// on, checks read an immutable <see cref="AclIndex"/> swapped on every change; changes through the ACL APIs apply at
/// once, and changes other processes make to the store file are picked up at most
/// <see cref="AuthorizationOptions.RefreshInterval"/> later (a timestamp check, at most one per interval).
/// </para>
/// Thread-safety: all members are safe from any thread.
/// </summary>
internal sealed class Authorizer
{
    private readonly AuthorizationOptions _options;
    private readonly KafkaPrincipal[] _superUsers;
    private readonly long _refreshIntervalMs;
    private readonly ILogger? _logger;
    private volatile AclIndex _index = AclIndex.Empty;
    private long _nextRefreshAtMs;

    private Authorizer(AuthorizationOptions options, AclStore? store, ILogger? logger)
    {
        _options = options;
        _superUsers = [.. options.SuperUsers];
        _refreshIntervalMs = Math.Max(0, (long)options.RefreshInterval.TotalMilliseconds);
        _logger = logger;
        Store = store;
        if (store is not null)
        {
            _index = AclIndex.Build(store.Acls);
            _nextRefreshAtMs = Environment.TickCount64 + _refreshIntervalMs;
        }
    }

    /// <summary>The authorizer of a broker that checks nothing.</summary>
    public static Authorizer Disabled { get; } = new(AuthorizationOptions.Disabled, null, null);

    /// <summary>Whether requests are checked; false: every check allows.</summary>
    public bool IsEnabled => Store is not null;

    /// <summary>The ACLs checked; null when authorization is off.</summary>
    public AclStore? Store { get; }

    /// <summary>
    /// The authorizer <paramref name="options"/> describe: <see cref="Disabled"/>, or one that checks the ACLs stored in
    /// <paramref name="dataDirectory"/> (read now).
    /// </summary>
    /// <exception cref="InvalidDataException">The ACL file is not a valid ACL document.</exception>
    public static Authorizer Create(AuthorizationOptions options, string dataDirectory, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Enabled ? new Authorizer(options, AclStore.Open(dataDirectory), logger) : Disabled;
    }

    /// <summary>
    /// Whether <paramref name="principal"/>, connecting from <paramref name="host"/> (an IP address), may perform
    /// <paramref name="operation"/> on the resource <paramref name="name"/> of <paramref name="type"/>.
    /// </summary>
    public bool IsAllowed(KafkaPrincipal principal, string host, AclOperation operation, AclResourceType type, string name)
    {
        if (Store is null)
        {
            return true;
        }

        RefreshIfDue();
        return IsSuperUser(principal) || _index.IsAllowed(principal, host, operation, type, name, _options.AllowEveryoneIfNoAclFound);
    }

    /// <summary>
    /// Whether the principal may perform <paramref name="operation"/> on at least one resource of <paramref name="type"/>
    /// (Kafka's <c>authorizeByResourceType</c>; see <see cref="AclIndex.AllowsAnyOfType"/>).
    /// </summary>
    public bool IsAllowedOnAnyOfType(KafkaPrincipal principal, string host, AclOperation operation, AclResourceType type)
    {
        if (Store is null)
        {
            return true;
        }

        RefreshIfDue();
        return IsSuperUser(principal) || _index.AllowsAnyOfType(principal, host, operation, type, _options.AllowEveryoneIfNoAclFound);
    }

    /// <summary>
    /// The operations of <paramref name="type"/> the principal may perform on the resource <paramref name="name"/>, as an
    /// authorized-operations bit field (bit n: the operation with code n).
    /// </summary>
    public int AuthorizedOperations(KafkaPrincipal principal, string host, AclResourceType type, string name)
    {
        var supported = AclOperations.SupportedBits(type);
        if (Store is null)
        {
            return supported;
        }

        var bits = 0;
        for (var code = (int)AclOperation.Read; code <= (int)AclOperation.DescribeTokens; code++)
        {
            if ((supported & (1 << code)) != 0 && IsAllowed(principal, host, (AclOperation)code, type, name))
            {
                bits |= 1 << code;
            }
        }

        return bits;
    }

    /// <summary>
    /// Looks at the ACL file now, whatever the refresh interval, so a DescribeAcls right after <c>freshet acls --data</c>
    /// answers with its change.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is no longer a valid ACL document (the ACLs last read stay in force).</exception>
    public void RefreshNow()
    {
        if (Store is not null && Store.RefreshIfChanged())
        {
            _index = AclIndex.Build(Store.Acls);
        }
    }

    /// <summary>Rebuilds the index from the store after a change made through it.</summary>
    public void Reload()
    {
        if (Store is not null)
        {
            _index = AclIndex.Build(Store.Acls);
        }
    }

    private bool IsSuperUser(KafkaPrincipal principal)
    {
        foreach (var superUser in _superUsers)
        {
            if (string.Equals(superUser.Name, principal.Name, StringComparison.Ordinal) && string.Equals(superUser.Type, principal.Type, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void RefreshIfDue()
    {
        var due = Volatile.Read(ref _nextRefreshAtMs);
        var now = Environment.TickCount64;

        // One thread wins the interval and looks at the file; the others keep using the current index.
        if (now < due || Interlocked.CompareExchange(ref _nextRefreshAtMs, now + _refreshIntervalMs, due) != due)
        {
            return;
        }

        try
        {
            if (Store!.RefreshIfChanged())
            {
                _index = AclIndex.Build(Store.Acls);
                _logger?.AclsReloaded(AclStore.FileName, Store.Acls.Count);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            _logger?.AclsReloadFailed(e, AclStore.FileName);
        }
    }
}
