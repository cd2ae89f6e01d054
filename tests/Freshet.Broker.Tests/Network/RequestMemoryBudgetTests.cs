using Freshet.Broker.Network;

namespace Freshet.Broker.Tests.Network;

public class RequestMemoryBudgetTests
{
    [Fact]
    public async Task Acquire_WhileSomeBudgetIsFree_AdmitsEvenALargerRequestAndThenMakesOthersWait()
    {
        var budget = new RequestMemoryBudget(1000);
        await budget.AcquireAsync(900, CancellationToken.None);
        await budget.AcquireAsync(900, CancellationToken.None); // 100 free: admitted, as Kafka's non-strict pool does
        Assert.Equal(1800, budget.InUse);

        var third = budget.AcquireAsync(10, CancellationToken.None).AsTask();
        var fourth = budget.AcquireAsync(10, CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        Assert.Equal(2, budget.WaitingCount);

        budget.Release(500);
        Assert.False(third.IsCompleted); // still 300 over: nothing is admitted while no byte is free
        Assert.Equal(2, budget.WaitingCount);
        budget.Release(1300);
        await third;
        await fourth;
        Assert.Equal(20, budget.InUse);
    }

    [Fact]
    public async Task Acquire_CancelledWhileWaiting_TakesNothingAndLetsTheNextWaiterIn()
    {
        var budget = new RequestMemoryBudget(100);
        await budget.AcquireAsync(100, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var abandoned = budget.AcquireAsync(50, cancel.Token).AsTask();
        var next = budget.AcquireAsync(60, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        budget.Release(100);
        await next;

        Assert.Equal(60, budget.InUse);
    }

    [Fact]
    public async Task Acquire_UnboundedBudget_NeverWaits()
    {
        var budget = new RequestMemoryBudget(-1);
        for (var i = 0; i < 10; i++)
        {
            await budget.AcquireAsync(int.MaxValue, CancellationToken.None);
        }

        Assert.Equal(0, budget.WaitingCount);
    }
}
