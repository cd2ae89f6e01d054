using System.Net;
using System.Text.Json.Nodes;
using Freshet.Dashboard.Tests.Support;
using Freshet.Streaming.Jobs;

namespace Freshet.Dashboard.Tests;

/// <summary>
/// The job's REST API (docs/rest-api.md) over HTTP against a real running windowed job with checkpoints: each
/// endpoint's JSON, the error answers, and that bad requests leave the job running.
/// </summary>
public sealed class JobApiTests(JobFixture fixture) : IClassFixture<JobFixture>
{
    private WindowedJob Running => fixture.Running;

    private HttpClient Http => fixture.Running.Http;

    [Fact]
    public async Task GetJob_RunningJob_ReturnsNameStatusStartTimeAndUptime()
    {
        var job = await HttpJson.GetAsync(Http, "/api/job");

        Assert.Equal(Running.Job.JobName, (string?)job["name"]);
        Assert.Equal("Running", (string?)job["status"]);
        Assert.Equal(Running.Job.StartTime, DateTimeOffset.Parse((string)job["startTime"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((long)job["uptimeMs"]! >= 0);
        Assert.True((int)job["restarts"]! >= 0);
        Assert.True(job.AsObject().ContainsKey("restoredFrom"));
        Assert.True(job.AsObject().ContainsKey("lastRestartCause"));
    }

    [Fact]
    public async Task GetGraph_WindowedJob_ReturnsEveryVertexWithItsOperatorsAndTheKeyedEdge()
    {
        var graph = await HttpJson.GetAsync(Http, "/api/job/graph");

        var vertices = graph["vertices"]!.AsArray();
        var operators = vertices.SelectMany(v => v!["operatorNames"]!.AsArray().Select(n => (string)n!)).ToList();
        Assert.Contains("numbers", operators);
        Assert.Contains("validate", operators);
        Assert.Contains("one second sums", operators);
        Assert.Single(vertices, v => (bool)v!["isSource"]!);
        Assert.Contains(vertices, v => (bool)v!["isSink"]!);
        Assert.All(vertices, v => Assert.Equal(2, (int)v!["parallelism"]!));
        var edges = graph["edges"]!.AsArray();
        Assert.NotEmpty(edges);
        var ids = vertices.Select(v => (int)v!["id"]!).ToHashSet();
        Assert.All(edges, e =>
        {
            Assert.Contains((int)e!["sourceVertexId"]!, ids);
            Assert.Contains((int)e["targetVertexId"]!, ids);
            Assert.False(string.IsNullOrEmpty((string?)e["partitioning"]));
        });
    }

    [Fact]
    public async Task GetMetrics_RunningJob_ReportsEveryVertexAndSubtaskWithRatesAndBackpressure()
    {
        JsonNode metrics = null!;
        await Poll.UntilAsync(
            async () =>
            {
                metrics = await HttpJson.GetAsync(Http, "/api/job/metrics");
                var source = metrics["vertices"]!.AsArray().Single(v => v!["name"]!.GetValue<string>().Contains("numbers", StringComparison.Ordinal));
                return (double)source!["recordsOutPerSecond"]! > 0;
            },
            () => "a source output rate above zero: " + metrics?.ToJsonString());

        var graph = await HttpJson.GetAsync(Http, "/api/job/graph");
        Assert.Equal(graph["vertices"]!.AsArray().Count, metrics["vertices"]!.AsArray().Count);
        Assert.True((long)metrics["intervalMs"]! > 0);
        foreach (var vertex in metrics["vertices"]!.AsArray())
        {
            var subtasks = vertex!["subtasks"]!.AsArray();
            Assert.Equal([0, 1], subtasks.Select(s => (int)s!["subtask"]!));
            Assert.Contains((string?)vertex["backpressure"], new[] { "OK", "LOW", "HIGH" });
            Assert.Equal(subtasks.Sum(s => (long)s!["recordsOut"]!), (long)vertex["recordsOut"]!);
            foreach (var subtask in subtasks)
            {
                Assert.InRange((double)subtask!["busyRatio"]!, 0, 1);
                Assert.InRange((double)subtask["idleRatio"]!, 0, 1);
                Assert.InRange((double)subtask["backpressuredRatio"]!, 0, 1);
                Assert.True((int)subtask["inputQueueLength"]! >= 0);
                Assert.True(subtask.AsObject().ContainsKey("watermark"));
            }
        }
    }

    [Fact]
    public async Task GetCheckpoints_CheckpointedJob_ListsCompletedCheckpointsNewestFirst()
    {
        JsonNode checkpoints = null!;
        await Poll.UntilAsync(
            async () =>
            {
                checkpoints = await HttpJson.GetAsync(Http, "/api/job/checkpoints");
                return checkpoints["history"]!.AsArray().Count(c => (string?)c!["outcome"] == "Completed") >= 2;
            },
            () => "two completed checkpoints: " + checkpoints?.ToJsonString());

        Assert.True((long)checkpoints["counts"]!["completed"]! >= 2);
        Assert.NotNull(checkpoints["counts"]!["latestCompletedId"]);
        var history = checkpoints["history"]!.AsArray();
        var ids = history.Select(c => (long)c!["checkpointId"]!).ToList();
        Assert.Equal(ids.OrderByDescending(id => id), ids);
        var completed = history.First(c => (string?)c!["outcome"] == "Completed" && !(bool)c["isSavepoint"]!)!;
        Assert.True((double)completed["durationMs"]! >= 0);
        Assert.True((long)completed["stateBytes"]! > 0);
        Assert.Null(completed["failureReason"]);
    }

    [Fact]
    public async Task GetExceptions_AfterAnInjectedFailure_ListsTheFailureAndTheJobRestarts()
    {
        Running.InjectFailure();
        JsonNode exceptions = null!;
        await Poll.UntilAsync(
            async () =>
            {
                exceptions = await HttpJson.GetAsync(Http, "/api/job/exceptions");
                return exceptions["exceptions"]!.AsArray().Any(e => (string?)e!["message"] == WindowedJob.FailureMessage);
            },
            () => "the injected failure in the exceptions: " + exceptions?.ToJsonString());

        var entry = exceptions["exceptions"]!.AsArray().First(e => (string?)e!["message"] == WindowedJob.FailureMessage)!;
        Assert.Equal(typeof(InvalidOperationException).FullName, (string?)entry["exceptionType"]);
        Assert.True((bool)entry["restarted"]!);
        // The task is the chain the map runs in, named after its first operator, the source.
        Assert.Contains("numbers", (string?)entry["taskName"] ?? "", StringComparison.Ordinal);
        Assert.Contains(WindowedJob.FailureMessage, (string?)entry["details"], StringComparison.Ordinal);
        await Poll.UntilAsync(() => Running.Job.Status == JobStatus.Running && Running.Job.GetCheckpointMetrics().Restarts >= 1, () => "the job to run again after its restart");
        var job = await HttpJson.GetAsync(Http, "/api/job");
        Assert.True((int)job["restarts"]! >= 1);
        Assert.Contains(WindowedJob.FailureMessage, (string?)job["lastRestartCause"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostSavepoint_WithADirectory_WritesASavepointANewJobRestores()
    {
        var directory = Path.Combine(Running.Root, "savepoints", "sp-" + Guid.NewGuid().ToString("N")[..8]);

        var (status, body) = await HttpJson.SendAsync(Http, HttpMethod.Post, "/api/job/savepoints", $$"""{"directory": {{JsonValue.Create(directory).ToJsonString()}}}""");

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var path = (string)body!["path"]!;
        Assert.True(Directory.Exists(path), path);
        var checkpoints = await HttpJson.GetAsync(Http, "/api/job/checkpoints");
        Assert.Contains(checkpoints["history"]!.AsArray(), c => (bool)c!["isSavepoint"]! && (string?)c["outcome"] == "Completed");

        await using var restored = await WindowedJob.StartAsync("dashboard restored " + Guid.NewGuid().ToString("N")[..8], path);
        var job = await HttpJson.GetAsync(restored.Http, "/api/job");
        Assert.Equal("Running", (string?)job["status"]);
        Assert.True((bool)job["restoredFrom"]!["isSavepoint"]!);
        Assert.Equal(path, (string?)job["restoredFrom"]!["directory"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"directory": ""}""")]
    [InlineData("""{"directory": null}""")]
    public async Task PostSavepoint_WithoutADirectory_Returns400AndTheJobRuns(string content)
    {
        var (status, body) = await HttpJson.SendAsync(Http, HttpMethod.Post, "/api/job/savepoints", content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", (string?)body!["error"]);
        Assert.Contains("directory", (string?)body["message"], StringComparison.Ordinal);
        await AssertStillRunningAsync();
    }

    [Theory]
    [InlineData("{\"directory\": ")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("")]
    public async Task PostSavepoint_MalformedJson_Returns400AndTheJobRuns(string content)
    {
        var (status, body) = await HttpJson.SendAsync(Http, HttpMethod.Post, "/api/job/savepoints", content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", (string?)body!["error"]);
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));
        await AssertStillRunningAsync();
    }

    [Theory]
    [InlineData("/api/nothing")]
    [InlineData("/api/job/nothing")]
    [InlineData("/api/topics")]
    [InlineData("/api")]
    public async Task Get_UnknownApiPath_Returns404Json(string path)
    {
        var (status, body) = await HttpJson.SendAsync(Http, HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", (string?)body!["error"]);
        Assert.Contains(path, (string?)body["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DELETE", "/api/job")]
    [InlineData("POST", "/api/job/graph")]
    [InlineData("GET", "/api/job/cancel")]
    [InlineData("PUT", "/api/job/savepoints")]
    public async Task Send_WrongMethod_Returns405JsonAndTheJobRuns(string method, string path)
    {
        var (status, body) = await HttpJson.SendAsync(Http, new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("method_not_allowed", (string?)body!["error"]);
        Assert.Contains(method, (string?)body["message"], StringComparison.Ordinal);
        await AssertStillRunningAsync();
    }

    /// <summary>The job neither failed nor ended (the failure test may have it restarting just now).</summary>
    private async Task AssertStillRunningAsync()
    {
        await Poll.UntilAsync(() => Running.Job.Status == JobStatus.Running, () => $"the job to be running (it is {Running.Job.Status})");
        Assert.False(Running.Job.Completion.IsCompleted);
    }

    [Fact]
    public async Task GetPage_ServesTheEmbeddedPageAndItsAssets()
    {
        var page = await Http.GetStringAsync("/");
        Assert.Contains("data-view=\"job\"", page, StringComparison.Ordinal);
        Assert.Contains("app.js", page, StringComparison.Ordinal);
        using var script = await Http.GetAsync("/app.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var style = await Http.GetAsync("/app.css");
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        using var missing = await Http.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task GetMetricsEndpoint_ServesTheEngineMeterInPrometheusText()
    {
        string text = "";
        await Poll.UntilAsync(
            async () =>
            {
                text = await Http.GetStringAsync("/metrics");
                return text.Contains("freshet_operator_records_out", StringComparison.Ordinal) && text.Contains(Running.Job.JobName, StringComparison.Ordinal);
            },
            () => "the job's records counters in /metrics: " + text[..Math.Min(text.Length, 2000)]);

        Assert.Contains("# TYPE freshet_operator_records_out", text, StringComparison.Ordinal);
    }
}
