using System.Runtime.InteropServices;

namespace Freshet.Shared;

/// <summary>
/// Loads librdkafka for Confluent.Kafka deterministically, from the builds the librdkafka.redist package
/// copies to <c>bin/runtimes/RID/native/</c>, before any client is created.
/// <para>
/// Why: on Debian 12 the package's default Linux build (<c>librdkafka.so</c>) links
/// <c>libsasl2.so.3</c>, which Debian lacks (it ships <c>libsasl2.so.2</c>); when that load fails,
/// Confluent.Kafka and the .NET loader go on to other names and may silently pick a system
/// <c>librdkafka.so.1</c> of another version. Here each packaged build is tried in order with
/// <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/> (which fails when a dependency is missing),
/// and the first that loads is what a DllImport resolver on the Confluent.Kafka assembly returns for
/// every librdkafka name it asks for; if none loads, the call throws instead of falling back to the
/// system. See <c>docs/broker.md</c>.
/// </para>
/// <para>
/// <see cref="Confluent.Kafka.Library.Load(string)"/> is not used: in Confluent.Kafka 2.16 it calls
/// <c>dlopen</c> through a DllImport of <c>libdl</c>; glibc 2.34+ has no <c>libdl.so</c> link any more
/// (only <c>libdl.so.2</c>), so it throws <see cref="DllNotFoundException"/> on Debian 12.
/// </para>
/// <para>
/// Source-linked, not a project: every project that creates Confluent.Kafka clients (the broker tests,
/// the broker benchmark) compiles this one file with
/// <c>&lt;Compile Include="../../src/Shared/KafkaNativeLibrary.cs" Link="Shared/KafkaNativeLibrary.cs" /&gt;</c>,
/// so there is a single copy and no library exposes it as public API.
/// </para>
/// Thread-safety: safe to call from any thread, any number of times; the work happens once.
/// </summary>
internal static class KafkaNativeLibrary
{
    private static readonly Lazy<string> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads librdkafka if not done yet; returns the path of the build in use.</summary>
    /// <exception cref="DllNotFoundException">No packaged build loads on this machine.</exception>
    public static string EnsureLoaded() => Loaded.Value;

    /// <summary>The packaged builds to try on this platform, best first.</summary>
    public static IReadOnlyList<string> Candidates()
    {
        var architecture = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            _ => "x64",
        };
        var baseDirectory = AppContext.BaseDirectory;
        if (OperatingSystem.IsWindows())
        {
            return [Path.Combine(baseDirectory, "runtimes", $"win-{architecture}", "native", "librdkafka.dll")];
        }

        if (OperatingSystem.IsMacOS())
        {
            return [Path.Combine(baseDirectory, "runtimes", $"osx-{architecture}", "native", "librdkafka.dylib")];
        }

        var native = Path.Combine(baseDirectory, "runtimes", $"linux-{architecture}", "native");
        string[] names = IsMusl()
            ? ["alpine-librdkafka.so", "librdkafka.so"]
            : ["librdkafka.so", "centos8-librdkafka.so"];
        return names.Select(name => Path.Combine(native, name)).ToArray();
    }

    private static string Load()
    {
        var tried = new List<string>();
        foreach (var candidate in Candidates())
        {
            if (!File.Exists(candidate))
            {
                tried.Add($"{candidate} (missing)");
                continue;
            }

            if (!NativeLibrary.TryLoad(candidate, out var handle))
            {
                tried.Add($"{candidate} (does not load: a dependency is missing)");
                continue;
            }

            // Confluent.Kafka binds its functions by DllImport of "librdkafka" (then "centos8-librdkafka",
            // "alpine-librdkafka" on Linux); answer all of them with the build that loaded.
            NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, (name, _, _) =>
                name is "librdkafka" or "centos8-librdkafka" or "alpine-librdkafka" ? handle : IntPtr.Zero);
            return candidate;
        }

        throw new DllNotFoundException("No packaged librdkafka build loads on this machine; tried " + string.Join("; ", tried) + ".");
    }

    private static bool IsMusl() =>
        OperatingSystem.IsLinux() && File.Exists("/etc/alpine-release");
}
