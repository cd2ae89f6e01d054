namespace Freshet.Dashboard.Tests.Support;

/// <summary>One <see cref="WindowedJob"/> with its dashboard, shared by the tests of a class (they run one after another).</summary>
public sealed class JobFixture : IAsyncLifetime
{
    public WindowedJob Running { get; private set; } = null!;

    public async Task InitializeAsync() => Running = await WindowedJob.StartAsync("dashboard rest " + Guid.NewGuid().ToString("N")[..8]);

    public async Task DisposeAsync() => await Running.DisposeAsync();
}
