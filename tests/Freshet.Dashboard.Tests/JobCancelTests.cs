using System.Net;
using Freshet.Dashboard.Tests.Support;
using Freshet.Streaming.Jobs;

namespace Freshet.Dashboard.Tests;

/// <summary><c>POST /api/job/cancel</c> on a job of its own: the job ends cancelled and the dashboard still answers.</summary>
public sealed class JobCancelTests
{
    [Fact]
    public async Task PostCancel_RunningJob_CancelsItAndTheDashboardShowsIt()
    {
        await using var running = await WindowedJob.StartAsync("dashboard cancel " + Guid.NewGuid().ToString("N")[..8]);

        var (status, body) = await HttpJson.SendAsync(running.Http, HttpMethod.Post, "/api/job/cancel");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Cancelled", (string?)body!["status"]);
        Assert.Equal(JobStatus.Cancelled, running.Job.Status);
        Assert.True(running.Job.Completion.IsCompleted);
        var job = await HttpJson.GetAsync(running.Http, "/api/job");
        Assert.Equal("Cancelled", (string?)job["status"]);
    }
}
