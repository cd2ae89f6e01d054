using Freshet.Broker.Security.Sasl;
using Freshet.Cli.Targets;

namespace Freshet.Cli.Users;

/// <summary>
/// The SCRAM users of a data directory, edited in its credentials file (<see cref="ScramCredentialStore"/>). Works while
/// a broker serves the directory: writers take the store's lock file, and the broker reads the change at its next
/// authentication.
/// </summary>
internal sealed class DirectoryScramUsers : IScramUsers
{
    private readonly ScramCredentialStore _store;

    public DirectoryScramUsers(string dataDirectory)
    {
        if (!Directory.Exists(dataDirectory))
        {
            throw new CliException($"The data directory '{dataDirectory}' does not exist.");
        }

        _store = new ScramCredentialStore(dataDirectory);
    }

    /// <inheritdoc/>
    public void Add(string user, string mechanism, string password, int iterations) => _store.SetPassword(user, mechanism, password, iterations);

    /// <inheritdoc/>
    public IReadOnlyList<ScramCredentialInfo> List() => _store.List();

    /// <inheritdoc/>
    public int Delete(string user, string? mechanism) => _store.Delete(user, mechanism);

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
