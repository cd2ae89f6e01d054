using System.Runtime.InteropServices;

namespace Freshet.Cli;

/// <summary>POSIX signals to child processes (.NET's <see cref="System.Diagnostics.Process"/> sends only SIGKILL).</summary>
internal static partial class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM to process <paramref name="pid"/>, as a service manager stops a process; false when it failed (the process is gone) or the platform has no signals.</summary>
    public static bool TryTerminate(int pid) => !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
