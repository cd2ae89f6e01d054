using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Freshet.Tests.Prometheus;

/// <summary>
/// A real Prometheus server (the <c>prometheus</c> binary found on PATH) run as a child process for a test: it scrapes
/// the given <c>127.0.0.1:PORT</c> targets at <c>/metrics</c> every second (job <c>freshet</c>), stores into a fresh
/// temporary directory and answers PromQL on <c>127.0.0.1:</c><see cref="Port"/>. Made for tests of any process that
/// serves Prometheus' text format (<c>freshet broker --metrics-port</c>, a job process's <c>/metrics</c>).
/// <para>
/// Source-linked, not a project: a test project compiles this folder with
/// <c>&lt;Compile Include="../Shared/Prometheus/*.cs" LinkBase="Support/Prometheus" /&gt;</c>. It depends on nothing but the
/// base library, so it works under any test framework: failures are exceptions whose message says what went wrong (no
/// <c>prometheus</c> on PATH, the server exited, a deadline passed, with the server's log).
/// </para>
/// Lifecycle: <see cref="StartAsync"/> returns once <c>/-/ready</c> answers 200; <see cref="Dispose"/> kills the process
/// (and its children) and deletes the configuration and storage. Thread-safety: queries may run from any thread;
/// dispose once.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    /// <summary>How often every target is scraped.</summary>
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;
    private readonly StringBuilder _log = new();
    private readonly object _logLock = new();

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The port of Prometheus' HTTP API on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>What the server wrote to standard output and standard error so far (Prometheus logs to standard error).</summary>
    public string Log
    {
        get
        {
            lock (_logLock)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Finds <c>prometheus</c> on PATH, writes a configuration scraping <paramref name="targets"/> (each <c>127.0.0.1:PORT</c>)
    /// every <see cref="ScrapeInterval"/>, starts the server on a free loopback port and waits until it is ready.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>prometheus</c> is not on PATH, or the server exited or was not ready within <paramref name="readyTimeout"/> (default 60 s).</exception>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<string> targets, TimeSpan? readyTimeout = null)
    {
        var executable = FindOnPath("prometheus") ?? throw new InvalidOperationException(
            "The 'prometheus' executable is not on PATH. This test runs a real Prometheus server: install it "
            + "(Debian: apt-get install prometheus, as .ci/run does) and run the test again.");
        var directory = Path.Combine(Path.GetTempPath(), "freshet-prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, Configuration(targets)).ConfigureAwait(false);

        var port = FreeLoopbackPort();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        info.ArgumentList.Add("--config.file=" + configPath);
        info.ArgumentList.Add("--storage.tsdb.path=" + Path.Combine(directory, "data"));
        info.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=127.0.0.1:{port}"));
        var process = Process.Start(info) ?? throw new InvalidOperationException($"'{executable}' did not start.");
        var server = new PrometheusServer(process, directory, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Runs an instant PromQL query now and returns its series (an empty list when nothing matches).</summary>
    /// <exception cref="InvalidOperationException">Prometheus refused the query (its error is in the message) or answered something other than a vector.</exception>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string promQl, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(promQl), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused the query '{promQl}': {body}");
        }

        var data = root.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "vector")
        {
            throw new InvalidOperationException($"The query '{promQl}' answered a {data.GetProperty("resultType").GetString()}, not an instant vector.");
        }

        var samples = new List<PrometheusSample>();
        foreach (var series in data.GetProperty("result").EnumerateArray())
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in series.GetProperty("metric").EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? "";
            }

            var value = series.GetProperty("value");
            var seconds = value[0].GetDouble();
            var timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
            samples.Add(new PrometheusSample(labels, timestamp, ParseValue(value[1].GetString())));
        }

        return samples;
    }

    /// <summary>
    /// Queries every 200 ms until <paramref name="condition"/> holds for the answer, and returns that answer.
    /// </summary>
    /// <param name="what">What is waited for, for the failure message.</param>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; the message has the last answer and the server's log.</exception>
    public async Task<IReadOnlyList<PrometheusSample>> WaitForAsync(string promQl, Func<IReadOnlyList<PrometheusSample>, bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var samples = await QueryAsync(promQl).ConfigureAwait(false);
            if (condition(samples))
            {
                return samples;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var last = string.Join("; ", samples.Select(s => $"{{{string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value))}}} {s.Value}"));
                var targets = await DescribeTargetsAsync().ConfigureAwait(false);
                throw new TimeoutException(
                    $"Prometheus did not show {what} within {timeout.TotalSeconds} s{(_process.HasExited ? " (the server exited)" : "")}. "
                    + $"Query: {promQl}. Last answer: [{last}]. Targets: {targets}. Server log:\n{Log}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>The scrape targets' health and last error, as <c>/api/v1/targets</c> reports them (for failure messages).</summary>
    public async Task<string> DescribeTargetsAsync()
    {
        try
        {
            return await _http.GetStringAsync(new Uri("api/v1/targets", UriKind.Relative)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "(unavailable: " + e.Message + ")";
        }
    }

    /// <summary>Kills the server and its children and deletes its configuration and storage.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        _process.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary directory must not fail the test that already ran.
        }
    }

    private static string Configuration(IEnumerable<string> targets)
    {
        var seconds = ScrapeInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var yaml = new StringBuilder();
        yaml.Append("global:\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  scrape_interval: {seconds}s\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  scrape_timeout: {seconds}s\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  evaluation_interval: {seconds}s\n");
        yaml.Append("scrape_configs:\n");
        yaml.Append("  - job_name: freshet\n");
        yaml.Append("    metrics_path: /metrics\n");
        yaml.Append("    static_configs:\n");
        yaml.Append("      - targets:\n");
        var any = false;
        foreach (var target in targets)
        {
            if (!target.StartsWith("127.0.0.1:", StringComparison.Ordinal) || !int.TryParse(target.AsSpan("127.0.0.1:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new ArgumentException($"A target must be 127.0.0.1:PORT (got '{target}').", nameof(targets));
            }

            yaml.Append(CultureInfo.InvariantCulture, $"          - \"{target}\"\n");
            any = true;
        }

        return any ? yaml.ToString() : throw new ArgumentException("At least one target is needed.", nameof(targets));
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode} before it was ready. Its log:\n{Log}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("-/ready", UriKind.Relative)).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"prometheus was not ready at http://127.0.0.1:{Port}/-/ready within {timeout.TotalSeconds} s. Its log:\n{Log}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.AppendLine(line);
        }
    }

    private static double ParseValue(string? text) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text ?? "NaN", NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
