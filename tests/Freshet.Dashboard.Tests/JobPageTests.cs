using Freshet.Dashboard.Tests.Support;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Time;
using OpenQA.Selenium;

namespace Freshet.Dashboard.Tests;

/// <summary>
/// The job view in headless chromium against a real running windowed job with checkpoints: the graph shows every
/// vertex with numbers that change, completed checkpoints appear in the history, an injected failure appears in the
/// exceptions, and the savepoint and cancel buttons act on the job. Screenshots are saved under the output folder.
/// </summary>
public sealed class JobPageTests
{
    [Fact]
    public async Task JobView_RunningWindowedJob_ShowsTheLiveGraphCheckpointsAndAnInjectedFailure()
    {
        await using var running = await WindowedJob.StartAsync("sensor sums " + Guid.NewGuid().ToString("N")[..6]);
        using var browser = Browser.Start();
        var graph = running.Job.GetJobGraph();

        browser.Driver.Navigate().GoToUrl(running.Dashboard.Address);

        var vertices = await browser.WaitForAsync("#job-graph-svg g.vertex", graph.Vertices.Count, "every vertex of the graph");
        Assert.Equal(graph.Vertices.Count, vertices.Count);
        foreach (var vertex in graph.Vertices)
        {
            var box = browser.Driver.FindElement(By.CssSelector($"g.vertex[data-vertex-id='{vertex.Id}']"));
            var title = box.FindElement(By.TagName("title")).GetAttribute("textContent");
            Assert.All(vertex.OperatorNames, name => Assert.Contains(name, title, StringComparison.Ordinal));
            Assert.Contains($"Parallelism {vertex.Parallelism}", Field(box, "parallelism"), StringComparison.Ordinal);
        }

        var edgeLabels = browser.Driver.FindElements(By.CssSelector("#job-graph-svg g.edge [data-field='partitioning']")).Select(e => e.GetAttribute("textContent")).ToList();
        Assert.Equal(graph.Edges.Select(e => e.Partitioning).Order(), edgeLabels.Order());

        // The numbers of every vertex change from one poll to a later one.
        var first = VertexNumbers(browser);
        await Poll.UntilAsync(
            () =>
            {
                var now = VertexNumbers(browser);
                return graph.Vertices.All(v => now[v.Id] != first[v.Id] && !now[v.Id].Contains("In –", StringComparison.Ordinal));
            },
            () => "every vertex's numbers to change: " + string.Join(" | ", VertexNumbers(browser).Values));
        await Poll.UntilAsync(
            () => graph.Vertices.Where(v => !v.IsSource).All(v => !Field(Box(browser, v.Id), "watermark").Contains("none", StringComparison.Ordinal)),
            () => "a watermark in every vertex after the source");
        foreach (var vertex in graph.Vertices)
        {
            Assert.Contains(Box(browser, vertex.Id).FindElement(By.CssSelector("[data-field='backpressure']")).GetAttribute("data-level"), new[] { "OK", "LOW", "HIGH" });
        }

        await browser.WaitForAsync("#checkpoints-table tbody tr[data-outcome='Completed']", 2, "two completed checkpoints in the history");
        Assert.NotEqual("0", browser.Driver.FindElement(By.Id("checkpoints-completed")).Text);
        Assert.Equal("Running", browser.Driver.FindElement(By.Id("status")).Text);
        browser.SaveScreenshot("job-view");

        running.InjectFailure();

        var exceptions = await browser.WaitForAsync("#exceptions-list li.exception[data-exception-type='System.InvalidOperationException']", 1, "the injected failure in the exceptions");
        Assert.Contains(WindowedJob.FailureMessage, exceptions[0].Text, StringComparison.Ordinal);
        Assert.Contains("job restarted", exceptions[0].Text, StringComparison.Ordinal);
        await Poll.UntilAsync(() => browser.Driver.FindElement(By.Id("job-restarts")).Text == "1" && browser.Driver.FindElement(By.Id("status")).Text == "Running", () => "the restart in the summary");
        browser.Driver.ExecuteScript("document.getElementById('exceptions-list').scrollIntoView()");
        browser.SaveScreenshot("job-exceptions");
    }

    [Fact]
    public async Task JobView_SavepointAndCancelButtons_TakeASavepointAndCancelTheJob()
    {
        await using var running = await WindowedJob.StartAsync("buttons " + Guid.NewGuid().ToString("N")[..6]);
        using var browser = Browser.Start();
        browser.Driver.Navigate().GoToUrl(running.Dashboard.Address);
        await browser.WaitForAsync("#job-graph-svg g.vertex");
        await Poll.UntilAsync(() => running.Job.GetCheckpointMetrics().Completed >= 1, () => "a first checkpoint");
        var directory = Path.Combine(running.Root, "savepoint-from-the-page");

        browser.Driver.FindElement(By.Id("savepoint-button")).Click();
        var prompt = browser.Driver.SwitchTo().Alert();
        prompt.SendKeys(directory);
        prompt.Accept();

        await Poll.UntilAsync(() => browser.Driver.FindElement(By.Id("action-result")).Text.StartsWith("Savepoint written to", StringComparison.Ordinal), () => "the savepoint's path: " + browser.Driver.FindElement(By.Id("action-result")).Text);
        var path = browser.Driver.FindElement(By.Id("action-result")).Text["Savepoint written to ".Length..];
        Assert.True(Directory.Exists(path), path);
        Assert.StartsWith(directory, path, StringComparison.Ordinal);

        browser.Driver.FindElement(By.Id("cancel-button")).Click();
        browser.Driver.SwitchTo().Alert().Accept();

        await Poll.UntilAsync(() => browser.Driver.FindElement(By.Id("status")).Text == "Cancelled", () => "the page to show the job cancelled");
        Assert.Equal(JobStatus.Cancelled, running.Job.Status);
        Assert.False(browser.Driver.FindElement(By.Id("cancel-button")).Enabled);
    }

    [Fact]
    public async Task JobView_FinishedBoundedJob_ShowsItFinishedWithItsLastNumbers()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromCollection(Enumerable.Range(0, 500).Select(i => (long)i), WatermarkStrategy.ForMonotonousTimestamps<long>(), "readings")
            .Rebalance()
            .Map(v => v + 1)
            .WithName("shift")
            .SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync("bounded " + Guid.NewGuid().ToString("N")[..6]);
        await job.Completion;
        await using var dashboard = await job.ServeDashboardAsync();
        using var browser = Browser.Start();

        browser.Driver.Navigate().GoToUrl(dashboard.Address);

        await browser.WaitForAsync("#job-graph-svg g.vertex", 2, "the source and the map");
        var source = Box(browser, job.GetJobGraph().Vertices.Single(v => v.IsSource).Id);
        var map = Box(browser, job.GetJobGraph().Vertices.Single(v => !v.IsSource).Id);
        await Poll.UntilAsync(() => browser.Driver.FindElement(By.Id("status")).Text == "Finished", () => "the page to show the job finished");
        // A chain's records out are its last operator's: the source's 500, and none from the map's chain, which ends in the sink.
        await Poll.UntilAsync(() => Field(source, "records-out-rate").Contains("500 total", StringComparison.Ordinal), () => "the source's last count: " + Field(source, "records-out-rate"));
        Assert.Contains("500 total", Field(map, "records-in-rate"), StringComparison.Ordinal);
        Assert.Contains("end of input", Field(map, "watermark"), StringComparison.Ordinal);
        Assert.Equal("live", browser.Driver.FindElement(By.Id("connection")).GetAttribute("data-state"));
        Assert.False(browser.Driver.FindElement(By.Id("savepoint-button")).Enabled);
    }

    private static IWebElement Box(Browser browser, int vertexId) => browser.Driver.FindElement(By.CssSelector($"g.vertex[data-vertex-id='{vertexId}']"));

    private static string Field(IWebElement box, string field) => box.FindElement(By.CssSelector($"[data-field='{field}']")).GetAttribute("textContent") ?? "";

    private static Dictionary<int, string> VertexNumbers(Browser browser) =>
        browser.Driver.FindElements(By.CssSelector("#job-graph-svg g.vertex")).ToDictionary(
            box => int.Parse(box.GetAttribute("data-vertex-id")!, System.Globalization.CultureInfo.InvariantCulture),
            box => Field(box, "records-in-rate") + " / " + Field(box, "records-out-rate"));
}
