using System.Diagnostics;

namespace Freshet.Cli;

/// <summary>Starts this same <c>freshet</c> command as a child process, however it was started itself.</summary>
internal static class FreshetExecutable
{
    /// <summary>
    /// A start of this command with <paramref name="arguments"/>: the apphost (<c>dotnet run</c>, a .NET tool) runs
    /// again as itself; under the <c>dotnet</c> host (<c>dotnet freshet.dll</c>) the host runs this assembly.
    /// Standard input, output and error are redirected.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of the running freshet command is unknown.");
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(FreshetExecutable).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
