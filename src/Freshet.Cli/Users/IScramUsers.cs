using Freshet.Broker.Security.Sasl;

namespace Freshet.Cli.Users;

/// <summary>
/// Where <c>freshet users</c> reads and changes SCRAM users: a data directory's credentials file
/// (<see cref="DirectoryScramUsers"/>) or a cluster's admin APIs (<see cref="ClusterScramUsers"/>).
/// </summary>
internal interface IScramUsers : IDisposable
{
    /// <summary>Creates or replaces <paramref name="user"/>'s credential for <paramref name="mechanism"/>.</summary>
    void Add(string user, string mechanism, string password, int iterations);

    /// <summary>Every credential, sorted by user then mechanism.</summary>
    IReadOnlyList<ScramCredentialInfo> List();

    /// <summary>Deletes <paramref name="user"/>'s credential for <paramref name="mechanism"/>, or all of them when null; returns how many were deleted.</summary>
    int Delete(string user, string? mechanism);
}
